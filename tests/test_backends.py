"""The backend subset: every estimator on whichever backend Keras runs.

``make test`` runs this module under ``KERAS_BACKEND=jax`` with two logical
CPU devices (``XLA_FLAGS=--xla_force_host_platform_device_count=2``); its
main TensorFlow run leaves it out, and ``pytest tests/test_backends.py``
runs it on TensorFlow. It covers, per estimator, fit, predict or transform,
decoding (greedy, beam, attention) and save/load; files saved on one
backend are loaded on the other in a child process; data-parallel
training (``devices``) is compared with one device; and a model reused
from the pool of compiled models trains like a new one.
"""

import json
import os
import pickle
import subprocess
import sys
import textwrap

import numpy as np
import pytest

from sklearn_seqae import (
    LSTMAutoencoderTransformer,
    Seq2SeqClassifier,
    Seq2SeqRegressor,
    TimestepClassifier,
    TimestepRegressor,
    load,
)

BACKEND = os.environ.get("KERAS_BACKEND", "tensorflow")
OTHER = "tensorflow" if BACKEND == "jax" else "jax"

pytestmark = pytest.mark.graph


def _echo(n=64, t=5, seed=0):
    """Tokens 1..5 and the task of copying them, one output per input step."""
    rng = np.random.RandomState(seed)
    X = rng.randint(1, 6, size=(n, t))
    return X, X.copy()


def _waves(n=64, t=12, seed=0):
    rng = np.random.RandomState(seed)
    phase = rng.uniform(0, 2 * np.pi, size=(n, 1))
    return np.sin(phase + 0.5 * np.arange(t)[None, :])


def test_keras_runs_on_the_backend_asked_for():
    from sklearn_seqae._keras import import_keras

    assert import_keras().backend.backend() == BACKEND


def test_autoencoder_fit_transform_reconstruct_forecast(tmp_path):
    X = _waves()
    ae = LSTMAutoencoderTransformer(
        units=8,
        mode="composite",
        n_future=2,
        max_steps=60,
        learning_rate=1e-2,
        mask_fraction=0,
        noise=0,
        contrastive_weight=0,
        random_state=0,
    ).fit(X)
    codes = ae.transform(X)
    assert codes.shape == (64, ae.code_size_) and np.isfinite(codes).all()
    assert ae.reconstruct(X).shape == X.shape
    assert ae.forecast(X, n_steps=3).shape == (64, 3)
    # Predicting zeros scores -0.50 (score is -MSE); measured after these 60
    # steps: -0.08 on TensorFlow, -0.03 on JAX.
    assert ae.score(X) > -0.25
    ae.save(tmp_path / "ae.seqae")
    np.testing.assert_allclose(load(tmp_path / "ae.seqae").transform(X), codes)


@pytest.mark.parametrize(
    "params",
    [dict(), dict(attention="dot", beam_width=3)],
    ids=["greedy", "attention-beam"],
)
def test_seq2seq_classifier_learns_echo_and_decodes(params, tmp_path):
    X, y = _echo(n=256)
    clf = Seq2SeqClassifier(
        units=16,
        input_type="tokens",
        batch_size=32,
        max_steps=150,
        random_state=0,
        **params,
    ).fit(X, y)
    pred = clf.predict(X)
    assert pred.shape == y.shape
    assert (pred == y).mean() > 0.5  # chance is 0.2 per step
    assert clf.predict_proba(X).shape == (256, 5, 5)
    clf.save(tmp_path / "clf.seqae")
    np.testing.assert_array_equal(load(tmp_path / "clf.seqae").predict(X), pred)


def test_seq2seq_regressor_continues_waves():
    X = _waves(t=14)
    reg = Seq2SeqRegressor(units=8, max_steps=60, random_state=0)
    reg.fit(X[:, :10], X[:, 10:])
    assert reg.predict(X[:, :10]).shape == (64, 4)
    assert reg.score(X[:, :10], X[:, 10:]) > 0.0


