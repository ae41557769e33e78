"""Saving and loading estimators as one file, without pickle.

The file is a zip archive with two members:

``estimator.json``
    the class name, the package version, ``get_params()`` and the fitted
    state (NumPy arrays tagged with their dtype);
``model.weights.h5``
    the trained weights in Keras' own weights format.

Loading rebuilds the Keras model with this package's own code from the JSON
description, then loads the weights: nothing in the file is executed, so a
file from someone else cannot run code (no pickle, no Keras config
deserialisation of arbitrary objects).
"""

import json
import os
import tempfile
import warnings
import zipfile

import numpy as np

from ._version import __version__

__all__ = ["load", "save"]

_FORMAT = "sklearn_seqae/1"
_STATE_FILE = "estimator.json"
_WEIGHTS_FILE = "model.weights.h5"


class FileFormatError(ValueError):
    """The file is not a readable sklearn_seqae estimator file.

    Raised by :func:`load` for corrupt, truncated or foreign files. It
    subclasses :class:`ValueError`, so ``except ValueError`` catches it too.

    Examples
    --------
    >>> import os, tempfile
    >>> from sklearn_seqae import FileFormatError, load
    >>> path = os.path.join(tempfile.mkdtemp(), "model.seqae")
    >>> with open(path, "w") as f:
    ...     _ = f.write("not an estimator")
    >>> try:
    ...     load(path)
    ... except FileFormatError as exc:
    ...     print("not loaded:", type(exc).__name__, isinstance(exc, ValueError))
    not loaded: FileFormatError True
    """


def _encode(value):
    if isinstance(value, np.ndarray):
        if value.dtype == object:
            return {"__object_array__": [_encode(v) for v in value.tolist()]}
        return {"__ndarray__": value.tolist(), "dtype": value.dtype.str}
    if isinstance(value, np.random.RandomState):
        kind, keys, pos, has_gauss, gauss = value.get_state()
        return {"__random_state__": [kind, keys.tolist(), pos, has_gauss, gauss]}
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, tuple):
        return {"__tuple__": [_encode(v) for v in value]}
    if isinstance(value, list):
        return [_encode(v) for v in value]
    if isinstance(value, dict):
        return {"__dict__": [[_encode(k), _encode(v)] for k, v in value.items()]}
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    raise TypeError(f"cannot save a value of type {type(value).__name__}")


def _decode(value):
    if isinstance(value, list):
        return [_decode(v) for v in value]
    if not isinstance(value, dict):
        return value
    if "__ndarray__" in value:
        return np.asarray(value["__ndarray__"], dtype=np.dtype(value["dtype"]))
    if "__object_array__" in value:
        items = [_decode(v) for v in value["__object_array__"]]
        out = np.empty(len(items), dtype=object)
        out[:] = items
        return out
    if "__tuple__" in value:
        return tuple(_decode(v) for v in value["__tuple__"])
    if "__dict__" in value:
        return {_decode(k): _decode(v) for k, v in value["__dict__"]}
    if "__random_state__" in value:
        kind, keys, pos, has_gauss, gauss = value["__random_state__"]
        rng = np.random.RandomState()
        rng.set_state((kind, np.asarray(keys, dtype=np.uint32), pos, has_gauss, gauss))
        return rng
    raise FileFormatError(f"unknown tagged value in the file: {sorted(value)}")


def save(estimator, path):
    """Write a fitted (or unfitted) estimator to ``path`` as one file."""
    state = estimator.__getstate__()
    weights = state.pop("_weights", None)
    params = estimator.get_params(deep=False)
    for name in params:
        state.pop(name, None)
    document = {
        "format": _FORMAT,
        "version": __version__,
        "class": type(estimator).__name__,
        "params": _encode(params),
        "state": _encode(state),
    }
    with tempfile.TemporaryDirectory() as tmp:
        weights_path = os.path.join(tmp, _WEIGHTS_FILE)
        if weights is not None:
            estimator.model_.save_weights(weights_path)
        with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            archive.writestr(_STATE_FILE, json.dumps(document))
            if weights is not None:
                archive.write(weights_path, _WEIGHTS_FILE)


def load(path):
    """Read an estimator written by ``save``.

    Parameters
    ----------
    path : str or path-like

    Returns
    -------
    estimator : LSTMAutoencoderTransformer, Seq2SeqRegressor or \
            Seq2SeqClassifier

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
    >>> ae = LSTMAutoencoderTransformer(units=4, epochs=2, random_state=0).fit(X)
    >>> path = os.path.join(tempfile.mkdtemp(), "ae.seqae")
    >>> ae.save(path)
    >>> again = load(path)
    >>> np.array_equal(again.transform(X), ae.transform(X))
    True
    """
    from . import __all__ as public_names
    from . import _autoencoder, _seq2seq

    classes = {
        name: getattr(module, name)
        for module in (_autoencoder, _seq2seq)
        for name in module.__all__
        if name in public_names
    }
    try:
        with zipfile.ZipFile(path) as archive:
            document = json.loads(archive.read(_STATE_FILE))
            has_weights = _WEIGHTS_FILE in archive.namelist()
            weights = archive.read(_WEIGHTS_FILE) if has_weights else None
    except (zipfile.BadZipFile, KeyError, json.JSONDecodeError, EOFError) as exc:
        raise FileFormatError(
            f"{os.fspath(path)!r} is not a readable sklearn_seqae estimator file "
            f"(corrupt or truncated?): {exc}"
        ) from None
    if not isinstance(document, dict) or document.get("format") != _FORMAT:
        raise FileFormatError(
            f"{os.fspath(path)!r} is not a sklearn_seqae estimator file."
        )
    if document.get("class") not in classes:
        raise FileFormatError(f"unknown estimator class {document.get('class')!r}.")
    if document.get("version") != __version__:
        warnings.warn(
            f"{os.fspath(path)!r} was saved by sklearn_seqae "
            f"{document.get('version')}; this is {__version__}. It may load "
            "incorrectly; refit the estimator if results look wrong.",
            UserWarning,
            stacklevel=2,
        )
    estimator = classes[document["class"]](**_decode(document["params"]))
    state = _decode(document["state"])
    estimator.__dict__.update(state)
    if weights is not None:
        estimator._inference_models = {}
        estimator._build_network(estimator._config)
        with tempfile.TemporaryDirectory() as tmp:
            weights_path = os.path.join(tmp, _WEIGHTS_FILE)
            with open(weights_path, "wb") as handle:
                handle.write(weights)
            try:
                estimator.model_.load_weights(weights_path)
            except Exception as exc:  # h5py/Keras raise many kinds
                raise FileFormatError(
                    f"the weights in {os.fspath(path)!r} could not be read: {exc}"
                ) from None
    return estimator
