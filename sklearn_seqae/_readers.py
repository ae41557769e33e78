"""NumPy readers: arrays and lists of arrays to padded values and lengths.

The bottom of the input layer. :mod:`sklearn_seqae._sequences` (every
layout, the :class:`~sklearn_seqae._sequences.SequenceBatch`),
:mod:`sklearn_seqae._pandas` and :mod:`sklearn_seqae._polars` build on these
and nothing here imports them back. Each reader raises an error that names
the offending sequence, before any model code runs.
"""

import numbers

import numpy as np

__all__ = ["as_numeric", "feature_names", "from_dense", "from_ragged", "long_order"]


def as_numeric(array, name, where):
    """Convert to float, with a clear error for strings and other objects."""
    array = np.asarray(array)
    if array.dtype.kind in "fiub":
        return array.astype(np.float64, copy=False)
    if array.dtype.kind == "O":
        import pandas as pd

        # pd.NA (nullable pandas dtypes) is missing, not a foreign object:
        # as NaN it gets the missing-value error that names its place.
        missing = pd.isna(array)
        if missing.any():
            array = np.where(missing, np.nan, array)
    if array.dtype.kind in "USO":
        try:
            return array.astype(np.float64)
        except TypeError as exc:
            raise TypeError(
                f"{name} must contain numbers, but {where} holds an object that is "
                f"not one ({exc})."
            ) from None
        except ValueError as exc:
            raise ValueError(
                f"{name} must contain numbers, but {where} holds a non-numeric "
                f"value ({exc}). Encode strings as numbers (for token ids, "
                "Seq2SeqClassifier(input_type='tokens') reads integer ids)."
            ) from None
    if array.dtype.kind == "c":
        raise ValueError(
            f"Complex data not supported: {name} must be real-valued, but {where} "
            "is complex."
        )
    raise TypeError(f"{name}: {where} has unsupported dtype {array.dtype}.")


def from_dense(X, name):
    if X.ndim == 1:
        raise ValueError(
            f"Expected a 2-D array (n_samples, n_timesteps) or a 3-D array "
            f"(n_samples, n_timesteps, n_features) for {name}, got a 1-D array of "
            f"shape {X.shape}. Reshape your data: X.reshape(1, -1) for a single "
            "sequence, or pass a list of sequences."
        )
    if X.ndim not in (2, 3):
        raise ValueError(
            f"{name} must be 2-D (n_samples, n_timesteps) or 3-D (n_samples, "
            f"n_timesteps, n_features); got a {X.ndim}-D array of shape {X.shape}."
        )
    if X.shape[0] == 0:
        raise ValueError(
            f"Found array with 0 sample(s) (shape={X.shape}) while a minimum of 1 "
            f"is required: {name} is empty."
        )
    if X.shape[1] == 0:
        raise ValueError(
            f"Found array with 0 feature(s) (shape={X.shape}) while a minimum of 1 "
            f"is required: the sequences in {name} have length 0."
        )
    if X.ndim == 3 and X.shape[2] == 0:
        raise ValueError(f"{name} has 0 features per time step (shape={X.shape}).")
    values = as_numeric(X, name, "the array")
    layout = "array2d" if values.ndim == 2 else "array3d"
    if values.ndim == 2:
        values = values[:, :, None]
    lengths = np.full(values.shape[0], values.shape[1], dtype=np.int64)
    return values, lengths, layout


def from_ragged(X, name):
    items = list(X)
    if not items:
        raise ValueError(f"{name} is an empty list: at least 1 sequence is required.")
    arrays, item_ndim = [], []
    for i, item in enumerate(items):
        if isinstance(item, (str, bytes)):
            raise TypeError(
                f"{name}: sequence {i} is a string ({item!r:.40}); each sequence must "
                "be an array of numbers of shape (T,) or (T, n_features)."
            )
        if isinstance(item, numbers.Number):
            raise TypeError(
                f"{name}: sequence {i} is a scalar ({item!r}); a list of sequences "
                "must hold arrays of shape (T,) or (T, n_features). For one "
                "sequence, wrap it in a list: [sequence]."
            )
        try:
            arr = np.asarray(item)
        except ValueError as exc:
            raise ValueError(
                f"{name}: sequence {i} is not a rectangular array ({exc})."
            ) from None
        if arr.dtype == object:
            try:
                arr = arr.astype(np.float64)
            except (TypeError, ValueError):
                arr = None
        if arr is None:
            raise ValueError(
                f"{name}: sequence {i} has steps of different shapes or types; each "
                "sequence must be an array of numbers of shape (T,) or "
                "(T, n_features)."
            )
        if arr.ndim not in (1, 2):
            raise ValueError(
                f"{name}: sequence {i} has {arr.ndim} dimensions (shape "
                f"{arr.shape}); each sequence must be (T,) or (T, n_features)."
            )
        if arr.shape[0] == 0:
            raise ValueError(
                f"{name}: sequence {i} has length 0; every sequence needs at least "
                "one time step."
            )
        arr = as_numeric(arr, name, f"sequence {i}")
        arrays.append(arr if arr.ndim == 2 else arr[:, None])
        item_ndim.append(arr.ndim)
    n_features = arrays[0].shape[1]
    for i, arr in enumerate(arrays):
        if arr.shape[1] != n_features:
            raise ValueError(
                f"{name}: sequence {i} has {arr.shape[1]} features per time step, "
                f"but sequence 0 has {n_features}. All sequences must have the same "
                "number of features."
            )
    if n_features == 0:
        raise ValueError(f"{name} has 0 features per time step.")
    lengths = np.array([len(a) for a in arrays], dtype=np.int64)
    values = np.zeros((len(arrays), lengths.max(), n_features), dtype=np.float64)
    for i, arr in enumerate(arrays):
        values[i, : len(arr)] = arr
    return values, lengths, item_ndim


def feature_names(columns):
    names = np.asarray(columns, dtype=object)
    if all(isinstance(c, str) for c in names):
        return names
    return None


def long_order(instances, times, time_ordered):
    """How the rows of a long (instance, time) table make up sequences.

    Instances come in order of first appearance; within each, rows are sorted
    by time when ``time_ordered`` (labels that sort the way time runs), else
    kept in their given order.

    Returns
    -------
    order : ndarray of int
        Row positions, sequence after sequence.
    codes : ndarray of int
        The sequence of each row in ``order``.
    lengths : ndarray of int
        The number of rows of each sequence.
    uniques : ndarray
        The instance labels, in sequence order.
    """
    import pandas as pd

    codes, uniques = pd.factorize(instances, sort=False)
    if time_ordered:
        order = np.lexsort((pd.factorize(times, sort=True)[0], codes))
    else:
        order = np.argsort(codes, kind="stable")
    codes = codes[order]
    return order, codes, np.bincount(codes).astype(np.int64), uniques
