"""Behaviour of LSTMAutoencoderTransformer: modes, layouts, search, persistence."""

import pickle
import subprocess
import sys
import warnings

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import make_pipeline

from sklearn_seqae import LSTMAutoencoderTransformer
from sklearn_seqae._sequences import check_sequences


def _waves(n=24, length=8, n_features=1, seed=0):
    rng = np.random.RandomState(seed)
    t = np.linspace(0, 3, length)
    phase = rng.uniform(0, 2 * np.pi, size=(n, 1, n_features))
    return np.sin(t[None, :, None] + phase)


# The 0.1 autoencoder: last state, global scaling, plain reconstruction. Tests
# about reconstruction quality use it; the codes' defaults are in test_codes.
PLAIN = dict(
    code="last",
    standardize="global",
    mask_fraction=0.0,
    noise=0.0,
    contrastive_weight=0.0,
)


def _small(**params):
    defaults = dict(units=4, epochs=2, batch_size=8, random_state=0)
    return LSTMAutoencoderTransformer(**{**defaults, **params})


@pytest.mark.graph
def test_tutorial_reconstruction_of_one_sequence():
    # Tutorial 000: one sequence [0.1 .. 0.9] rebuilt by an LSTM autoencoder.
    # The tutorial's model: the last state as the code, plain reconstruction.
    sequence = np.linspace(0.1, 0.9, 9).reshape(1, 9, 1)
    ae = LSTMAutoencoderTransformer(
        units=32,
        epochs=300,  # the tutorial's budget, without early stopping
        max_steps=300,
        n_iter_no_change=None,
        learning_rate=0.01,
        random_state=0,
        **PLAIN,
    ).fit(sequence)
    reconstruction = ae.reconstruct(sequence)
    assert reconstruction.shape == sequence.shape
    assert np.abs(reconstruction - sequence).max() < 0.01
    assert ae.transform(sequence).shape == (1, 32)


@pytest.mark.graph
def test_tutorial_000_as_a_user_translates_it_at_the_defaults():
    # The tutorial's call with nothing but its own settings: one sequence is
    # too few for corruption or contrast ("auto" turns them off) and the set
    # epochs are trained in full, with no early stop on a noisy loss.
    sequence = np.linspace(0.1, 0.9, 9).reshape(1, 9)
    ae = LSTMAutoencoderTransformer(units=100, epochs=300).fit(sequence)
    assert (ae.n_iter_, ae.n_steps_) == (300, 300)
    assert np.abs(ae.reconstruct(sequence) - sequence).max() < 0.01


@pytest.mark.graph
def test_tutorial_000_composite_as_printed_in_the_docs():
    # docs/from_tutorials.rst, "Composite": the encoder reads 8 steps, one
    # decoder rebuilds them, the other predicts the 9th.
    sequence = np.linspace(0.1, 0.9, 9).reshape(1, 9)
    both = LSTMAutoencoderTransformer(
        units=32,
        mode="composite",
        n_future=1,
        epochs=150,
        learning_rate=0.01,
        random_state=0,
    ).fit(sequence)
    seen = sequence[:, :8]
    assert np.abs(both.reconstruct(seen) - seen).max() < 0.002
    assert both.forecast(seen)[0, 0] == pytest.approx(0.9, abs=0.01)


@pytest.mark.parametrize("mode", ["reconstruct", "predict", "composite"])
@pytest.mark.parametrize("conditional", [False, True])
def test_modes_fit_and_transform(mode, conditional):
    X = _waves(n_features=2)
    future = {} if mode == "reconstruct" else {"n_future": 2}
    ae = _small(mode=mode, conditional=conditional, **future).fit(X)
    codes = ae.transform(X)
    # Mean and max of 4 units, then the 2 features' levels and log scales.
    assert codes.shape == (len(X), 4 * 2 + 2 * 2) == (len(X), ae.code_size_)
    assert np.isfinite(codes).all()
    decoders = {layer.name for layer in ae.model_.layers if "decoder" in layer.name}
    assert (
        decoders
        == {
            "reconstruct": {"reconstruction_decoder"},
            "predict": {"future_decoder"},
            "composite": {"reconstruction_decoder", "future_decoder"},
        }[mode]
    )
    scores = ae.score_samples(X)
    assert scores.shape == (len(X),) and (scores <= 0).all()
    if mode != "reconstruct":
        assert ae.forecast(X, n_steps=5).shape == (len(X), 5, 2)
    else:
        with pytest.raises(ValueError, match="future decoder"):
            ae.forecast(X)
    if mode == "predict":
        with pytest.raises(ValueError, match="reconstruction decoder"):
            ae.reconstruct(X)


