"""Per-step estimators, and starting an encoder from a fitted autoencoder."""

import pickle

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose
from sklearn.base import clone
from sklearn.frozen import FrozenEstimator
from sklearn.model_selection import GridSearchCV

from sklearn_seqae import (
    LSTMAutoencoderTransformer,
    Seq2SeqClassifier,
    Seq2SeqRegressor,
    TimestepClassifier,
    TimestepRegressor,
    load,
)
from sklearn_seqae.datasets import make_echo
from sklearn_seqae.metrics import per_step_accuracy


def _sign_task(n=120, length=10, seed=0):
    """Label each step by the sign of the running sum so far (needs memory)."""
    X = np.random.RandomState(seed).normal(size=(n, length))
    return X, np.where(np.cumsum(X, axis=1) > 0, "pos", "neg")


@pytest.mark.graph
def test_classifier_learns_a_causal_tagging_rule():
    X, y = _sign_task()
    clf = TimestepClassifier(
        units=16, epochs=40, batch_size=16, learning_rate=0.01, random_state=0
    ).fit(X, y)
    X_test, y_test = _sign_task(seed=1)
    assert clf.predict(X_test).shape == y_test.shape
    assert clf.score(X_test, y_test) > 0.9
    proba = clf.predict_proba(X_test)
    assert proba.shape == (*y_test.shape, 2)
    np.testing.assert_allclose(proba.sum(axis=-1), 1, rtol=1e-5)


def test_causal_encoder_ignores_the_future_and_bidirectional_reads_it():
    X, y = _sign_task(n=40)
    causal = TimestepClassifier(units=4, epochs=1, random_state=0).fit(X, y)
    both = TimestepClassifier(units=4, epochs=1, bidirectional=True, random_state=0)
    both.fit(X, y)
    changed = X.copy()
    changed[:, -1] += 5.0
    # Changing the last step changes no earlier prediction of a causal model.
    a, b = causal.predict_proba(X), causal.predict_proba(changed)
    np.testing.assert_allclose(a[:, :-1], b[:, :-1], atol=1e-6)
    a, b = both.predict_proba(X), both.predict_proba(changed)
    assert not np.allclose(a[:, :-1], b[:, :-1])


def test_ragged_input_and_targets_come_back_with_their_lengths():
    rng = np.random.RandomState(0)
    X = [rng.normal(size=(3 + i % 5, 2)) for i in range(20)]
    y = [np.where(x[:, 0] > 0, 1, 0) for x in X]
    clf = TimestepClassifier(units=4, epochs=1, random_state=0).fit(X, y)
    pred = clf.predict(X)
    assert [len(p) for p in pred] == [len(x) for x in X]
    assert [p.shape for p in clf.predict_proba(X)] == [(len(x), 2) for x in X]
    assert 0 <= clf.score(X, y) <= 1
    reg = TimestepRegressor(units=4, epochs=1, random_state=0)
    reg.fit(X, [x * 2 for x in X])
    assert [p.shape for p in reg.predict(X)] == [x.shape for x in X]
    reg.fit(X, [x[:, 0] for x in X])
    assert [p.shape for p in reg.predict(X)] == [(len(x),) for x in X]


def test_multiindex_input_gives_predictions_on_its_index():
    rng = np.random.RandomState(0)
    index = pd.MultiIndex.from_product([["a", "b", "c"], range(4)])
    X = pd.DataFrame({"x": rng.normal(size=12), "z": rng.normal(size=12)}, index)
    y = [np.array(["lo", "hi", "lo", "hi"])] * 3
    clf = TimestepClassifier(units=4, epochs=1, random_state=0).fit(X, y)
    pred = clf.predict(X)
    assert isinstance(pred, pd.Series) and pred.index.equals(X.index)
    reg = TimestepRegressor(units=4, epochs=1, random_state=0).fit(X, np.ones((3, 4)))
    assert reg.predict(X).index.equals(X.index)