def test_timestep_estimators_one_output_per_step():
    X, y = _echo()
    clf = TimestepClassifier(
        units=8, input_type="tokens", max_steps=60, random_state=0
    ).fit(X, y)
    assert clf.predict_proba(X).shape == (64, 5, 5)
    assert clf.score(X, y) > 0.5
    Xw = _waves()
    reg = TimestepRegressor(units=8, max_steps=60, random_state=0).fit(
        Xw[:, :-1], Xw[:, 1:]
    )
    assert reg.predict(Xw[:, :-1]).shape == (64, 11)
    assert reg.score(Xw[:, :-1], Xw[:, 1:]) > 0.5


_CHILD = textwrap.dedent(
    """
    import json, sys
    import numpy as np
    from sklearn_seqae import TimestepClassifier, LSTMAutoencoderTransformer, load
    theirs, mine, X_file = sys.argv[1:4]
    X = np.load(X_file)
    loaded = {"ae": load(theirs + "_ae").transform(X).tolist(),
              "clf": load(theirs + "_clf").predict_proba(X).tolist()}
    LSTMAutoencoderTransformer(units=4, max_steps=5, random_state=0).fit(
        X.astype(float)).save(mine + "_ae")
    TimestepClassifier(units=4, input_type="tokens", max_steps=5,
                       random_state=0).fit(X, X).save(mine + "_clf")
    print(json.dumps(loaded))
    """
)