def test_stacked_bidirectional_reverse_dropout():
    X = _waves(n_features=3)
    ae = _small(
        units=(6, 3), bidirectional=True, reverse=True, dropout=0.2, **PLAIN
    ).fit(X)
    assert ae.code_size_ == 6
    assert ae.transform(X).shape == (len(X), 6)
    assert ae.get_feature_names_out().tolist() == [
        f"lstmautoencodertransformer_last{i}" for i in range(6)
    ]
    assert ae.reconstruct(X).shape == X.shape
    assert ae.inverse_transform(ae.transform(X)).shape == X.shape


@pytest.mark.graph
def test_reverse_learns_the_reversed_target():
    # With reverse=True the decoder emits the last step first; reconstruct()
    # undoes the reversal, so a trained model still rebuilds X in order.
    X = _waves(n=32, length=6)[..., 0]
    ae = LSTMAutoencoderTransformer(
        units=16,
        reverse=True,
        epochs=120,
        learning_rate=0.01,
        random_state=0,
        **PLAIN,
    ).fit(X)
    err_in_order = np.abs(ae.reconstruct(X) - X).mean()
    err_flipped = np.abs(ae.reconstruct(X)[:, ::-1] - X).mean()
    assert err_in_order < 0.1 < err_flipped


@pytest.mark.parametrize("reverse", [False, True])
def test_inverse_transform_aligns_a_shorter_sequence_as_documented(reverse):
    # A code does not carry its length: a short sequence's decoded steps start
    # at step 0, or with reverse=True end at the last step; reconstruct() has
    # the lengths and returns the same steps.
    X = [w[:n, 0] for w, n in zip(_waves(n=12, length=9), (5, 7, 9) * 4, strict=True)]
    ae = _small(reverse=reverse, **PLAIN).fit(X)
    decoded = ae.inverse_transform(ae.transform(X))
    for row, rebuilt in zip(decoded, ae.reconstruct(X), strict=True):
        steps = row[-len(rebuilt) :] if reverse else row[: len(rebuilt)]
        np.testing.assert_allclose(steps, rebuilt, rtol=1e-5, atol=1e-6)


def test_fit_transform_matches_fit_then_transform():
    X = _waves()
    codes = _small().fit_transform(X)
    np.testing.assert_array_equal(codes, _small().fit(X).transform(X))


def _layouts():
    X3 = _waves(n=6, length=5, n_features=2)
    frame = pd.DataFrame(
        X3.reshape(-1, 2),
        index=pd.MultiIndex.from_product([list("abcdef"), range(5)]),
        columns=["x", "y"],
    )
    return {
        "array2d": X3[..., 0],
        "array3d": X3,
        "ragged": [X3[i, : 3 + i % 3] for i in range(6)],
        "multiindex": frame,
        "wide": pd.DataFrame(X3[..., 0], columns=[f"t{i}" for i in range(5)]),
    }


@pytest.mark.parametrize("layout", list(_layouts()))
def test_every_layout_gives_codes_and_reconstructions(layout):
    X = _layouts()[layout]
    ae = _small().fit(X)
    assert ae.transform(X).shape == (6, ae.code_size_)
    n_features = 2 if layout in ("array3d", "ragged", "multiindex") else 1
    assert ae.n_features_in_ == n_features
    recon = ae.reconstruct(X)
    assert type(recon) is type(X)
    if layout == "ragged":
        assert [r.shape for r in recon] == [x.shape for x in X]
    elif layout == "multiindex":
        assert recon.index.equals(X.index)
        assert list(recon.columns) == ["x", "y"]
        assert list(ae.feature_names_in_) == ["x", "y"]
    else:
        assert recon.shape == X.shape


@pytest.mark.parametrize("item_shape", [(), (1,)])
def test_ragged_items_keep_their_feature_axis_in_every_output(item_shape):
    # Ragged (T_i,) items come back 1-D, (T_i, 1) items keep their axis, in
    # reconstruct, forecast and inverse_transform alike.
    rng = np.random.RandomState(0)
    X = [rng.normal(size=(4 + i % 2, *item_shape)) for i in range(10)]
    ae = _small(mode="composite").fit(X)
    assert ae.reconstruct(X)[1].shape == X[1].shape
    assert ae.forecast(X).shape == (10, 1, *item_shape)
    decoded = ae.inverse_transform(ae.transform(X))
    assert decoded.shape == (10, ae.n_timesteps_, *item_shape)


def test_padding_does_not_change_a_code():
    rng = np.random.RandomState(1)
    X = [rng.normal(size=(n, 2)) for n in (3, 9, 6)]
    ae = _small(units=(5, 3), bidirectional=True, epochs=1).fit(X)
    together = ae.transform(X)
    for i, seq in enumerate(X):
        np.testing.assert_allclose(together[i], ae.transform([seq])[0], atol=1e-5)