def test_predictions_for_a_long_frame_serve_as_y_matched_by_instance():
    rng = np.random.RandomState(0)
    index = pd.MultiIndex.from_tuples(
        [
            (name, t)
            for name, n in zip("abcd", (4, 6, 3, 5), strict=True)
            for t in range(n)
        ]
    )
    X = pd.DataFrame({"x": rng.normal(size=len(index))}, index)
    y = [np.where(g.to_numpy() > 0, "hi", "lo") for _, g in X["x"].groupby(level=0)]
    clf = TimestepClassifier(units=4, epochs=2, random_state=0).fit(X, y)
    pred = clf.predict(X)
    assert clf.score(X, pred) == 1.0
    # Rows in another order are matched to X's instances by label.
    assert clf.score(X, pred.iloc[::-1]) == 1.0
    by_instance = [g.to_numpy() for _, g in pred.groupby(level=0, sort=False)]
    assert clf.score(X, y) == per_step_accuracy(y, by_instance)
    TimestepClassifier(units=4, epochs=1, random_state=0).fit(X, pred)
    with pytest.raises(ValueError, match="instance 'd' of X is not in y"):
        clf.score(X, pred.drop("d", level=0))
    reg = TimestepRegressor(units=4, epochs=2, random_state=0).fit(X, 2 * X["x"])
    assert reg.score(X, reg.predict(X).iloc[::-1]) == 1.0


def test_a_long_y_is_matched_to_x_by_time_label_too():
    # String time labels keep the order they are given in, so a long y whose
    # rows come in another order must be lined up by label, not by position.
    rng = np.random.RandomState(0)
    index = pd.MultiIndex.from_product([["a", "b", "c", "d"], ["t0", "t1", "t2"]])
    X = pd.DataFrame({"x": rng.normal(size=12)}, index)
    reg = TimestepRegressor(units=4, epochs=2, random_state=0).fit(X, 2 * X["x"])
    pred = reg.predict(X)
    shuffled = pred.sample(frac=1, random_state=1)
    assert reg.score(X, shuffled) == 1.0
    refit = TimestepRegressor(units=4, epochs=2, random_state=0)
    assert_allclose(refit.fit(X, shuffled).predict(X), reg.fit(X, pred).predict(X))
    y = pd.Series(np.where(X["x"] > 0, "hi", "lo"), index)
    clf = TimestepClassifier(units=4, epochs=2, random_state=0).fit(X, y)
    assert clf.score(X, clf.predict(X).sample(frac=1, random_state=2)) == 1.0
    renamed = pred.rename({"t2": "t9"}, level=1)
    with pytest.raises(ValueError, match="instance 'a' of X has time 't2', which y"):
        reg.score(X, renamed)
    numbered = X.set_axis(pd.MultiIndex.from_product([list("abcd"), range(3)]))
    late = pred.set_axis(pd.MultiIndex.from_product([list("abcd"), range(100, 103)]))
    with pytest.raises(ValueError, match="time labels are not X's"):
        TimestepRegressor(units=4, epochs=1).fit(numbered, late)
    # Cells of a nested frame that are arrays have no time labels: matched
    # by instance only, as before.
    nested = pd.DataFrame({"x": [rng.normal(size=3), rng.normal(size=4)]}, ["p", "q"])
    long_y = pd.Series(
        np.arange(7.0),
        pd.MultiIndex.from_arrays([["p"] * 3 + ["q"] * 4, [0, 1, 2, 0, 1, 2, 3]]),
    )
    fitted = TimestepRegressor(units=2, epochs=1, random_state=0).fit(nested, long_y)
    assert np.isfinite(fitted.score(nested, long_y))
    twice = pred.set_axis(pd.MultiIndex.from_product([list("abcd"), ["t0"] * 3]))
    with pytest.raises(ValueError, match="more than one row at time 't0'"):
        reg.score(X, twice)


