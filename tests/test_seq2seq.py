"""Seq2SeqRegressor and Seq2SeqClassifier: the tutorials' problems and more."""

import pickle

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone, is_classifier, is_regressor
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer

from sklearn_seqae import Seq2SeqClassifier, Seq2SeqRegressor
from sklearn_seqae.datasets import (
    make_echo,
    make_reversed_prefix,
    make_sine_continuation,
)
from sklearn_seqae.metrics import exact_sequence_accuracy, per_step_accuracy


def _tokens(**params):
    defaults = dict(input_type="tokens", units=8, epochs=1, random_state=0)
    return Seq2SeqClassifier(**{**defaults, **params})


@pytest.mark.no_model
def test_tags():
    assert is_classifier(Seq2SeqClassifier())
    assert is_regressor(Seq2SeqRegressor())
    assert Seq2SeqClassifier().__sklearn_tags__().input_tags.three_d_array


@pytest.mark.no_model
def test_metrics_read_label_frames_as_sequences():
    y = [["a", "b", "c"], ["a", "a", "c"], ["c", "b", "a"]]
    pred = np.array([["a", "b", "c"], ["a", "b", "c"], ["c", "b", "a"]])
    frame = pd.DataFrame(y, columns=["t0", "t1", "t2"])
    assert exact_sequence_accuracy(frame, pred) == exact_sequence_accuracy(y, pred)
    assert per_step_accuracy(frame, pd.DataFrame(pred)) == pytest.approx(8 / 9)
    # A Series of one label per sample on a MultiIndex stays one per sample.
    index = pd.MultiIndex.from_product([["r", "s"], [1, 2]])
    labels = pd.Series(["a", "b", "a", "b"], index)
    assert exact_sequence_accuracy(labels, np.array(["a", "b", "b", "b"])) == 0.75


def test_reversed_prefix_exact_sequence_accuracy():
    # Tutorial 002: 6 ints in 1..50, target = the first 3 reversed.
    X, y = make_reversed_prefix(5000, random_state=0)
    X_new, y_new = make_reversed_prefix(2000, random_state=1)
    clf = _tokens(units=64, epochs=1000).fit(X, y)  # the default budget
    assert clf.score(X_new, y_new) >= 0.99
    assert exact_sequence_accuracy(y_new, clf.predict(X_new)) == clf.score(X_new, y_new)


def test_partial_echo_per_step_accuracy():
    # Tutorial 001: echo the first 2 of 5 random ints in 0..99.
    X, y = make_echo(5000, length=5, n_echo=2, random_state=0)
    X_new, y_new = make_echo(2000, length=5, n_echo=2, random_state=1)
    clf = _tokens(units=64, epochs=1000).fit(X, y)
    assert per_step_accuracy(y_new, clf.predict(X_new)) >= 0.99


def test_sine_continuation_r2():
    X, y = make_sine_continuation(1000, length=20, horizon=10, random_state=0)
    X_new, y_new = make_sine_continuation(300, length=20, horizon=10, random_state=1)
    reg = Seq2SeqRegressor(units=32, random_state=0)
    reg.fit(X, y)
    assert reg.score(X_new, y_new) >= 0.95
    further = reg.predict(X_new, n_steps=15)
    assert further.shape == (300, 15)
    np.testing.assert_allclose(further[:, :10], reg.predict(X_new), atol=1e-5)


def test_predict_decodes_in_one_keras_call(monkeypatch):
    import keras

    X, y = make_reversed_prefix(200, random_state=0)
    clf = _tokens().fit(X, y)
    calls = []
    original = keras.Model.predict

    def counting_predict(self, *args, **kwargs):
        calls.append(self.name)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(keras.Model, "predict", counting_predict)
    clf.predict(X)
    assert len(calls) == 1


def test_decoder_shares_the_trained_layers():
    X, y = make_reversed_prefix(100, random_state=0)
    clf = _tokens(epochs=1).fit(X, y)
    clf.predict(X[:2])
    (decoding_model,) = clf._inference_models.values()
    trained = {id(v) for v in clf.model_.weights}
    assert {id(v) for v in decoding_model.weights} <= trained
    # predict reduces to ids in the graph: no (n, steps, classes) output.
    assert tuple(decoding_model.output.shape) == (None, 3)


def test_targets_stay_integer_ids():
    X, y = make_reversed_prefix(50, random_state=0)
    clf = _tokens(embedding_dim=4).fit(X, y)
    batch = clf._read_X(X, reset=False)
    inputs, targets = clf._training_arrays(
        batch, clf._fit_targets(y, batch, reset=False)
    )
    assert targets["outputs"].shape == (50, 3)
    assert targets["outputs"].dtype == np.int32
    assert inputs["sequences"].shape == (50, 6)


