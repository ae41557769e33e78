"""Training as scikit-learn and Keras users expect it.

Sample and class weights (with metadata routing), Keras callbacks, the
default budget, warm starts that never start over silently, string tokens,
one-hot targets, and quiet fits.
"""

import gc
import pickle
import subprocess
import sys
import warnings
import weakref

import keras
import numpy as np
import pytest
import sklearn
from sklearn.base import clone
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import make_pipeline

from sklearn_seqae import (
    LSTMAutoencoderTransformer,
    Seq2SeqClassifier,
    Seq2SeqRegressor,
    TimestepClassifier,
    TimestepRegressor,
)
from sklearn_seqae.datasets import make_labelled_waves, make_reversed_prefix


def _signs(n=200, seed=0):
    X = np.random.RandomState(seed).normal(size=(n, 6))
    return X, np.where(X.mean(axis=1) > 0, "up", "down")


def _fast(est, **params):
    defaults = dict(units=8, epochs=30, batch_size=32, learning_rate=0.01)
    return est(**{**defaults, "random_state": 0, **params})


def test_zero_weighted_flipped_labels_are_not_learned():
    X, y = _signs()
    flipped = np.where(y == "up", "down", "up")
    X_all, y_all = np.concatenate([X, X]), np.concatenate([y, flipped])
    weights = np.r_[np.ones(len(X)), np.zeros(len(X))]
    clf = _fast(Seq2SeqClassifier).fit(X_all, y_all, sample_weight=weights)
    X_test, y_test = _signs(seed=1)
    assert clf.score(X_test, y_test) > 0.9
    # Without the weights the two halves cancel out.
    unweighted = _fast(Seq2SeqClassifier).fit(X_all, y_all)
    assert unweighted.score(X_test, y_test) < 0.8


def test_sample_weight_scales_each_sequence_and_is_checked():
    X, y = _signs(60)
    with pytest.raises(ValueError, match="one weight per sequence"):
        _fast(Seq2SeqClassifier, epochs=1).fit(X, y, sample_weight=np.ones(5))
    with pytest.raises(ValueError, match="sequence 2 has -1"):
        _fast(Seq2SeqClassifier, epochs=1).fit(X, y, sample_weight=[1, 1, -1] * 20)
    # Only their ratios count: doubling every weight changes nothing.
    a = _fast(Seq2SeqRegressor, epochs=1).fit(X, X[:, :2], sample_weight=np.ones(60))
    b = _fast(Seq2SeqRegressor, epochs=1).fit(
        X, X[:, :2], sample_weight=2 * np.ones(60)
    )
    assert b.history_["loss"][0] == pytest.approx(a.history_["loss"][0], rel=1e-6)
    LSTMAutoencoderTransformer(units=2, max_steps=2).fit(X, sample_weight=np.ones(60))


def test_a_zero_weight_leaves_a_sequence_out_of_the_scalings():
    # The input and target scalings learn from the samples as the loss does;
    # fitted without a zero-weighted half, they must be the same.
    rng = np.random.RandomState(0)
    X = (
        rng.normal(size=(30, 6, 2))
        + np.r_[np.zeros(15), 3 * np.ones(15)][:, None, None]
    )
    y = X[:, :3, 0] * 2 + 1
    weights = np.r_[np.ones(15), np.zeros(15)]
    models = [
        (Seq2SeqRegressor, y, ("feature_mean_", "feature_scale_", "target_mean_")),
        (TimestepRegressor, X[..., :1] * 2, ("feature_mean_", "target_scale_")),
        (LSTMAutoencoderTransformer, None, ("feature_mean_", "feature_scale_")),
    ]
    for est, target, fitted in models:
        params = dict(units=2, max_steps=1, random_state=0)
        if est is LSTMAutoencoderTransformer:
            params["standardize"] = "global"
        weighted = est(**params).fit(X, target, sample_weight=weights)
        dropped = est(**params).fit(X[:15], None if target is None else target[:15])
        for name in fitted:
            np.testing.assert_allclose(
                getattr(weighted, name), getattr(dropped, name), err_msg=name
            )