def test_score_weighs_sequences_and_steps():
    X, y = _sign_task(n=12, length=6)
    clf = TimestepClassifier(units=4, epochs=2, random_state=0).fit(X, y)
    right = clf.predict(X) == y
    weights = np.zeros(12)
    weights[[0, 5]] = 1.0
    assert clf.score(X, y, sample_weight=weights) == right[[0, 5]].mean()
    steps = np.zeros((12, 6))
    steps[:, 0] = 1.0
    assert clf.score(X, y, sample_weight=steps) == right[:, 0].mean()
    reg = TimestepRegressor(units=4, epochs=2, random_state=0).fit(X, 2 * X)
    assert reg.score(X, 2 * X, sample_weight=weights) == pytest.approx(
        reg.score(X[[0, 5]], 2 * X[[0, 5]])
    )


def test_regressor_with_several_outputs_and_its_score():
    rng = np.random.RandomState(0)
    X = rng.normal(size=(60, 6, 2))
    y = np.cumsum(X, axis=1)
    reg = TimestepRegressor(units=16, epochs=30, learning_rate=0.01, random_state=0)
    reg.fit(X, y)
    assert reg.predict(X).shape == (60, 6, 2)
    assert reg.n_outputs_ == 2
    assert reg.score(X, y) > 0.8


@pytest.mark.no_model
def test_targets_must_match_the_input_lengths():
    X = [np.zeros(4), np.zeros(6)]
    with pytest.raises(ValueError, match="sequence 1 has 5 step"):
        TimestepClassifier(epochs=1).fit(X, [np.zeros(4), np.zeros(5)])
    with pytest.raises(ValueError, match="for one label per sequence"):
        TimestepClassifier(epochs=1).fit(np.zeros((4, 3)), np.zeros(4))
    with pytest.raises(ValueError, match="sequence 0 has 3 step"):
        TimestepRegressor(epochs=1).fit(X, [np.zeros(3), np.zeros(6)])


def test_tokens_echo_save_load_pickle_and_search(tmp_path):
    X, y = make_echo(300, length=5, n_tokens=10, random_state=0)
    clf = TimestepClassifier(
        input_type="tokens", units=16, epochs=20, learning_rate=0.01, random_state=0
    ).fit(X, y)
    assert per_step_accuracy(y, clf.predict(X)) > 0.95
    clf.save(tmp_path / "tagger.seqae")
    for restored in (load(tmp_path / "tagger.seqae"), pickle.loads(pickle.dumps(clf))):
        np.testing.assert_array_equal(restored.predict_proba(X), clf.predict_proba(X))
    search = GridSearchCV(
        TimestepClassifier(input_type="tokens", epochs=1, random_state=0),
        {"units": [2, 4]},
        cv=2,
    ).fit(X, y)
    assert search.best_params_["units"] in (2, 4)


# -- encoder transfer ---------------------------------------------------------


@pytest.fixture(scope="module")
def autoencoder():
    X = np.random.RandomState(0).normal(size=(40, 8))
    return LSTMAutoencoderTransformer(units=6, max_steps=5, random_state=0).fit(X)


@pytest.mark.parametrize(
    "make, y",
    [
        (Seq2SeqRegressor, lambda X: X[:, :2]),
        (Seq2SeqClassifier, lambda X: np.where(X[:, 0] > 0, "a", "b")),
        (TimestepClassifier, lambda X: np.where(X > 0, "a", "b")),
        (TimestepRegressor, lambda X: np.cumsum(X, axis=1)),
    ],
)
def test_encoder_init_copies_weights_and_scaling_and_can_freeze(autoencoder, make, y):
    X = np.random.RandomState(1).normal(size=(30, 8)) * 3 + 1
    source = autoencoder.model_.get_layer("encoder").get_weights()
    est = make(units=6, epochs=2, encoder_init=autoencoder, freeze_encoder=True)
    est.set_params(random_state=0).fit(X, y(X))
    trained = est.model_.get_layer("encoder").get_weights()
    assert all(np.array_equal(a, b) for a, b in zip(source, trained, strict=True))
    # The autoencoder's input scaling, not one fitted on this X.
    assert est._scaling_mode == autoencoder._scaling_mode == "per_sequence"
    np.testing.assert_array_equal(est.feature_mean_, autoencoder.feature_mean_)
    free = make(units=6, epochs=2, encoder_init=autoencoder, random_state=0)
    moved = free.fit(X, y(X)).model_.get_layer("encoder").get_weights()
    assert not all(np.array_equal(a, b) for a, b in zip(source, moved, strict=True))