def test_string_labels_round_trip():
    rng = np.random.RandomState(0)
    X = rng.randint(0, 3, size=(300, 4))
    words = np.array(["red", "green", "blue"])
    y = words[X[:, :2]]
    clf = _tokens(units=16, epochs=30, learning_rate=0.01).fit(X, y)
    assert sorted(clf.classes_) == ["blue", "green", "red"]
    pred = clf.predict(X)
    assert pred.shape == (300, 2) and set(np.unique(pred)) <= set(words)
    assert clf.score(X, y) > 0.9
    proba = clf.predict_proba(X)
    assert proba.shape == (300, 2, 3)
    np.testing.assert_allclose(proba.sum(axis=-1), 1, rtol=1e-5)


def test_one_label_per_sequence():
    rng = np.random.RandomState(0)
    X = rng.normal(size=(250, 6, 2))
    y = np.where(X[:, :, 0].mean(axis=1) > 0, "up", "down")
    clf = Seq2SeqClassifier(
        units=8, epochs=30, batch_size=16, learning_rate=0.01, random_state=0
    ).fit(X[:200], y[:200])
    assert clf.predict(X).shape == (250,)
    assert clf.predict_proba(X).shape == (250, 2)
    assert clf.score(X[200:], y[200:]) > 0.8


def _up_to_first_zero(X):
    out = []
    for row in X:
        zeros = np.flatnonzero(row == 0)
        out.append(row[: zeros[0]] if len(zeros) else row)
    return out


def test_variable_length_targets_learn_the_end_marker():
    rng = np.random.RandomState(0)
    X = rng.randint(0, 5, size=(3000, 5))
    X[:, 0] = rng.randint(1, 5, size=3000)  # no empty targets
    y = _up_to_first_zero(X)
    assert len({len(t) for t in y}) > 1
    clf = _tokens(units=32, epochs=15, learning_rate=0.01).fit(X, y)
    X_new = rng.randint(0, 5, size=(500, 5))
    X_new[:, 0] = rng.randint(1, 5, size=500)
    y_new = _up_to_first_zero(X_new)
    pred = clf.predict(X_new)
    assert isinstance(pred, list)
    assert [len(p) for p in pred[:50]] == [len(t) for t in y_new[:50]]
    assert exact_sequence_accuracy(y_new, pred) >= 0.95
    proba = clf.predict_proba(X_new[:3])
    assert clf.classes_.tolist() == [1, 2, 3, 4]
    assert [p.shape for p in proba] == [(len(p), 4) for p in pred[:3]]


@pytest.mark.parametrize("conditional", [True, False])
def test_conditional_and_unconditioned_numeric_ragged_input(conditional):
    rng = np.random.RandomState(0)
    X = [rng.normal(size=(n, 2)) for n in rng.randint(3, 9, size=60)]
    y = np.stack([x[:2, 0] for x in X])
    reg = Seq2SeqRegressor(units=6, conditional=conditional, epochs=3, random_state=0)
    assert reg.fit(X, y).predict(X).shape == (60, 2)
    labels = (y > 0).astype(int)
    clf = Seq2SeqClassifier(units=6, conditional=conditional, epochs=3, random_state=0)
    assert clf.fit(X, labels).predict(X).shape == (60, 2)


def test_regressor_target_layouts():
    rng = np.random.RandomState(0)
    X = rng.normal(size=(40, 5, 2))
    reg = Seq2SeqRegressor(units=4, epochs=1, random_state=0)
    assert reg.fit(X, X[:, 0, 0]).predict(X).shape == (40,)
    assert reg.predict(X, n_steps=3).shape == (40, 3)
    assert reg.fit(X, X[:, :3, 0]).predict(X).shape == (40, 3)
    assert reg.fit(X, X[:, :3]).predict(X).shape == (40, 3, 2)
    assert reg.predict(X).dtype == np.float64


def test_regressor_score_averages_r2_over_outputs_as_scikit_learn_does():
    # Two outputs of different scales: pooling them into one R^2 rated a
    # model that predicts each output's mean at 0.997.
    from sklearn.metrics import r2_score

    rng = np.random.RandomState(0)
    X = rng.normal(size=(40, 6, 2))
    signal = X[:, :, 0].mean(axis=1)
    y = np.stack([signal, 100 + 10 * signal], axis=1)[:, None, :]
    reg = Seq2SeqRegressor(units=4, epochs=2, random_state=0).fit(X, y)
    pred = reg.predict(X)
    weights = rng.uniform(0.5, 2.0, size=40)
    assert reg.score(X, y, sample_weight=weights) == pytest.approx(
        r2_score(y[:, 0], pred[:, 0], sample_weight=weights)
    )
    flat = y.reshape(40, -1)
    pooled = r2_score(flat.ravel(), pred.reshape(40, -1).ravel())
    assert reg.score(X, y) != pytest.approx(pooled)