@pytest.mark.parametrize("size", [1e-46, 1e39])
def test_weights_beyond_float32_keep_their_ratios(size):
    # Finite, positive float64 weights that float32 would turn into 0 or inf
    # are relative weights all the same: the model equals the unit-weight one.
    X = np.random.RandomState(0).normal(size=(12, 6, 1))
    weights = np.r_[np.ones(6), np.zeros(6)]
    per_step = np.repeat(weights[:, None], 6, axis=1)
    params = dict(units=2, max_steps=2, random_state=0)
    cases = [
        (LSTMAutoencoderTransformer(standardize="global", **params), None, weights),
        (TimestepRegressor(**params), X, weights),
    ]
    if size < 1:
        cases.append((TimestepRegressor(**params), X, per_step))
    else:  # per-step weights are read as sequences, which float32 must hold
        with pytest.raises(ValueError, match="too large for float32"):
            TimestepRegressor(**params).fit(X, X, sample_weight=per_step * size)
    for est, target, unit_weights in cases:
        scaled = clone(est).fit(X, target, sample_weight=unit_weights * size)
        unit = clone(est).fit(X, target, sample_weight=unit_weights)
        np.testing.assert_allclose(scaled.feature_mean_, unit.feature_mean_)
        assert scaled.history_["loss"] == pytest.approx(unit.history_["loss"])


def test_class_weight_balanced_helps_the_rare_class():
    rng = np.random.RandomState(0)
    X = rng.normal(size=(300, 5))
    y = np.where(X[:, 0] > 1.2, "rare", "common")  # about 12% rare
    params = dict(epochs=10, learning_rate=0.005)
    plain = _fast(Seq2SeqClassifier, **params).fit(X, y)
    balanced = _fast(Seq2SeqClassifier, class_weight="balanced", **params).fit(X, y)
    recall = {
        name: np.mean(model.predict(X)[y == "rare"] == "rare")
        for name, model in (("plain", plain), ("balanced", balanced))
    }
    assert recall["balanced"] > recall["plain"]
    with pytest.raises(ValueError, match="not classes"):
        _fast(Seq2SeqClassifier, class_weight={"nope": 2.0}).fit(X, y)


def test_per_step_weights_for_the_tagger():
    rng = np.random.RandomState(0)
    X = rng.normal(size=(80, 6))
    y = np.where(X > 0, "a", "b")
    steps = np.ones(X.shape)
    steps[:, 3:] = 0  # only the first three steps count
    tagger = _fast(TimestepClassifier, epochs=2).fit(X, y, sample_weight=steps)
    assert tagger.n_iter_ == 2
    with pytest.raises(ValueError, match="sample_weight: sequence 0 has 2 step"):
        tagger.fit(X, y, sample_weight=[np.ones(2)] + [np.ones(6)] * 79)


def test_sample_weight_is_routed_through_pipeline_and_search():
    X, y = make_labelled_waves(60, length=10, random_state=0)
    with sklearn.config_context(enable_metadata_routing=True):
        ae = LSTMAutoencoderTransformer(units=2, max_steps=2, random_state=0)
        pipe = make_pipeline(
            ae.set_fit_request(sample_weight=True),
            LogisticRegression()
            .set_fit_request(sample_weight=True)
            .set_score_request(sample_weight=True),
        )
        seen = []
        original = LSTMAutoencoderTransformer._sample_weights

        def spy(self, sample_weight, batch, y_info):
            seen.append(None if sample_weight is None else len(sample_weight))
            return original(self, sample_weight, batch, y_info)

        LSTMAutoencoderTransformer._sample_weights = spy
        try:
            search = GridSearchCV(
                pipe, {"lstmautoencodertransformer__units": [2]}, cv=2
            )
            search.fit(X, y, sample_weight=np.ones(len(X)))
        finally:
            LSTMAutoencoderTransformer._sample_weights = original
    assert seen and all(n is not None for n in seen)
    assert np.isfinite(search.cv_results_["mean_test_score"]).all()