def test_encoder_init_survives_clone_and_grid_search(autoencoder):
    X = np.random.RandomState(2).normal(size=(40, 8))
    y = np.where(X > 0, "a", "b")
    est = TimestepClassifier(units=6, epochs=1, encoder_init=autoencoder)
    assert clone(est).encoder_init is autoencoder
    wrapped = clone(est).set_params(encoder_init=FrozenEstimator(autoencoder))
    wrapped.fit(X, y)
    assert wrapped._scaling_mode == autoencoder._scaling_mode
    search = GridSearchCV(est, {"freeze_encoder": [False, True]}, cv=2).fit(X, y)
    assert search.best_estimator_.encoder_init is autoencoder


def test_incompatible_encoder_init_is_refused(autoencoder):
    X = np.random.RandomState(2).normal(size=(20, 8))
    y = np.where(X > 0, "a", "b")
    with pytest.raises(ValueError, match="units=\\(6,\\).*units=\\(5,\\)"):
        TimestepClassifier(units=5, encoder_init=autoencoder).fit(X, y)
    with pytest.raises(ValueError, match="fitted on 1 feature"):
        TimestepClassifier(units=6, encoder_init=autoencoder).fit(
            np.zeros((20, 8, 2)), y
        )
    with pytest.raises(ValueError, match=r"fitted.*as FrozenEstimator\(autoencoder\)"):
        TimestepClassifier(units=6, encoder_init=LSTMAutoencoderTransformer()).fit(X, y)
    with pytest.raises(ValueError, match="needs encoder_init"):
        TimestepClassifier(freeze_encoder=True).fit(X, y)
    with pytest.raises(ValueError, match="tokens"):
        TimestepClassifier(units=6, input_type="tokens", encoder_init=autoencoder).fit(
            np.ones((20, 8), int), y
        )
    patches = LSTMAutoencoderTransformer(
        units=6, patch_size=2, max_steps=2, random_state=0
    ).fit(X)
    for est in (TimestepClassifier, Seq2SeqClassifier):
        with pytest.raises(ValueError, match="reads patches of 2 steps.*patch_size=1"):
            est(units=6, encoder_init=patches).fit(X, y)


def _tiny(est, **params):
    return est(units=3, epochs=1, batch_size=4, random_state=0, **params)


def _targets(est, X):
    if est is TimestepClassifier:
        return np.where(X[..., 0] > 0, "a", "b")
    return X[..., 0] * 2.0


@pytest.mark.parametrize("est", [TimestepClassifier, TimestepRegressor])
def test_read_only_f_ordered_input_fits_as_a_c_ordered_copy(est, tmp_path):
    X = np.random.RandomState(0).normal(size=(10, 6, 2))
    y = _targets(est, X)
    path = tmp_path / "X.npy"
    np.save(path, np.asfortranarray(X))
    X_mapped = np.load(path, mmap_mode="r")
    assert not X_mapped.flags.writeable and X_mapped.flags.f_contiguous
    y_read_only = y.copy()
    y_read_only.setflags(write=False)
    mapped = _tiny(est).fit(X_mapped, y_read_only)
    plain = _tiny(est).fit(X, y)
    assert mapped.history_["loss"] == pytest.approx(plain.history_["loss"])
    out = "predict_proba" if est is TimestepClassifier else "predict"
    np.testing.assert_allclose(
        getattr(mapped, out)(X_mapped), getattr(plain, out)(X), rtol=1e-5
    )


