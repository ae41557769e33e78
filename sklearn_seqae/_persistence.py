"""The estimator file format: one zip archive, read without running its code.

The file holds two members:

``estimator.json``
    a document with the format tag, the package version, the class name, the
    parameters and the fitted state (NumPy arrays tagged with their dtype);
``model.weights.h5``
    the trained weights in Keras' own weights format (absent when unfitted).

This module knows the format and nothing else: not the estimator classes,
not Keras. :mod:`sklearn_seqae._base` turns an estimator into a document
and back; loading builds the Keras model with the package's own code and
then reads the weights, so nothing in a file is executed (no pickle, no
Keras deserialisation of arbitrary objects).
"""

import json
import os
import zipfile

import numpy as np

__all__ = ["FileFormatError", "read_file", "write_file"]

_FORMAT = "sklearn_seqae/1"
_STATE_FILE = "estimator.json"
_WEIGHTS_FILE = "model.weights.h5"


class FileFormatError(ValueError):
    """The file is not a readable sklearn_seqae estimator file.

    Raised by :func:`sklearn_seqae.load` for corrupt, truncated or foreign
    files. It subclasses :class:`ValueError`, so ``except ValueError``
    catches it too.

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


def write_file(path, *, class_name, version, params, state, weights_file=None):
    """Write one estimator file; ``weights_file`` is a Keras weights file."""
    document = {
        "format": _FORMAT,
        "version": version,
        "class": class_name,
        "params": _encode(params),
        "state": _encode(state),
    }
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(_STATE_FILE, json.dumps(document))
        if weights_file is not None:
            archive.write(weights_file, _WEIGHTS_FILE)


def read_file(path):
    """``(class_name, version, params, state, weights)`` from an estimator file.

    ``weights`` is the bytes of the Keras weights file, or None.
    """
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
    return (
        document.get("class"),
        document.get("version"),
        _decode(document["params"]),
        _decode(document["state"]),
        weights,
    )