class Recorder(keras.callbacks.Callback):
    """A Keras callback that records what the training loop calls."""

    def __init__(self):
        super().__init__()
        self.calls = []

    def on_train_begin(self, logs=None):
        self.calls.append("train_begin")

    def on_epoch_end(self, epoch, logs=None):
        self.calls.append(("epoch_end", epoch, sorted(logs)))

    def on_train_batch_end(self, batch, logs=None):
        self.calls.append("batch")

    def on_train_end(self, logs=None):
        self.calls.append("train_end")


def test_callbacks_get_keras_calls_and_can_stop_training(tmp_path):
    X, y = _signs(64)
    recorder = Recorder()
    checkpoint = keras.callbacks.ModelCheckpoint(
        tmp_path / "best.weights.h5", save_weights_only=True
    )
    log = keras.callbacks.CSVLogger(tmp_path / "log.csv")
    clf = _fast(Seq2SeqClassifier, epochs=3, validation_fraction=0.25)
    clf.set_params(callbacks=[recorder, checkpoint, log]).fit(X, y)
    epochs = [c for c in recorder.calls if isinstance(c, tuple)]
    assert [e[1] for e in epochs] == [0, 1, 2]
    assert epochs[0][2] == ["loss", "val_loss"]
    assert recorder.calls[0] == "train_begin" and recorder.calls[-1] == "train_end"
    assert recorder.calls.count("batch") == 3 * 2  # 48 training sequences / 32
    assert (tmp_path / "best.weights.h5").exists()
    assert len((tmp_path / "log.csv").read_text().splitlines()) == 4
    # Still clonable and picklable, fitted or not.
    twin = clone(clf)
    assert len(twin.callbacks) == 3 and twin.callbacks[0] is not recorder
    restored = pickle.loads(pickle.dumps(clf))
    np.testing.assert_array_equal(restored.predict(X), clf.predict(X))
    early = keras.callbacks.EarlyStopping(monitor="loss", patience=0, min_delta=10)
    stopped = _fast(Seq2SeqClassifier, epochs=50, callbacks=[early]).fit(X, y)
    assert stopped.n_iter_ < 5


class StopAfterBatch(keras.callbacks.Callback):
    def on_train_batch_end(self, batch, logs=None):
        if batch == 1:
            self.model.stop_training = True


def test_a_callback_stops_training_within_the_epoch_as_model_fit_does():
    X, y = _signs(64)
    clf = _fast(Seq2SeqClassifier, epochs=5, batch_size=8)
    clf.set_params(callbacks=[StopAfterBatch()]).fit(X, y)
    # Two batches of the first epoch's eight, and that epoch is recorded.
    assert (clf.n_steps_, clf.n_iter_) == (2, 1)
    assert len(clf.history_["loss"]) == 1


def test_warm_start_continues_through_new_lengths_and_learning_rate():
    X, _ = make_labelled_waves(40, length=12, random_state=0)
    ae = LSTMAutoencoderTransformer(
        units=3, max_steps=4, warm_start=True, random_state=0
    )
    ae.fit(X)
    steps, history = ae.n_steps_, len(ae.history_["loss"])
    shorter = [x[:8] for x in X]
    ae.set_params(learning_rate=0.01).fit(shorter)
    assert ae.n_steps_ == steps + 4 and len(ae.history_["loss"]) > history
    assert ae.model_.optimizer.learning_rate.numpy() == pytest.approx(0.01)
    ragged = [x[: 6 + i % 5] for i, x in enumerate(X)]
    ae.partial_fit(ragged)
    assert len(ae.history_["loss"]) > history + 1


def test_shape_changes_raise_in_partial_fit_and_refit_with_warm_start():
    X, _ = make_labelled_waves(30, length=8, random_state=0)
    ae = LSTMAutoencoderTransformer(units=3, max_steps=2, random_state=0).fit(X)
    with pytest.raises(ValueError, match="partial_fit cannot continue.*features"):
        ae.partial_fit(np.zeros((5, 8, 2)))
    with pytest.raises(ValueError, match="partial_fit cannot continue.*units"):
        ae.set_params(units=4).partial_fit(X)
    ae.set_params(warm_start=True)
    with pytest.warns(UserWarning, match="refitting from scratch"):
        ae.fit(X)
    assert ae.code_size_ == 8 + 2  # refit with units=4 (mean and max), level, scale