@pytest.mark.parametrize("est", [TimestepClassifier, TimestepRegressor])
def test_weights_as_a_series_are_read_like_an_array_and_left_alone(est):
    X = np.random.RandomState(1).normal(size=(10, 6, 1))
    y = _targets(est, X)
    weights = np.linspace(0.5, 2.0, 10)
    kept = weights.copy()
    from_array = _tiny(est).fit(X, y, sample_weight=weights)
    np.testing.assert_array_equal(weights, kept)
    from_series = _tiny(est).fit(X, y, sample_weight=pd.Series(weights))
    assert from_series.history_["loss"] == pytest.approx(from_array.history_["loss"])
    unweighted = _tiny(est).fit(X, y)
    assert unweighted.history_["loss"] != pytest.approx(from_array.history_["loss"])


@pytest.mark.parametrize("est", [TimestepClassifier, TimestepRegressor])
def test_a_single_sequence_is_enough_to_fit(est):
    X = np.random.RandomState(2).normal(size=(1, 7, 2))
    model = _tiny(est).fit(X, _targets(est, X))
    assert model.predict(X).shape == (1, 7)


def test_integer_targets_regress_like_floats():
    X = np.random.RandomState(3).normal(size=(10, 6, 1))
    y = np.round(X[..., 0] * 3).astype(int)
    as_int = _tiny(TimestepRegressor).fit(X, y)
    as_float = _tiny(TimestepRegressor).fit(X, y.astype(float))
    np.testing.assert_allclose(as_int.predict(X), as_float.predict(X), rtol=1e-6)


def test_per_step_class_weight_weighs_each_step_by_its_label():
    X = np.random.RandomState(4).normal(size=(12, 6, 1))
    y = np.where(X[..., 0] > 0.5, "rare", "common")
    # Unscaled input: sample_weight also weighs the input scaling, as it
    # would a StandardScaler's in a Pipeline; class_weight only the loss.
    # Sample weights count by their ratios (divided by their mean); class
    # weights as given.
    step_weights = np.where(y == "rare", 3.0, 1.0)
    mean = step_weights.mean()
    by_class = _tiny(
        TimestepClassifier,
        class_weight={"rare": 3.0 / mean, "common": 1.0 / mean},
        standardize=False,
    ).fit(X, y)
    by_step = _tiny(TimestepClassifier, standardize=False).fit(
        X, y, sample_weight=step_weights
    )
    assert by_class.history_["loss"] == pytest.approx(by_step.history_["loss"])
    plain = _tiny(TimestepClassifier).fit(X, y)
    assert plain.history_["loss"] != pytest.approx(by_class.history_["loss"])


def test_classifiers_refuse_one_class_and_continuous_labels_before_training():
    X = np.random.RandomState(5).normal(size=(6, 4, 1))
    with pytest.raises(ValueError, match=r"single class \('a'\)"):
        _tiny(TimestepClassifier).fit(X, np.full((6, 4), "a"))
    with pytest.raises(ValueError, match="Unknown label type: continuous"):
        _tiny(TimestepClassifier).fit(X, X[..., 0])
    # One class is fine when partial_fit is told the others.
    tagger = _tiny(TimestepClassifier).partial_fit(
        X, np.full((6, 4), "a"), classes=["a", "b"]
    )
    assert tagger.predict_proba(X).shape == (6, 4, 2)
    # One label per sequence would train a softmax of one output (Keras warns
    # that it always returns 1): refused the same way.
    with pytest.raises(ValueError, match=r"single class \('a'\) for every sequence"):
        _tiny(Seq2SeqClassifier).fit(X, np.full(6, "a"))
    clf = _tiny(Seq2SeqClassifier).partial_fit(X, np.full(6, "a"), classes=["a", "b"])
    assert clf.predict_proba(X).shape == (6, 2)


def test_label_sequences_in_a_series_a_tuple_or_as_series_read_as_a_list():
    rng = np.random.RandomState(0)
    X = [rng.normal(size=n) for n in (3, 4, 5) * 4]
    labels = [np.where(x > 0, "pos", "neg") for x in X]
    for Estimator in (TimestepClassifier, Seq2SeqClassifier):
        reference = _tiny(Estimator).fit(X, labels)
        expected = reference.predict(X)
        for y in (pd.Series(labels), tuple(labels), [pd.Series(s) for s in labels]):
            fitted = _tiny(Estimator).fit(X, y)
            assert_allclose(
                fitted.history_["loss"], reference.history_["loss"], rtol=1e-6
            )
            for got, want in zip(fitted.predict(X), expected, strict=True):
                assert list(got) == list(want)