def test_padding_does_not_change_the_loss():
    rng = np.random.RandomState(2)
    short = rng.normal(size=(1, 3, 1)).astype("float32")
    ae = _small(contrastive_weight=0.0).fit(short)
    inputs, targets = ae._training_arrays(check_sequences(short), None)
    alone = ae.model_.evaluate(inputs, targets, verbose=0)
    padded_x = np.concatenate([inputs["sequences"], np.zeros((1, 4, 1))], axis=1)
    padded = {"sequences": padded_x, "mask": np.arange(7)[None] < 3}
    padded_targets = {"reconstruction": padded_x.astype("float32")}
    assert ae.model_.evaluate(padded, padded_targets, verbose=0) == pytest.approx(
        alone, rel=1e-5
    )


def test_lengths_may_change_after_fit():
    ae = _small().fit(_waves(length=8)[..., 0])
    size = ae.code_size_
    assert ae.transform(_waves(length=20)[..., 0]).shape == (24, size)
    assert ae.reconstruct(_waves(length=3)[..., 0]).shape == (24, 3)
    assert ae.inverse_transform(np.zeros((2, size))).shape == (2, 8)


def test_set_output_pandas():
    layouts = _layouts()
    ae = _small().set_output(transform="pandas").fit(layouts["multiindex"])
    codes = ae.transform(layouts["multiindex"])
    assert isinstance(codes, pd.DataFrame)
    assert list(codes.index) == list("abcdef")
    assert list(codes.columns) == list(ae.get_feature_names_out())
    codes = ae.fit(layouts["array3d"]).transform(layouts["array3d"])
    assert isinstance(codes, pd.DataFrame) and codes.shape == (6, ae.code_size_)


def test_pipeline_in_grid_search_over_units():
    rng = np.random.RandomState(0)
    t = np.linspace(0, 4 * np.pi, 12)
    y = np.repeat([0, 1], 20)
    freq = np.where(y == 0, 1.0, 2.5)[:, None]
    X = np.sin(freq * t + rng.uniform(0, 6, size=(40, 1)))
    pipe = make_pipeline(
        LSTMAutoencoderTransformer(epochs=3, random_state=0), LogisticRegression()
    )
    search = GridSearchCV(
        pipe, {"lstmautoencodertransformer__units": [2, 4]}, cv=2
    ).fit(X, y)
    assert search.best_params_["lstmautoencodertransformer__units"] in (2, 4)
    assert search.predict(X).shape == (40,)
    assert 0 <= search.score(X, y) <= 1


def test_grid_search_on_the_autoencoder_alone_uses_its_score():
    X = _waves(n=30)[..., 0]
    search = GridSearchCV(_small(), {"units": [1, 6]}, cv=2).fit(X)
    scores = search.cv_results_["mean_test_score"]
    assert (scores < 0).all()
    assert search.best_params_["units"] == [1, 6][int(np.argmax(scores))]


def test_clone_and_pickle_round_trip():
    X = _layouts()["ragged"]
    ae = _small(units=(4, 3), conditional=True, reverse=True).fit(X)
    twin = clone(ae)
    assert twin.get_params() == ae.get_params()
    assert not hasattr(twin, "model_")
    restored = pickle.loads(pickle.dumps(ae))
    np.testing.assert_array_equal(restored.transform(X), ae.transform(X))
    for a, b in zip(restored.reconstruct(X), ae.reconstruct(X), strict=True):
        np.testing.assert_array_equal(a, b)


def test_warm_start_and_partial_fit_continue_training():
    X = _waves()
    ae = _small(warm_start=True).fit(X)
    weights = ae.model_.get_weights()
    ae.fit(X)
    assert ae.n_iter_ == 4 and len(ae.history_["loss"]) == 4
    assert not all(
        np.array_equal(a, b)
        for a, b in zip(weights, ae.model_.get_weights(), strict=True)
    )
    cold = _small().fit(X)
    cold.fit(X)
    assert cold.n_iter_ == 2
    cold.partial_fit(X)
    assert cold.n_iter_ == 3


def test_early_stopping_on_validation_loss_restores_best():
    X = _waves(n=40)
    ae = _small(
        epochs=200, validation_fraction=0.25, n_iter_no_change=3, tol=10.0, **PLAIN
    ).fit(X)
    # tol=10 means no epoch after the first counts as an improvement.
    assert ae.n_iter_ == 1 + 3
    assert set(ae.history_) == {"loss", "val_loss"}
    assert len(ae.history_["val_loss"]) == 4


def test_verbose_2_prints_a_line_per_epoch(capsys):
    _small(verbose=2).fit(_waves())
    out = capsys.readouterr().out
    assert "Epoch 1 (1/2)" in out and "Epoch 2 (2/2)" in out and "loss" in out


def test_verbose_1_prints_nothing_when_output_is_not_a_terminal(capsys):
    _small(verbose=1).fit(_waves())
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err == ""


