"""``load``: the public entry point that turns a file back into an estimator.

It sits above the estimators (it must know their classes) and below
nothing: the file format itself (:mod:`sklearn_seqae._persistence`) knows
no estimator class, and rebuilding goes through the one method that
unpickling uses too (``_restore``).
"""

import os
import tempfile
import warnings

from . import _persistence
from ._autoencoder import LSTMAutoencoderTransformer
from ._seq2seq_classifier import Seq2SeqClassifier
from ._seq2seq_regressor import Seq2SeqRegressor
from ._timestep_classifier import TimestepClassifier
from ._timestep_regressor import TimestepRegressor
from ._version import __version__

__all__ = ["load"]

_ESTIMATORS = {
    cls.__name__: cls
    for cls in (
        LSTMAutoencoderTransformer,
        Seq2SeqClassifier,
        Seq2SeqRegressor,
        TimestepClassifier,
        TimestepRegressor,
    )
}


def load(path):
    """Read an estimator written by its ``save`` method.

    The Keras model is rebuilt by the package's own code from the file's
    description, then the weights are read: nothing in the file is executed.

    Parameters
    ----------
    path : str or path-like

    Returns
    -------
    estimator : a sklearn_seqae estimator

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
        name, version, params, state, has_weights = _persistence.read_file(
            path, weights_file
        )
        return _build(path, name, version, params, state, has_weights and weights_file)


def _check_state(path, state):
    """Sizes in the state must agree with the network they claim to describe."""
    config = state.get("_config")
    if config is None:
        return
    if not isinstance(config, dict):
        raise _persistence.FileFormatError(
            f"{os.fspath(path)!r}: the network description is not a mapping."
        )
    n_features = state.get("n_features_in_")
    if n_features is not None and config.get("n_features") not in (None, n_features):
        raise _persistence.FileFormatError(
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
            raise _persistence.FileFormatError(
                f"{os.fspath(path)!r}: {name} has shape "
                f"{getattr(value, 'shape', None)}, not ({n_features},) as "
                "n_features_in_ says."
            )


def _build(path, name, version, params, state, weights_file):
    cls = _ESTIMATORS.get(name)
    if cls is None:
        raise _persistence.FileFormatError(f"unknown estimator class {name!r}.")
    _check_state(path, state)
    if version != __version__:
        warnings.warn(
            f"{os.fspath(path)!r} was saved by sklearn_seqae {version}; this is "
            f"{__version__}. It may load incorrectly; refit the estimator if "
            "results look wrong.",
            UserWarning,
            stacklevel=2,
        )
    try:
        estimator = cls(**params)
    except TypeError as exc:
        raise _persistence.FileFormatError(
            f"{os.fspath(path)!r} names parameters {cls.__name__} does not have: {exc}"
        ) from None
    if not weights_file:
        estimator._restore(state, None)
        return estimator
    try:
        estimator._restore(state, weights_file)
    except Exception as exc:  # h5py and Keras raise many kinds
        raise _persistence.FileFormatError(
            f"the weights in {os.fspath(path)!r} could not be read: {exc}"
        ) from None
    return estimator