@pytest.mark.parametrize("kind", ["ids", "strings"])
def test_token_frames_keep_their_instance_labels_in_predictions(kind):
    rng = np.random.RandomState(0)
    ids = rng.randint(0, 3, size=40)
    tokens = ids if kind == "ids" else np.array(["a", "b", "c"])[ids]
    index = pd.MultiIndex.from_product(
        [[f"s{i}" for i in range(8)], range(5)], names=["id", "t"]
    )
    X = pd.DataFrame({"token": tokens}, index=index)
    y = pd.Series((ids == 1).astype(int), index=index)
    clf = TimestepClassifier(input_type="tokens", units=3, epochs=1, random_state=0)
    predicted = clf.fit(X, y).predict(X)
    assert predicted.index.equals(index)


def test_frame_outputs_are_named_after_what_is_predicted():
    # Two classes (or outputs) for two input features: the columns must not
    # take X's feature names.
    rng = np.random.RandomState(0)
    index = pd.MultiIndex.from_product([range(6), range(5)])
    X = pd.DataFrame(rng.normal(size=(30, 2)), index, columns=["f0", "f1"])
    y = pd.Series(np.where(X["f0"] > 0, "up", "down"), index)
    clf = TimestepClassifier(units=4, epochs=1, random_state=0).fit(X, y)
    assert clf.predict_proba(X).columns.tolist() == ["down", "up"]
    Y = pd.DataFrame({"u": 2 * X["f0"], "v": X["f1"] - 1}, index)
    reg = TimestepRegressor(units=4, epochs=1, random_state=0).fit(X, Y)
    pred = reg.predict(X)
    assert pred.columns.tolist() == [0, 1] and reg.score(X, pred) == 1.0
    nested = pd.DataFrame({"x": [pd.Series(rng.normal(size=5)) for _ in range(6)]})
    clf.fit(nested, rng.randint(0, 2, size=(6, 5)))
    assert clf.predict(nested).columns.tolist() == ["prediction"]


def test_a_wide_frame_gets_one_value_per_step_column_or_the_array():
    rng = np.random.RandomState(0)
    X = pd.DataFrame(rng.normal(size=(10, 5)), columns=[f"t{i}" for i in range(5)])
    reg = TimestepRegressor(units=4, epochs=1, random_state=0)
    pred = reg.fit(X, rng.normal(size=(10, 5))).predict(X)
    assert pred.columns.tolist() == X.columns.tolist()
    pred = reg.fit(X, rng.normal(size=(10, 5, 1))).predict(X)
    assert pred.columns.tolist() == X.columns.tolist()  # one output still fits
    pred = reg.fit(X, rng.normal(size=(10, 5, 2))).predict(X)
    assert isinstance(pred, np.ndarray) and pred.shape == (10, 5, 2)
    assert reg.score(X, pred) == 1.0
    clf = TimestepClassifier(units=4, epochs=1, random_state=0)
    clf.fit(X, rng.randint(0, 3, size=(10, 5)))
    assert clf.predict_proba(X).shape == (10, 5, 3)


def test_a_nested_frame_of_predicted_labels_serves_as_y():
    rng = np.random.RandomState(0)
    X = pd.DataFrame({"x": [pd.Series(rng.normal(size=5)) for _ in range(6)]})
    clf = TimestepClassifier(units=2, epochs=1, random_state=0)
    clf.fit(X, rng.randint(0, 2, size=(6, 5)))
    pred = clf.predict(X)
    assert clf.score(X, pred) == 1.0
    refit = TimestepClassifier(units=2, epochs=1, random_state=0).fit(X, pred)
    assert refit.classes_.tolist() == sorted(set(np.concatenate(pred["prediction"])))