_PROGRESS = """
import time
import keras
import numpy as np
from sklearn_seqae import LSTMAutoencoderTransformer
X = np.sin(np.arange(24 * 8).reshape(24, 8) / 3.0)
# Steps slower than tqdm's 0.1 s redraw interval: every step is drawn.
slow = keras.callbacks.LambdaCallback(
    on_train_batch_end=lambda *a, **k: time.sleep(0.15)
)
LSTMAutoencoderTransformer(
    units=2, epochs=4, batch_size=8, verbose=1, callbacks=[slow], random_state=0
).fit(X)
"""


@pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")
def test_verbose_1_updates_one_progress_line_on_a_terminal():
    import fcntl
    import os
    import pty
    import struct
    import termios

    # The child's stderr, where tqdm writes, is a pseudo-terminal of 24 x 100.
    parent, child = pty.openpty()
    fcntl.ioctl(child, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))
    proc = subprocess.Popen(
        [sys.executable, "-c", _PROGRESS],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=child,
        env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"},
    )
    os.close(child)
    chunks = []
    while True:
        try:
            data = os.read(parent, 4096)
        except OSError:  # the child closed its end
            break
        if not data:
            break
        chunks.append(data)
    returncode = proc.wait(timeout=120)
    os.close(parent)
    screen = b"".join(chunks).decode(errors="replace")
    assert returncode == 0, screen
    # One line, redrawn in place (carriage returns, no newline per step),
    # through every step of the budget: 4 epochs of 3 batches.
    states = [s for s in screen.split("\r") if "LSTMAutoencoderTransformer" in s]
    assert len(states) >= 12
    assert "epoch 2" in screen and " 3/12" in screen and "loss=" in screen
    # It ends: the last state is the whole budget, and the line is left.
    assert "12/12" in states[-1] and screen.endswith("\n")
    # TensorFlow's own start-up lines come first; the bar is one line.
    bar = screen[screen.index("LSTMAutoencoderTransformer") :]
    assert bar.count("\n") == 1


def test_unpadded_input_skips_the_mask_with_the_same_codes():
    X = _waves(n=12, length=8)
    ae = _small(standardize="global").fit(X)
    unmasked = ae.transform(X)  # every sequence full length: no mask
    assert "encoder_unmasked" in ae._inference_models
    scaled = ((X - ae.feature_mean_) / ae.feature_scale_).astype("float32")
    masked = ae.encoder_.predict(
        {"sequences": scaled, "mask": np.ones(X.shape[:2], bool)}, verbose=0
    )
    np.testing.assert_allclose(unmasked, masked, rtol=1e-5, atol=1e-6)
    # With one shorter sequence the batch is padded and masked; the others'
    # codes do not change.
    ragged = [x for x in X] + [X[0, :5]]
    np.testing.assert_allclose(ae.transform(ragged)[:12], unmasked, atol=1e-6)


def test_mode_predict_is_the_old_spelling_of_forecast():
    X = np.sin(np.arange(12 * 8).reshape(12, 8) * 0.3)
    params = dict(units=3, n_future=2, epochs=2, random_state=0)
    new = LSTMAutoencoderTransformer(mode="forecast", **params).fit(X)
    with pytest.warns(FutureWarning, match="renamed mode='forecast'"):
        old = LSTMAutoencoderTransformer(mode="predict", **params).fit(X)
    np.testing.assert_array_equal(old.forecast(X), new.forecast(X))
    with warnings.catch_warnings():
        warnings.simplefilter("error", FutureWarning)
        LSTMAutoencoderTransformer(mode="forecast", **params).fit(X)


def test_a_column_transformer_names_the_codes_of_wide_columns():
    from sklearn.compose import make_column_transformer

    steps = [f"t{i}" for i in range(8)]
    frame = pd.DataFrame(_waves()[..., 0], columns=steps).assign(age=np.arange(24.0))
    columns = make_column_transformer(
        (_small(), steps), remainder="passthrough"
    ).set_output(transform="pandas")
    out = columns.fit_transform(frame)
    ae = columns.named_transformers_["lstmautoencodertransformer"]
    names = [f"lstmautoencodertransformer__{n}" for n in ae.get_feature_names_out()]
    assert list(out.columns) == [*names, "remainder__age"]
    # Names of the wrong length for per-step features are still refused.
    with pytest.raises(ValueError, match="length equal to n_features_in_"):
        _small().fit(_waves(n_features=2)).get_feature_names_out(["a", "b", "c"])


def test_score_weighs_sequences_like_fit():
    X = _waves()
    ae = _small().fit(X)
    weights = np.random.RandomState(0).uniform(size=len(X))
    expected = np.average(ae.score_samples(X), weights=weights)
    assert ae.score(X, sample_weight=weights) == pytest.approx(expected)
    assert ae.score(X) == pytest.approx(ae.score_samples(X).mean())