def test_ragged_token_input_and_pandas_numeric_input():
    rng = np.random.RandomState(0)
    X = [rng.randint(1, 9, size=n) for n in rng.randint(2, 7, size=80)]
    y = np.array([x[0] for x in X])
    clf = _tokens(epochs=2).fit(X, y)
    assert clf.n_tokens_in_ == 9
    assert clf.predict(X).shape == (80,)
    frame = pd.DataFrame(
        rng.normal(size=(80 * 4, 3)),
        index=pd.MultiIndex.from_product([range(80), range(4)]),
        columns=list("abc"),
    )
    reg = Seq2SeqRegressor(units=4, epochs=1, random_state=0)
    assert reg.fit(frame, y.astype(float)).predict(frame).shape == (80,)


def _token_frames(tokens):
    """The same token sequences in every frame layout."""
    import polars as pl

    n, length = tokens.shape
    names = [f"s{i}" for i in range(n)]
    index = pd.MultiIndex.from_product([names, range(length)], names=["id", "t"])
    long = pd.DataFrame({"token": tokens.ravel()}, index=index)
    return {
        "wide": pd.DataFrame(tokens, index=names),
        "long": long,
        "long Series": long["token"],
        "nested": pd.DataFrame({"token": list(tokens)}, index=names),
        "Series of lists": pd.Series([list(r) for r in tokens], index=names),
        "polars long": pl.DataFrame(
            {
                "instance": np.repeat(names, length),
                "time": np.tile(np.arange(length), n),
                "token": tokens.ravel(),
            }
        ),
        "polars nested": pl.DataFrame({"token": [list(r) for r in tokens]}),
    }


def test_string_tokens_are_read_from_every_frame_layout():
    rng = np.random.RandomState(0)
    tokens = np.array(["cat", "dog", "emu"])[rng.randint(0, 3, size=(24, 5))]
    y = (tokens[:, 0] == "cat").astype(int)
    reference = _tokens(epochs=1).fit(tokens, y).predict_proba(tokens)
    for layout, X in _token_frames(tokens).items():
        clf = _tokens(epochs=1).fit(X, y)
        assert clf.vocabulary_ == {"cat": 0, "dog": 1, "emu": 2}, layout
        np.testing.assert_allclose(clf.predict_proba(X), reference, err_msg=layout)


def test_a_token_refit_after_a_frame_of_numbers_forgets_its_feature_names():
    index = pd.MultiIndex.from_product([range(6), range(4)])
    X = pd.DataFrame({"tok": np.arange(24.0)}, index)
    clf = _tokens(input_type="numeric").fit(X, np.arange(6) % 2)
    assert clf.feature_names_in_.tolist() == ["tok"]
    clf.set_params(input_type="tokens").fit([["a", "b"]] * 6, np.arange(6) % 2)
    assert not hasattr(clf, "feature_names_in_")


def test_a_token_frame_reads_its_numeric_columns_as_tokens_too():
    # A step where every sequence holds a number is still a step of tokens:
    # reading it as ids would mix them up with the codes of the strings.
    X = pd.DataFrame({"t0": ["a", "b"] * 4, "t1": [7, 8] * 4})
    clf = _tokens().fit(X, np.arange(8) % 2)
    assert clf.vocabulary_ == {"a": 0, "b": 1, 7: 2, 8: 3}
    missing = X.astype(object)
    missing.iloc[3, 1] = None
    with pytest.raises(ValueError, match="missing token"):
        clf.predict(missing)
    na = X.astype({"t0": "string"})
    na.iloc[2, 0] = pd.NA
    with pytest.raises(ValueError, match="missing token"):
        clf.predict(na)
    # Columns are read by position, repeated labels too.
    twice = X.set_axis(["t", "t"], axis=1)
    np.testing.assert_array_equal(
        _tokens().fit(twice, np.arange(8) % 2).predict_proba(twice),
        clf.predict_proba(X),
    )


def test_ragged_label_sequences_cross_validate_with_kfold_as_documented():
    from sklearn.model_selection import KFold, cross_val_score

    X, y = make_reversed_prefix(40, random_state=0)
    lists = [s[: 1 + i % 3].tolist() for i, s in enumerate(y)]
    clf = _tokens(handle_unknown="use_unknown")
    with pytest.raises(ValueError, match="legacy multi-label"):
        cross_val_score(clf, X, lists, cv=2)
    for ragged, cv in ((lists, KFold(2)), ([np.array(s) for s in lists], 2)):
        scores = cross_val_score(clf, X, ragged, cv=cv, error_score="raise")
        assert scores.shape == (2,)


