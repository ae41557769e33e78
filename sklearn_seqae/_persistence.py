"""Saving and loading estimators: ``save``, ``load`` and the class registry.

A Keras model neither pickles nor deep-copies reliably, so every route goes
through the model's weights: the estimator's state dict holds them as
arrays (pickle, deepcopy) or as a Keras weights file (``save``), and the
estimator's ``_restore`` builds the network again from its own config. The
file format itself lives in :mod:`sklearn_seqae._file_format`, which knows
no estimator class; this module knows the classes only through
:func:`register`, which the estimators' base class calls for every
concrete estimator (and the anomaly detector, which wraps one, for itself),
so it never imports them. An estimator names the Keras model whose weights
are saved with ``_saved_model()``.
"""

import copy
import inspect
import os
import tempfile

from . import _file_format
from ._file_format import FileFormatError
from ._version import __version__
from ._warnings import warn

__all__ = ["load", "portable", "register", "save"]

_ESTIMATORS = {}


def register(cls):
    """Make a concrete, public estimator class loadable by its name."""
    if not cls.__name__.startswith("_") and not inspect.isabstract(cls):
        _ESTIMATORS[cls.__name__] = cls


def portable(callback):
    """``callback``, or a copy without the attributes that cannot be copied.

    After a fit, Keras callbacks may hold resources that neither pickle nor
    deep-copy (CSVLogger's closed file, TensorBoard's writers); they are
    opened again at the next ``on_train_begin``.
    """
    try:
        return copy.deepcopy(callback)
    except Exception:
        duplicate = copy.copy(callback)
        for name, value in vars(callback).items():
            try:
                setattr(duplicate, name, copy.deepcopy(value))
            except Exception:
                setattr(duplicate, name, None)
        return duplicate


def save(estimator, path):
    """Write ``estimator`` to one file (see :mod:`sklearn_seqae._file_format`)."""
    state = estimator.__getstate__()
    weights = state.pop("_weights", None)
    params = estimator.get_params(deep=False)
    for name in params:
        state.pop(name, None)
    with tempfile.TemporaryDirectory() as tmp:
        weights_file = None
        if weights is not None:
            weights_file = os.path.join(tmp, "model.weights.h5")
            estimator._saved_model().save_weights(weights_file)
        _file_format.write_file(
            path,
            class_name=type(estimator).__name__,
            version=__version__,
            params=params,
            state=state,
            weights_file=weights_file,
        )


def load(path):
    """Read an estimator written by its ``save`` method.

    The Keras model is rebuilt by the package's own code from the file's
    description, then the weights are read: nothing in the file is executed.

    Parameters
    ----------
    path : str or path-like
        The file ``save`` wrote.

    Returns
    -------
    estimator : a sklearn_seqae estimator
        Fitted (or unfitted) as it was saved.

    Raises
    ------
    FileFormatError
        (a ValueError) when the file is not a complete sklearn_seqae file.

    Examples
    --------
    >>> import os, tempfile
    >>> import numpy as np
    >>> from sklearn_seqae import LSTMAutoencoderTransformer, load
    >>> X = np.sin(np.linspace(0, 6, 40 * 8)).reshape(40, 8)
    >>> ae = LSTMAutoencoderTransformer(units=4, max_steps=2, random_state=0).fit(X)
    >>> path = os.path.join(tempfile.mkdtemp(), "ae.seqae")
    >>> ae.save(path)
    >>> again = load(path)
    >>> np.array_equal(again.transform(X), ae.transform(X))
    True
    """
    with tempfile.TemporaryDirectory() as tmp:
        weights_file = os.path.join(tmp, "model.weights.h5")
        name, version, params, state, has_weights = _file_format.read_file(
            path, weights_file
        )
        return _build(path, name, version, params, state, has_weights and weights_file)


def _check_state(path, state):
    """Sizes in the state must agree with the network they claim to describe."""
    config = state.get("_config")
    if config is None:
        return
    if not isinstance(config, dict):
        raise FileFormatError(
            f"{os.fspath(path)!r}: the network description is not a mapping."
        )
    n_features = state.get("n_features_in_")
    if n_features is not None and config.get("n_features") not in (None, n_features):
        raise FileFormatError(
            f"{os.fspath(path)!r}: n_features_in_={n_features} disagrees with the "
            f"network's n_features={config.get('n_features')}."
        )
    for name in ("feature_mean_", "feature_scale_"):
        value = state.get(name)
        if (
            value is not None
            and n_features is not None
            and (getattr(value, "shape", None) != (n_features,))
        ):
            raise FileFormatError(
                f"{os.fspath(path)!r}: {name} has shape "
                f"{getattr(value, 'shape', None)}, not ({n_features},) as "
                "n_features_in_ says."
            )


def _build(path, name, version, params, state, weights_file):
    cls = _ESTIMATORS.get(name)
    if cls is None:
        raise FileFormatError(f"unknown estimator class {name!r}.")
    _check_state(path, state)
    if version != __version__:
        warn(
            f"{os.fspath(path)!r} was saved by sklearn_seqae {version}; this is "
            f"{__version__}. It may load incorrectly; refit the estimator if "
            "results look wrong.",
            UserWarning,
        )
    try:
        estimator = cls(**params)
    except TypeError as exc:
        raise FileFormatError(
            f"{os.fspath(path)!r} names parameters {cls.__name__} does not have: {exc}"
        ) from None
    if not weights_file:
        estimator._restore(state, None)
        return estimator
    try:
        estimator._restore(state, weights_file)
    except Exception as exc:  # h5py and Keras raise many kinds
        raise FileFormatError(
            f"the weights in {os.fspath(path)!r} could not be read: {exc}"
        ) from None
    return estimator