def test_partial_fit_keeps_the_auto_objectives_of_the_first_fit():
    # "auto" objectives depend on the number of sequences; a last, smaller
    # partial_fit batch (or a larger one after a small start) must not change
    # the network, which would refuse to continue.
    X, _ = make_labelled_waves(40, length=8, random_state=0)
    objectives = ("mask_fraction", "noise", "contrastive_weight")
    ae = LSTMAutoencoderTransformer(units=3, random_state=0).partial_fit(X[:16])
    first = {name: ae._config[name] for name in objectives}
    assert first["contrastive_weight"] > 0
    ae.partial_fit(X[16:21])
    assert {name: ae._config[name] for name in objectives} == first
    small = LSTMAutoencoderTransformer(units=3, random_state=0).partial_fit(X[:5])
    small.partial_fit(X[5:])
    assert small._config["contrastive_weight"] == 0.0
    assert small.n_iter_ == 2


def test_warm_start_refit_from_scratch_learns_the_new_classes():
    X, _ = make_reversed_prefix(30, random_state=0)
    y3 = np.array(["a", "b", "c"] * 10)
    clf = Seq2SeqClassifier(
        input_type="tokens", units=4, epochs=1, warm_start=True, random_state=0
    ).fit(X, y3)
    y2 = np.array(["a", "b"] * 15)
    with pytest.warns(UserWarning, match="refitting from scratch"):
        clf.set_params(units=5).fit(X, y2)
    assert clf.classes_.tolist() == ["a", "b"]
    assert clf.predict_proba(X).shape == (30, 2)
    # A label the fitted model lacks is refused, as scikit-learn's MLP does.
    with pytest.raises(ValueError, match="labels not seen.*warm_start=False"):
        clf.fit(X, np.array(["a", "d"] * 15))


@pytest.mark.parametrize("method", ["partial_fit", "warm_start"])
def test_continued_training_refuses_targets_of_another_layout(method):
    # Training that goes on keeps the fitted outputs: targets of another
    # layout would otherwise be predicted in the first fit's, silently.
    X, y = make_reversed_prefix(30, random_state=0)
    labels = y % 3
    warm = dict(warm_start=True) if method == "warm_start" else {}
    cases = [
        (Seq2SeqClassifier, labels[:, 0], labels, "sequences, 3 long.*one label per"),
        (Seq2SeqClassifier, labels, labels[:, :2], "sequences, 2 long.*sequences, 3"),
        (Seq2SeqRegressor, y[:, 0], y, r"shape \(30, 3\).*shape \(n_samples,\)"),
        (Seq2SeqRegressor, y, y[:, :2], r"shape \(30, 2\).*\(n_samples, 3\)"),
    ]
    for est, first, then, message in cases:
        model = est(units=3, epochs=1, random_state=0, **warm)
        if est is Seq2SeqClassifier:
            model.set_params(input_type="tokens")
        model.fit(X, first)
        with pytest.raises(ValueError, match=message):
            getattr(model, "fit" if warm else "partial_fit")(X, then)


def test_per_step_regressor_refuses_targets_of_another_layout():
    X = np.random.RandomState(0).normal(size=(20, 6))
    y = X * 2
    model = TimestepRegressor(units=2, epochs=1, random_state=0).fit(X, y)
    with pytest.raises(ValueError, match="last axis.*one value per step"):
        model.partial_fit(X, y[..., None])
    with pytest.raises(ValueError, match="last axis.*one value per step"):
        model.set_params(warm_start=True).fit(X, y[..., None])
    assert model.predict(X).shape == (20, 6)


def test_partial_fit_label_errors_are_clear():
    X, y = make_reversed_prefix(40, random_state=0)
    clf = Seq2SeqClassifier(input_type="tokens", units=4, random_state=0)
    clf.partial_fit(X[:20], y[:20])
    with pytest.raises(ValueError, match="classes="):
        clf.partial_fit(X, np.where(y == 1, 99, y))
    ragged = Seq2SeqClassifier(input_type="tokens", units=4, random_state=0)
    first = [s[:2] if i % 2 else s for i, s in enumerate(y[:20])]
    ragged.partial_fit(X[:20], first, classes=np.arange(1, 51))
    longer = [np.r_[s, s] for s in y[20:]]
    with pytest.raises(ValueError, match="equal-length.*6 long.*ragged.*up to 3 long"):
        ragged.partial_fit(X[20:], longer)
    # A chunk whose sequences happen to share a length continues a ragged fit.
    ragged.partial_fit(X[20:], [s[:2] for s in y[20:]])
    assert ragged.n_iter_ == 2