def test_pipeline_grid_search_clone_pickle():
    X, y = make_reversed_prefix(300, random_state=0)
    pipe = make_pipeline(FunctionTransformer(), _tokens())
    search = GridSearchCV(pipe, {"seq2seqclassifier__units": [4, 8]}, cv=2)
    search.fit(X, y)
    assert search.predict(X).shape == (300, 3)
    clf = search.best_estimator_[-1]
    assert clone(clf).get_params() == clf.get_params()
    restored = pickle.loads(pickle.dumps(clf))
    np.testing.assert_array_equal(restored.predict_proba(X), clf.predict_proba(X))


def test_same_seed_same_predictions_different_seed_differs():
    X, y = make_sine_continuation(100, length=10, horizon=3, random_state=0)

    def predict(seed):
        reg = Seq2SeqRegressor(units=4, epochs=2, random_state=seed)
        return reg.fit(X, y).predict(X)

    first = predict(3)
    np.testing.assert_array_equal(first, predict(3))
    assert not np.allclose(first, predict(4))


def test_warm_start_partial_fit_and_early_stopping():
    X, y = make_reversed_prefix(200, random_state=0)
    clf = _tokens(warm_start=True).fit(X, y).fit(X, y)
    assert clf.n_iter_ == 2
    clf.partial_fit(X, y)
    assert clf.n_iter_ == 3
    stopped = _tokens(
        epochs=50, validation_fraction=0.2, n_iter_no_change=2, tol=100.0
    ).fit(X, y)
    assert stopped.n_iter_ == 3 and len(stopped.history_["val_loss"]) == 3


# -- bad targets and token ids ------------------------------------------------
def test_regressor_reads_a_series_of_equal_length_target_sequences():
    rng = np.random.RandomState(0)
    X, Y = rng.normal(size=(12, 5, 2)), rng.normal(size=(12, 3))
    reg = Seq2SeqRegressor(units=2, epochs=1, random_state=0)
    expected = reg.fit(X, Y).predict(X)
    np.testing.assert_array_equal(reg.fit(X, pd.Series(list(Y))).predict(X), expected)
    assert reg.score(X, pd.Series(list(Y))) == reg.score(X, Y)


@pytest.mark.no_model
@pytest.mark.parametrize(
    "y, match",
    [
        (np.zeros(9), "y has 9 samples, but X has 10"),
        (np.r_[np.zeros(9), np.nan], "NaN or infinity \\(sample 9\\)"),
        ([[1.0, 2.0]] * 9 + [[1.0]], "equal length"),
        (np.zeros((10, 2, 2, 2)), "got shape"),
        (np.array(["a"] * 10), "numeric"),
        (np.zeros((10, 3, 0)), "0 outputs per step"),
        (np.zeros(10) + 1j, "Complex data not supported"),
        (pd.Series([np.zeros(2)] * 9 + [np.zeros(1)]), "equal length"),
    ],
)
def test_regressor_bad_targets(y, match):
    X = np.zeros((10, 4))
    with pytest.raises(ValueError, match=match):
        Seq2SeqRegressor(epochs=1).fit(X, y)


@pytest.mark.no_model
@pytest.mark.parametrize(
    "y, error, match",
    [
        (np.zeros(9, dtype=int), ValueError, "y has 9 samples, but X has 10"),
        (np.linspace(0, 1, 10), ValueError, "Unknown label type"),
        ([[1, 2]] * 9 + [[]], ValueError, "label sequence 9 is empty"),
        ([[1, 2]] * 9 + [[1, "a"]], TypeError, "mixes label types"),
        (np.zeros((10, 2, 2)), ValueError, "got shape"),
        ([[1, 2]] * 9 + [np.zeros((2, 2))], ValueError, "label sequence 9"),
    ],
)
def test_classifier_bad_targets(y, error, match):
    X = np.zeros((10, 4))
    with pytest.raises(error, match=match):
        Seq2SeqClassifier(epochs=1).fit(X, y)


def test_unpadded_input_skips_the_mask_with_the_same_predictions():
    rng = np.random.RandomState(0)
    X = np.sin(rng.uniform(0, 6, (16, 1)) + np.linspace(0, 3, 8))
    reg = Seq2SeqRegressor(units=4, epochs=2, random_state=0).fit(X, X[:, :3])
    full = reg.predict(X)  # no padding: the unmasked decoding model
    assert any(key[3] is False for key in reg._inference_models)
    padded = reg.predict([*X, X[0, :5]])  # one short sequence: masked
    assert any(key[3] is True for key in reg._inference_models)
    np.testing.assert_allclose(padded[:16], full, rtol=1e-5, atol=1e-6)
