"""Keras, imported lazily, and every backend-specific setting in one place.

TensorFlow takes seconds to import, so ``import sklearn_seqae`` does not:
the estimators call :func:`import_keras` the first time they build a model.
This is the one module that knows about backends:

- log noise: TensorFlow's C++ log lines are off by default
  (``TF_CPP_MIN_LOG_LEVEL=3`` unless the user set it); the CUDA-stub lines
  that TensorFlow prints while it loads, whatever that level, are hidden by
  pointing the process's stderr at /dev/null during that import only; its
  Python retracing warnings are silenced only while the package's own code
  runs (:func:`quiet`). A user's own logging settings are left as they
  were;
- devices: data-parallel training differs per backend; it lives in
  :mod:`sklearn_seqae._distribute`;
- shapes: JAX compiles a train step for every input shape it meets, so
  training batches of ragged sequences are padded to a few lengths there
  (:func:`training_lengths`); TensorFlow's traced step takes any length;
- threads: predictions of one model run concurrently on TensorFlow only
  (:func:`predict_is_thread_safe`); in a worker of a parallel search (joblib
  sets ``OMP_NUM_THREADS`` to the worker's share of the cores),
  TensorFlow's and torch's thread pools are sized to that share instead of
  to the whole machine. JAX has no supported thread limit (jax-ml/jax#1539):
  the XLA flags suggested there are set, but a review measured jax 0.10
  ignoring them, so JAX workers may still use every core.
"""

import contextlib
import logging
import os
import sys
import threading
import weakref
from contextlib import contextmanager

__all__ = [
    "backend_name",
    "model_lock",
    "predict_is_thread_safe",
    "import_keras",
    "import_networks",
    "quiet",
    "training_lengths",
]

_configured = False


def backend_name():
    """The backend Keras will use, read without importing Keras."""
    name = os.environ.get("KERAS_BACKEND")
    if name:
        return name
    try:
        import json

        path = os.path.join(
            os.environ.get("KERAS_HOME", os.path.expanduser("~/.keras")), "keras.json"
        )
        with open(path) as handle:
            return json.load(handle).get("backend", "tensorflow")
    except (OSError, ValueError):
        return "tensorflow"


def predict_is_thread_safe():
    """Whether one model may run ``predict`` in several threads at once.

    TensorFlow's predict reads the variables where they are. Keras' JAX
    predict takes them out of the model for the call and puts them back
    after it, so a second thread meanwhile finds them gone, and the model
    stays broken: there, calls on one model take turns.
    """
    return backend_name() == "tensorflow"


_MODEL_LOCKS = weakref.WeakKeyDictionary()
_MODEL_LOCKS_GUARD = threading.Lock()


def model_lock(model):
    """A context in which ``model``'s variables may be read or predicted with.

    A no-op where predict is thread-safe; elsewhere (JAX) one lock per
    trained model, shared by its inference models, ``save`` and pickling,
    which would find the variables gone during another thread's predict.
    """
    if predict_is_thread_safe():
        return contextlib.nullcontext()
    with _MODEL_LOCKS_GUARD:
        return _MODEL_LOCKS.setdefault(model, threading.Lock())


def training_lengths(lengths):
    """The lengths training batches are padded to, or None: each its own.

    JAX compiles a train step for every input shape it meets, seconds each
    on a CPU, far more than a small batch's arithmetic: on 256 sequences of
    20-89 steps, cutting each batch to its own longest sequence made the
    fit ten times TensorFlow's. There every batch is padded to the next of
    four lengths, the training lengths' quartiles (the last is the
    longest), so a fit compiles at most four; sorting batches by length
    keeps the padding small. Padding changes no code and no loss, but the
    random draws of masking and noise take the padded shape, so such a
    fit differs from TensorFlow's as another seed would.
    TensorFlow's traced step takes any length.
    """
    import numpy as np

    if backend_name() != "jax":
        return None
    quartiles = np.percentile(lengths, [25, 50, 75, 100], method="higher")
    return np.unique(quartiles.astype(np.int64))


def worker_threads():
    """Threads this process should use, when a parallel runner said so."""
    value = os.environ.get("OMP_NUM_THREADS", "")
    return int(value) if value.isdigit() and int(value) > 0 else None


def _configure_before_import(backend, threads):
    # Only a default: a user's own setting wins.
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    if backend == "jax" and threads and "XLA_FLAGS" not in os.environ:
        os.environ["XLA_FLAGS"] = (
            f"--xla_cpu_multi_thread_eigen=false intra_op_parallelism_threads={threads}"
        )


def _configure_after_import(backend, threads):
    if not threads:
        return
    if backend == "tensorflow":
        import tensorflow as tf

        try:
            tf.config.threading.set_intra_op_parallelism_threads(threads)
            tf.config.threading.set_inter_op_parallelism_threads(threads)
        except RuntimeError:
            pass  # TensorFlow already started its pools (the user ran it first)
    elif backend == "torch":
        import torch

        torch.set_num_threads(threads)


def import_keras():
    """Import and return :mod:`keras`, configured for this process once."""
    return _load("keras")


def import_networks():
    """Import and return the package's network module (it imports Keras)."""
    return _load("networks")


def _load(what):
    """The one point through which the package reaches Keras.

    Every model the package builds comes from :mod:`sklearn_seqae._networks`
    or from Keras itself, and both are reached only here: the tests replace
    this function to prove that bad input is refused before any model code
    runs.
    """
    global _configured
    if not _configured:
        backend, threads = backend_name(), worker_threads()
        _configure_before_import(backend, threads)
        level = os.environ.get("TF_CPP_MIN_LOG_LEVEL", "")
        with _stderr_hidden(backend == "tensorflow" and level in ("2", "3")):
            import keras

        _configure_after_import(keras.backend.backend(), threads)
        _configured = True
    if what == "networks":
        from . import _networks

        return _networks
    import keras

    return keras


@contextmanager
def _stderr_hidden(hide):
    """Point file descriptor 2 at /dev/null for the block, if ``hide``."""
    if not hide:
        yield
        return
    sys.stderr.flush()
    saved, devnull = os.dup(2), os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)
    try:
        yield
    finally:
        sys.stderr.flush()
        os.dup2(saved, 2)
        os.close(saved)
        os.close(devnull)


@contextmanager
def quiet():
    """Silence TensorFlow's Python warnings (retracing) for the block only.

    Counted under a lock: threads that predict at once share one silenced
    stretch, and the last one out restores the level the first one found.
    """
    global _quiet_depth, _quiet_level
    logger = logging.getLogger("tensorflow")
    with _quiet_lock:
        if _quiet_depth == 0:
            _quiet_level = logger.level
            logger.setLevel(logging.ERROR)
        _quiet_depth += 1
    try:
        yield
    finally:
        with _quiet_lock:
            _quiet_depth -= 1
            if _quiet_depth == 0:
                logger.setLevel(_quiet_level)


_quiet_lock = threading.Lock()
_quiet_depth = 0
_quiet_level = logging.NOTSET
