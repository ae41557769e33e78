"""The sktime estimators: sktime's own estimator checks, and the reuse of ours."""

import numpy as np
import pandas as pd
from sktime.datasets import load_unit_test
from sktime.utils.estimator_checks import check_estimator, parametrize_with_checks

from sklearn_seqae import (
    LSTMAutoencoderTransformer,
    Seq2SeqClassifier,
    to_sequence_list,
)
from sklearn_seqae.sktime import (
    LSTMAutoencoderCodes,
    LSTMSequenceClassifier,
    LSTMSequenceRegressor,
)

ESTIMATORS = [LSTMAutoencoderCodes, LSTMSequenceClassifier, LSTMSequenceRegressor]


@parametrize_with_checks(ESTIMATORS)
def test_sktime_estimator_checks(obj, test_name):
    check_estimator(obj, tests_to_run=test_name, raise_exceptions=True)


def _unequal_panel():
    """A ragged two-variable panel in sktime's pd-multiindex layout."""
    rng = np.random.default_rng(0)
    frames = [
        pd.DataFrame(
            rng.normal(size=(n, 2)),
            columns=["a", "b"],
            index=pd.MultiIndex.from_product([[i], range(n)]),
        )
        for i, n in enumerate([5, 8, 6, 7, 5, 9])
    ]
    return pd.concat(frames)


def test_codes_are_the_wrapped_autoencoders_codes():
    X = _unequal_panel()
    params = dict(units=3, epochs=2, batch_size=4)
    codes = LSTMAutoencoderCodes(
        LSTMAutoencoderTransformer(**params), random_state=0
    ).fit_transform(X)
    ours = LSTMAutoencoderTransformer(**params, random_state=0).fit_transform(X)
    assert list(codes.columns) == [str(c) for c in codes.columns]
    np.testing.assert_array_equal(codes.to_numpy(), ours)


def test_codes_are_indexed_by_the_panels_instances():
    X = _unequal_panel().rename(index=lambda i: f"case{i}", level=0)
    X = X.loc[["case3", "case0", "case5", "case1", "case4", "case2"]]
    transformer = LSTMAutoencoderCodes(
        LSTMAutoencoderTransformer(units=3, epochs=1, batch_size=4), random_state=0
    ).fit(X)
    codes = transformer.transform(X)
    assert codes.index.tolist() == [
        "case3",
        "case0",
        "case5",
        "case1",
        "case4",
        "case2",
    ]
    one = transformer.transform(X.loc[["case5"]])
    assert one.index.tolist() == ["case5"]
    np.testing.assert_allclose(one.to_numpy()[0], codes.loc["case5"], rtol=1e-5)


def test_random_state_overrides_the_component_and_leaves_it_unfitted():
    component = LSTMAutoencoderTransformer(units=2, epochs=1, random_state=5)
    wrapped = LSTMAutoencoderCodes(component, random_state=0).fit(_unequal_panel())
    assert wrapped.autoencoder_.random_state == 0
    assert component.random_state == 5 and not hasattr(component, "n_iter_")


def test_classifier_probabilities_follow_sktimes_classes():
    X, y = load_unit_test(return_X_y=True, split="train")
    clf = LSTMSequenceClassifier(
        Seq2SeqClassifier(units=3, epochs=1), random_state=0
    ).fit(X, y)
    proba = clf.predict_proba(X)
    np.testing.assert_array_equal(clf.classes_, clf.classifier_.classes_)
    np.testing.assert_array_equal(
        proba, clf.classifier_.predict_proba(to_sequence_list(X))
    )
    assert clf.predict(X).tolist() == clf.classes_[proba.argmax(1)].tolist()


def test_nested_parameters_reach_the_component():
    clf = LSTMSequenceClassifier(Seq2SeqClassifier())
    clf.set_params(classifier__units=7, classifier__epochs=1, random_state=0)
    assert clf.get_params()["classifier__units"] == 7
    X, y = load_unit_test(return_X_y=True, split="train")
    assert clf.fit(X, y).classifier_.get_params()["units"] == 7