def test_string_tokens_learn_a_vocabulary():
    rng = np.random.RandomState(0)
    words = np.array(["cat", "dog", "emu", "fox"])
    X = words[rng.randint(0, 4, size=(300, 5))]
    y = X[:, :2]
    clf = Seq2SeqClassifier(
        input_type="tokens", units=16, epochs=30, learning_rate=0.01, random_state=0
    ).fit(X, y)
    assert clf.vocabulary_ == {"cat": 0, "dog": 1, "emu": 2, "fox": 3}
    assert clf.n_tokens_in_ == 4
    assert clf.score(X, y) > 0.9
    unseen = X[:3].copy()
    unseen[0, 4] = "gnu"
    with pytest.raises(ValueError, match="Sequence 0 has token 'gnu' at time step 4"):
        clf.predict(unseen)
    clf.set_params(handle_unknown="use_unknown").fit(X, y)
    assert clf.n_tokens_in_ == 5
    assert clf.predict(unseen).shape == (3, 2)
    ragged = [list(x[: 3 + i % 3]) for i, x in enumerate(X[:20])]
    assert clf.predict(ragged).shape == (20, 2)


def test_one_hot_targets_are_flagged():
    X = np.random.RandomState(0).normal(size=(30, 4))
    one_hot = np.eye(3)[np.arange(30) % 3]
    with pytest.warns(UserWarning, match="one-hot.*y.argmax"):
        Seq2SeqClassifier(units=2, epochs=1).fit(X, one_hot)
    with pytest.raises(ValueError, match="one-hot"):
        TimestepClassifier(units=2, epochs=1).fit(X, np.eye(2)[np.zeros((30, 4), int)])


_QUIET = """
import numpy as np
from sklearn.model_selection import GridSearchCV
from sklearn_seqae import LSTMAutoencoderTransformer, Seq2SeqClassifier
from sklearn_seqae.datasets import make_labelled_waves
X, y = make_labelled_waves(40, length=8, random_state=0)
for units in (2, 3, 4):  # several models: TensorFlow would warn of retracing
    LSTMAutoencoderTransformer(units=units, max_steps=3).fit(X).transform(X)
GridSearchCV(Seq2SeqClassifier(epochs=1), {"units": [2, 3]}, cv=2).fit(X, y)
"""


def test_fits_predictions_and_searches_print_nothing():
    out = subprocess.run(
        [sys.executable, "-c", _QUIET],
        capture_output=True,
        text=True,
        check=True,
        env={
            k: v
            for k, v in __import__("os").environ.items()
            if k != "TF_CPP_MIN_LOG_LEVEL"
        },
    )
    assert out.stdout == ""
    assert "retracing" not in out.stderr
    assert out.stderr.strip() == "", out.stderr[-2000:]


