"""The project's own common checks, run on every public estimator.

scikit-learn's checks feed 2-D tables with one target per row; several of
them cannot apply to per-step estimators (one target per step) and are
listed as expected failures in ``test_common.py``. These checks cover what
those would have: each fits the estimator on sequences and targets it
accepts (``estimators.py``).
"""

import copy
import pickle

import numpy as np
import pytest
from estimators import cases, flat
from numpydoc.docscrape import ClassDoc
from sklearn.base import clone
from sklearn.exceptions import NotFittedError

CASES = cases()
IDS = [case.name for case in CASES]


@pytest.fixture(scope="module", params=CASES, ids=IDS)
def fitted(request):
    """One fit per estimator, with what the checks compare it against."""
    case = request.param
    estimator = clone(case.estimator)
    before = {
        "params": copy.deepcopy(estimator.get_params()),
        "X": copy.deepcopy(case.X),
        "y": copy.deepcopy(case.y),
    }
    before["returned"] = case.fit(estimator)
    return case, estimator, flat(getattr(estimator, case.method)(case.X)), before


@pytest.mark.no_model
@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_unfitted_estimator_raises_not_fitted(case):
    with pytest.raises(NotFittedError):
        getattr(clone(case.estimator), case.method)(case.X)


# Every public method that reads a fitted model, with the arguments it needs.
FITTED_METHODS = {
    "transform": (),
    "inverse_transform": (),
    "reconstruct": (),
    "forecast": (),
    "predict": (),
    "predict_proba": (),
    "decision_function": (),
    "score_samples": (),
    "score_steps": (),
    "attention_weights": (),
    "score": ("y",),
}


@pytest.mark.no_model
@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_every_method_of_an_unfitted_estimator_raises_not_fitted(case):
    estimator = clone(case.estimator)
    if "attention" in estimator.get_params():
        estimator.set_params(attention="dot")
    called = []
    for method, needs in FITTED_METHODS.items():
        if not hasattr(estimator, method):
            continue
        args = [case.y if case.y is not None else None for _ in needs]
        with pytest.raises(NotFittedError):
            getattr(estimator, method)(case.X, *args)
        called.append(method)
    assert called, "no method checked"


def test_fit_returns_self_and_keeps_params_and_data(fitted):
    case, estimator, _, before = fitted
    assert before["returned"] is estimator
    after = estimator.get_params()
    assert after.keys() == before["params"].keys()
    for name, value in before["params"].items():
        assert repr(after[name]) == repr(value), name
    for old, now in zip(before["X"], case.X, strict=True):
        np.testing.assert_array_equal(old, now)
    if case.y is not None:
        np.testing.assert_array_equal(flat(list(before["y"])), flat(list(case.y)))
    assert estimator.n_features_in_ == case.X[0].shape[1]


def test_fitted_attributes_are_documented(fitted):
    _, estimator, _, _ = fitted
    documented = {
        item.name.split(" ")[0] for item in ClassDoc(type(estimator))["Attributes"]
    }
    fitted_names = {
        name
        for name in vars(estimator)
        if name.endswith("_") and not name.startswith("_")
    }
    assert fitted_names <= documented, sorted(fitted_names - documented)


def test_clone_is_unfitted_with_equal_params(fitted):
    _, estimator, _, _ = fitted
    twin = clone(estimator)
    assert twin.get_params().keys() == estimator.get_params().keys()
    assert not [k for k in vars(twin) if k.endswith("_") and not k.startswith("_")]


def test_pickle_round_trip_gives_equal_outputs(fitted):
    case, estimator, output, _ = fitted
    again = pickle.loads(pickle.dumps(estimator))
    np.testing.assert_array_equal(flat(getattr(again, case.method)(case.X)), output)


def test_fit_twice_equals_fit_once(fitted):
    # A seeded refit starts over: same weights, same outputs (idempotent fit).
    case, estimator, output, _ = fitted
    refitted = case.fit(copy.deepcopy(estimator))
    np.testing.assert_array_equal(flat(getattr(refitted, case.method)(case.X)), output)


def test_outputs_do_not_depend_on_the_other_sequences(fitted):
    # Padding invariance: each sequence alone (no padding) gets the output it
    # gets in a batch padded to the longest sequence.
    case, estimator, output, _ = fitted
    method = getattr(estimator, case.method)
    alone = np.concatenate([flat(method([x])) for x in case.X])
    np.testing.assert_allclose(alone, output, rtol=1e-5, atol=1e-6)


def test_wrong_number_of_features_is_refused(fitted):
    case, estimator, _, _ = fitted
    wider = [np.c_[x, x[:, :1]] for x in case.X]
    with pytest.raises(ValueError, match="features"):
        getattr(estimator, case.method)(wider)


def test_warnings_name_the_callers_line_once():
    # The same layout warning reaches the user through fit, a Pipeline and the
    # anomaly detector (which reads X twice) at different depths.
    import warnings

    from sklearn.pipeline import make_pipeline

    from sklearn_seqae import (
        LSTMAnomalyDetector,
        LSTMAutoencoderTransformer,
        SequenceLayoutWarning,
    )

    X = np.random.RandomState(0).normal(size=(8, 2, 40))
    calls = [
        lambda: LSTMAutoencoderTransformer(units=2, epochs=1).fit(X),
        lambda: make_pipeline(LSTMAutoencoderTransformer(units=2, epochs=1)).fit(X),
        lambda: LSTMAnomalyDetector(units=2, epochs=1).fit(X),
    ]
    for call in calls:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("default")
            warnings.filterwarnings("ignore", category=DeprecationWarning)
            call()
        ours = [w for w in caught if w.category is SequenceLayoutWarning]
        assert len(ours) == 1
        assert ours[0].filename == __file__
