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
    name, version, params, state, weights = _persistence.read_file(path)
    cls = _ESTIMATORS.get(name)
    if cls is None:
        raise _persistence.FileFormatError(f"unknown estimator class {name!r}.")
    if version != __version__:
        warnings.warn(
            f"{os.fspath(path)!r} was saved by sklearn_seqae {version}; this is "
            f"{__version__}. It may load incorrectly; refit the estimator if "
            "results look wrong.",
            UserWarning,
            stacklevel=2,
        )
    estimator = cls(**params)
    if weights is None:
        estimator._restore(state, None)
        return estimator
    with tempfile.TemporaryDirectory() as tmp:
        weights_file = os.path.join(tmp, "model.weights.h5")
        with open(weights_file, "wb") as handle:
            handle.write(weights)
        try:
            estimator._restore(state, weights_file)
        except Exception as exc:  # h5py and Keras raise many kinds
            raise _persistence.FileFormatError(
                f"the weights in {os.fspath(path)!r} could not be read: {exc}"
            ) from None
    return estimator