def test_a_normal_fit_warns_nothing():
    X, _ = make_labelled_waves(20, length=6, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        LSTMAutoencoderTransformer(units=2, max_steps=3, random_state=0).fit(X)


@pytest.mark.no_model
def test_devices_on_tensorflow_name_the_jax_backend():
    # tests/test_backends.py checks devices=2 itself, on JAX (make test).
    X = np.sin(np.arange(16 * 6).reshape(16, 6))
    ae = LSTMAutoencoderTransformer(units=2, epochs=1, devices=2)
    with pytest.raises(ValueError, match="needs the JAX backend.*KERAS_BACKEND=jax"):
        ae.fit(X)
    assert not hasattr(ae, "model_")
    with pytest.raises(ValueError, match="'devices' parameter"):
        LSTMAutoencoderTransformer(devices="two").fit(X)


def _pool_waves():
    rng = np.random.RandomState(0)
    return np.sin(rng.uniform(0, 6, (32, 1)) + 0.4 * np.arange(10))


def test_a_later_fit_reuses_a_free_model_and_gives_a_new_models_result():
    # Default objectives: masking noise and the contrastive loss use random
    # generators whose states must be reset along with the weights.
    X = _pool_waves()
    params = dict(units=3, max_steps=6, batch_size=16, random_state=1)
    first = LSTMAutoencoderTransformer(**params).fit(X)
    codes, history = first.transform(X), first.history_
    other = LSTMAutoencoderTransformer(
        **{**params, "random_state": 2, "learning_rate": 0.05}
    ).fit(X)
    assert other.model_ is not first.model_  # a live estimator keeps its own
    reused = weakref.ref(other.model_)
    del first, other
    gc.collect()
    again = LSTMAutoencoderTransformer(**params).fit(X)
    # It got the model trained with another seed and learning rate, reset.
    assert again.model_ is reused()
    assert again.history_ == history
    np.testing.assert_array_equal(again.transform(X), codes)


def test_a_reused_seq2seq_model_decodes_like_a_new_one():
    X, y = make_reversed_prefix(64, random_state=0)
    params = dict(units=4, input_type="tokens", max_steps=4, random_state=0)
    first = Seq2SeqClassifier(**params).fit(X, y)
    proba = first.predict_proba(X)
    reused = weakref.ref(first.model_)
    del first
    gc.collect()
    again = Seq2SeqClassifier(**params).fit(X, y)
    assert again.model_ is reused()
    np.testing.assert_array_equal(again.predict_proba(X), proba)


def test_a_large_vocabulary_over_few_label_sequences_is_not_called_a_regression():
    # Pooled over the steps, 6 sequences of 3 tokens hold more distinct labels
    # than half their count; scikit-learn's 1-D heuristic would warn here.
    X = np.arange(18).reshape(6, 3) % 12
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        Seq2SeqClassifier(input_type="tokens", units=2, epochs=1).fit(X, X)
    assert not [w for w in caught if "regression" in str(w.message)]
    with pytest.raises(ValueError, match=r"for example 0\.5"):
        Seq2SeqClassifier(units=2, epochs=1).fit(
            np.zeros((2, 3)), np.array([[0.5, 1.0], [1.0, 2.0]], dtype=object)
        )


def test_numpy_scalar_hyperparameters_reach_keras_as_python_numbers():
    # A grid over np.logspace(..., dtype=np.float32) or np.arange gives NumPy
    # scalars; Adam refused a float32 learning rate and Embedding an int64
    # size. Unusual units keep the model pool from lending a built model.
    rng = np.random.RandomState(0)
    X = rng.normal(size=(12, 6))
    ae = LSTMAutoencoderTransformer(
        units=(5, 3), epochs=1, learning_rate=np.float32(0.01), random_state=0
    ).fit(X)
    assert ae.model_.optimizer.learning_rate.numpy() == pytest.approx(0.01)
    tokens = rng.randint(0, 5, size=(12, 6))
    tagger = TimestepClassifier(
        units=(5, 3),
        epochs=1,
        input_type="tokens",
        embedding_dim=np.int64(3),
        learning_rate=np.int64(1),
        random_state=0,
    ).fit(tokens, tokens % 2)
    assert tagger.predict(tokens).shape == (12, 6)


@pytest.mark.parametrize("Estimator", [Seq2SeqClassifier, TimestepClassifier])
def test_only_the_ratios_of_sample_weights_count(Estimator):
    # Weights that sum to 1 (AdaBoost's) shrank the loss 60 times, and early
    # stopping's absolute tol then stopped training far too soon.
    X, y = _signs(n=60)
    if Estimator is TimestepClassifier:
        y = np.where(X > 0, "up", "down")
    weights = np.random.RandomState(1).uniform(0.5, 2.0, size=60)
    fits = [
        Estimator(units=4, epochs=40, n_iter_no_change=3, tol=1e-3, random_state=0).fit(
            X, y, sample_weight=w
        )
        for w in (weights, weights / weights.sum())
    ]
    assert fits[0].n_iter_ == fits[1].n_iter_
    np.testing.assert_allclose(
        fits[0].history_["loss"], fits[1].history_["loss"], rtol=1e-4
    )