def test_files_saved_on_one_backend_load_on_the_other(tmp_path):
    X, y = _echo(n=32)
    ae = LSTMAutoencoderTransformer(units=4, max_steps=5, random_state=0)
    ae.fit(X.astype(float)).save(tmp_path / "here_ae")
    clf = TimestepClassifier(units=4, input_type="tokens", max_steps=5, random_state=0)
    clf.fit(X, y).save(tmp_path / "here_clf")
    np.save(tmp_path / "X.npy", X)
    env = dict(os.environ, KERAS_BACKEND=OTHER)
    env.pop("XLA_FLAGS", None)
    child = subprocess.run(
        [sys.executable, "-c", _CHILD]
        + [str(tmp_path / name) for name in ("here", "there", "X.npy")],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert child.returncode == 0, child.stderr[-3000:]
    loaded = json.loads(child.stdout.strip().splitlines()[-1])
    # Same weights, another backend's kernels: float32 rounding only.
    np.testing.assert_allclose(loaded["ae"], ae.transform(X), rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(
        loaded["clf"], clf.predict_proba(X), rtol=1e-4, atol=1e-5
    )
    theirs_ae = load(tmp_path / "there_ae")
    theirs_clf = load(tmp_path / "there_clf")
    assert theirs_ae.transform(X).shape == (32, theirs_ae.code_size_)
    assert theirs_clf.predict(X).shape == X.shape


def _fit_autoencoder(devices):
    X = _waves(n=64)
    ae = LSTMAutoencoderTransformer(
        units=8, batch_size=16, max_steps=20, devices=devices, random_state=0
    )
    return ae.fit(X), X


def test_data_parallel_training_matches_one_device():
    if BACKEND != "jax":
        with pytest.raises(ValueError, match="needs the JAX backend"):
            _fit_autoencoder(devices=2)
        return
    single, X = _fit_autoencoder(devices=None)
    parallel, _ = _fit_autoencoder(devices=2)
    assert parallel.n_steps_ == single.n_steps_ == 20
    # The batches and the initial weights are the same; only the order of
    # the float32 sums differs (each device sums half of each batch's
    # gradient, then the halves are averaged). Measured on 2 logical CPUs:
    # codes differ by 6e-8 after 20 Adam steps, while one step more moves
    # them by 2e-3; 1e-5 sits between the two with a wide margin each way.
    np.testing.assert_allclose(
        parallel.transform(X), single.transform(X), rtol=0, atol=1e-5
    )


@pytest.mark.parametrize(
    "devices, message",
    [
        (3, "sees 2 device"),
        (np.int64(3), "sees 2 device"),  # as from a grid over np.arange
        (["cpu:7"], "does not have"),
        (["cpu:0", "CPU:0"], "names a device more than once"),
        (2, "batch_size=15"),
    ],
)
def test_data_parallel_bad_devices_are_named(devices, message):
    X = _waves(n=32)
    ae = LSTMAutoencoderTransformer(
        units=4, batch_size=15, max_steps=2, devices=devices
    )
    if BACKEND != "jax":
        message = "needs the JAX backend"
    with pytest.raises(ValueError, match=message):
        ae.fit(X)


def test_data_parallel_batches_split_evenly():
    from sklearn_seqae._batching import batches

    rng = np.random.RandomState(0)
    lengths = rng.randint(3, 9, size=63)
    cut = batches(np.arange(63), 16, lengths, rng, multiple=2)
    sizes = [len(b) for b in cut]
    assert all(size % 2 == 0 for size in sizes) and max(sizes) == 16
    used = np.concatenate(cut)
    # Only the partial batch of each length group loses a sequence.
    assert len(np.unique(used)) == len(used) >= 63 - 1


def test_a_later_fit_reuses_a_free_model_like_a_new_one():
    import gc
    import weakref

    X = _waves(n=32)
    params = dict(units=3, max_steps=6, batch_size=16, random_state=1)
    first = LSTMAutoencoderTransformer(**params).fit(X)
    codes, reused = first.transform(X), weakref.ref(first.model_)
    del first
    gc.collect()
    again = LSTMAutoencoderTransformer(**params).fit(X)
    assert again.model_ is reused()
    np.testing.assert_array_equal(again.transform(X), codes)


def test_ragged_batches_take_few_lengths_on_jax_and_the_same_loss(monkeypatch):
    # JAX compiles a train step per input shape: there ragged batches are
    # padded to the quartiles of the training lengths, which changes no loss.
    from sklearn_seqae import _base

    rng = np.random.RandomState(0)
    X = [np.sin(np.arange(n) / 3.0) for n in rng.randint(6, 40, size=48)]
    params = dict(units=4, epochs=3, batch_size=8, random_state=0)
    plain = dict(mask_fraction=0.0, noise=0.0, contrastive_weight=0.0)
    seen, original = [], _base.training_lengths

    def spying(model_lengths):
        grid = original(model_lengths)
        seen.append(grid)
        return grid

    monkeypatch.setattr(_base, "training_lengths", spying)
    padded = LSTMAutoencoderTransformer(**params, **plain).fit(X)
    if BACKEND == "jax":
        assert len(seen[0]) <= 4 and seen[0][-1] == max(len(x) for x in X)
    else:
        assert seen[0] is None
    monkeypatch.setattr(_base, "training_lengths", lambda lengths: None)
    exact = LSTMAutoencoderTransformer(**params, **plain).fit(X)
    np.testing.assert_allclose(
        padded.history_["loss"], exact.history_["loss"], rtol=1e-5
    )
    np.testing.assert_allclose(padded.transform(X), exact.transform(X), atol=1e-5)


def test_one_fitted_estimator_serves_several_threads(tmp_path):
    # Keras' JAX predict takes a model's variables out while it runs: calls
    # that overlapped failed and left the estimator broken for good.
    import threading

    X = _waves(n=24, t=10)
    ae = LSTMAutoencoderTransformer(units=4, epochs=1, random_state=0).fit(X)
    clf = Seq2SeqClassifier(units=4, epochs=1, random_state=0)
    clf.fit(X, (X[:, 0] > 0).astype(int))
    serial = [ae.transform(X), clf.predict_proba(X)]
    results, errors = [], []

    def serve():
        try:
            for _ in range(3):
                results.append([ae.transform(X), clf.predict_proba(X)])
        except Exception as exc:
            errors.append(exc)

    def keep():
        # Saving and pickling read the variables a JAX predict takes out.
        try:
            for i in range(3):
                ae.save(tmp_path / f"ae{i}.seqae")
                pickle.loads(pickle.dumps(clf))
        except Exception as exc:
            errors.append(exc)

    threads = [threading.Thread(target=serve) for _ in range(4)]
    threads.append(threading.Thread(target=keep))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == [] and len(results) == 12
    np.testing.assert_array_equal(load(tmp_path / "ae2.seqae").transform(X), serial[0])
    for codes, proba in results:
        np.testing.assert_array_equal(codes, serial[0])
        np.testing.assert_array_equal(proba, serial[1])
