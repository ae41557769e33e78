"""pandas layouts: reading and writing DataFrames of sequences.

Three DataFrame layouts are read here for :func:`~._sequences.check_sequences`
and rebuilt here for :meth:`~._sequences.SequenceBatch.to_layout`:

``"multiindex"``
    A two-level (instance, time) ``MultiIndex``, one column per feature
    (sktime's "pd-multiindex"). Instances keep their order of first
    appearance. Within an instance, rows are sorted by time when the time
    level is numeric or datetime-like, and kept in their given order otherwise
    (string labels such as ``"t10"`` do not sort the way time runs).
``"nested"``
    One row per instance, one column per feature, each cell a ``pd.Series``
    or 1-D array of that instance's values over time (sktime's
    "nested_univ"). The cells of one row have equal lengths; rows may differ.
``"wide"``
    Any other DataFrame, read like a 2-D array: columns are time steps.

It also holds :func:`to_sequence_list` and :func:`from_sequence_list`, which
turn any layout into a plain list of arrays and back, for tools that split
rows (scikit-learn's cross-validation cannot split a MultiIndex DataFrame by
instance).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from pandas.api.types import (
    is_datetime64_any_dtype,
    is_numeric_dtype,
    is_timedelta64_dtype,
)

from ._sequences import (
    _as_numeric,
    _feature_names,
    _from_dense,
    _from_ragged,
    check_sequences,
)

__all__ = ["from_sequence_list", "to_sequence_list"]

_CELL_TYPES = (pd.Series, np.ndarray, list, tuple)


# ---------------------------------------------------------------------------
# reading
# ---------------------------------------------------------------------------


def read_frame(X, name):
    """Read a DataFrame of sequences.

    Returns
    -------
    values : ndarray of shape (n_samples, max_length, n_features)
    lengths : ndarray of shape (n_samples,)
    layout : {"multiindex", "nested", "wide"}
    extra : dict
        The :class:`~._sequences.SequenceBatch` fields that rebuild the layout.
    """
    if X.index.nlevels > 1:
        values, lengths, instances, time_index = _from_multiindex(X, name)
        extra = dict(
            instance_index=instances,
            time_index=time_index,
            index_names=list(X.index.names),
            columns=X.columns,
            feature_names=_feature_names(X.columns),
        )
        return values, lengths, "multiindex", extra
    if _is_nested(X):
        values, lengths, time_index = _from_nested(X, name)
        extra = dict(
            instance_index=X.index,
            time_index=time_index,
            columns=X.columns,
            feature_names=_feature_names(X.columns),
        )
        return values, lengths, "nested", extra
    values, lengths, _ = _from_dense(X.to_numpy(), name)
    return values, lengths, "wide", dict(instance_index=X.index, columns=X.columns)


def _is_time_ordered(times):
    """Whether time labels sort the way time runs (numbers, dates, durations)."""
    dtype = times.dtype
    return (
        is_numeric_dtype(dtype)
        or is_datetime64_any_dtype(dtype)
        or is_timedelta64_dtype(dtype)
        or isinstance(dtype, pd.PeriodDtype)
    )


def _from_multiindex(X, name):
    if X.index.nlevels != 2:
        raise ValueError(
            f"{name}: a DataFrame of sequences needs a two-level MultiIndex "
            f"(instance, time); this one has {X.index.nlevels} levels."
        )
    if len(X) == 0:
        raise ValueError(
            f"{name} is an empty DataFrame: at least 1 sequence is required."
        )
    if X.shape[1] == 0:
        raise ValueError(f"{name} has 0 feature columns.")
    duplicated = X.index.duplicated()
    if duplicated.any():
        instance, time = (
            getattr(v, "item", lambda v=v: v)()
            for v in X.index[int(np.flatnonzero(duplicated)[0])]
        )
        raise ValueError(
            f"{name} has duplicate (instance, time) rows: instance {instance!r} has "
            f"more than one row at time {time!r}."
        )
    instance_codes, instances = pd.factorize(X.index.get_level_values(0), sort=False)
    times = X.index.get_level_values(1)
    # Instances in order of first appearance; within each, rows sorted by time
    # when time labels sort like time, else in their given order.
    if _is_time_ordered(times):
        time_codes = pd.factorize(times, sort=True)[0]
        order = np.lexsort((time_codes, instance_codes))
    else:
        order = np.argsort(instance_codes, kind="stable")
    values_flat = np.empty(X.shape, dtype=np.float64)
    for j, column in enumerate(X.columns):
        col = X.iloc[:, j].to_numpy()
        values_flat[:, j] = _as_numeric(col, name, f"column {column!r}")
    values_flat = values_flat[order]
    codes_sorted = instance_codes[order]
    lengths = np.bincount(codes_sorted).astype(np.int64)
    starts = np.concatenate([[0], np.cumsum(lengths)[:-1]])
    values = np.zeros((len(lengths), lengths.max(), X.shape[1]))
    step = np.arange(len(order)) - np.repeat(starts, lengths)
    values[codes_sorted, step] = values_flat
    times = times[order]
    time_index = [times[s : s + n] for s, n in zip(starts, lengths, strict=True)]
    instances = pd.Index(instances, name=X.index.names[0])
    return values, lengths, instances, time_index


def _is_nested(X):
    """Whether any cell of an object column holds a series or an array."""
    for j in range(X.shape[1]):
        column = X.iloc[:, j]
        if column.dtype == object and any(isinstance(v, _CELL_TYPES) for v in column):
            return True
    return False


def _from_nested(X, name):
    if len(X) == 0:
        raise ValueError(
            f"{name} is an empty DataFrame: at least 1 sequence is required."
        )
    rows, time_index = [], []
    for i, label in enumerate(X.index):
        cells, times = [], None
        for j, column in enumerate(X.columns):
            cell = X.iat[i, j]
            where = f"row {label!r} (sequence {i}), column {column!r}"
            if isinstance(cell, pd.Series):
                times = cell.index if times is None else times
                cell = cell.to_numpy()
            elif not isinstance(cell, _CELL_TYPES):
                raise TypeError(
                    f"{name}: {where} holds {type(cell).__name__} {cell!r:.40}; in a "
                    "nested DataFrame every cell holds a pd.Series or 1-D array of "
                    "one sequence's values over time."
                )
            try:
                cell = np.asarray(cell)
            except ValueError as exc:
                raise ValueError(f"{name}: {where} is not an array ({exc}).") from None
            if cell.ndim != 1:
                raise ValueError(
                    f"{name}: {where} has shape {cell.shape}; in a nested DataFrame "
                    "each cell is 1-D, one feature of one sequence over time."
                )
            cells.append(_as_numeric(cell, name, where))
            if len(cells[-1]) != len(cells[0]):
                raise ValueError(
                    f"{name}: row {label!r} (sequence {i}) of the nested DataFrame "
                    f"has cells of different lengths: column {column!r} has "
                    f"{len(cells[-1])} time steps, but column {X.columns[0]!r} has "
                    f"{len(cells[0])}. The cells of one row must have equal lengths."
                )
        rows.append(np.stack(cells, axis=1))
        time_index.append(times)
    values, lengths, _ = _from_ragged(rows, name)
    return values, lengths, time_index


# ---------------------------------------------------------------------------
# writing
# ---------------------------------------------------------------------------


def _time_labels(batch, lengths):
    """Each instance's time labels: the caller's where the length matches."""
    known = batch.time_index or [None] * len(lengths)
    return [
        times if times is not None and len(times) == n else pd.RangeIndex(n)
        for times, n in zip(known, lengths, strict=True)
    ]


def frame_to_layout(batch, values, lengths):
    """Per-step ``values`` ``(n, T, F)`` as a DataFrame in ``batch``'s layout."""
    instances = batch.instance_index
    if instances is None:
        instances = pd.RangeIndex(len(values))
    n_out = values.shape[-1]
    columns = batch.columns
    same_columns = columns is not None and n_out == len(columns)
    if batch.layout == "wide":
        out = values[..., 0] if n_out == 1 else values.reshape(len(values), -1)
        return pd.DataFrame(
            out,
            index=instances,
            columns=columns if out.shape[1] == len(columns) else None,
        )
    columns = columns if same_columns else pd.RangeIndex(n_out)
    times = _time_labels(batch, lengths)
    if batch.layout == "nested":
        cells = np.empty((len(values), n_out), dtype=object)
        for i, n in enumerate(lengths):
            for j in range(n_out):
                cells[i, j] = pd.Series(np.array(values[i, :n, j]), index=times[i])
        return pd.DataFrame(cells, index=instances, columns=columns)
    index = pd.MultiIndex.from_arrays(
        [instances.repeat(lengths), times[0].append(times[1:])],
        names=batch.index_names,
    )
    items = [values[i, :n] for i, n in enumerate(lengths)]
    return pd.DataFrame(np.concatenate(items), index=index, columns=columns)


# ---------------------------------------------------------------------------
# lists of sequences
# ---------------------------------------------------------------------------


def to_sequence_list(X):
    """Turn sequences in any supported layout into a list of NumPy arrays.

    scikit-learn's cross-validation splits the rows of a DataFrame, so a
    MultiIndex DataFrame (one row per time step) cannot go through
    :func:`~sklearn.model_selection.cross_val_score` as it is. A list of
    sequences can: it is split by sequence, and every estimator here reads it.

    Parameters
    ----------
    X : array-like, list of array-like or pandas DataFrame
        Sequences in any layout the estimators accept: a 2-D array
        ``(n_samples, n_timesteps)``, a 3-D array ``(n_samples, n_timesteps,
        n_features)``, a list of ``(T_i,)`` or ``(T_i, n_features)`` arrays, an
        (instance, time) MultiIndex DataFrame, a nested DataFrame or a wide
        DataFrame.

    Returns
    -------
    sequences : list of ndarray
        One float64 array per sequence, in the order the estimators read
        them (instances of a MultiIndex DataFrame in order of first
        appearance): ``(T_i,)`` for univariate data, ``(T_i, n_features)``
        otherwise.

    See Also
    --------
    from_sequence_list : Turn per-step arrays back into a layout.

    Examples
    --------
    >>> import pandas as pd
    >>> from sklearn_seqae import to_sequence_list
    >>> index = pd.MultiIndex.from_tuples(
    ...     [("a", 0), ("a", 1), ("a", 2), ("b", 0), ("b", 1)],
    ...     names=["instance", "time"],
    ... )
    >>> frame = pd.DataFrame({"x": [1, 2, 3, 4, 5]}, index=index)
    >>> to_sequence_list(frame)
    [array([1., 2., 3.]), array([4., 5.])]
    >>> frame["y"] = -frame["x"]
    >>> to_sequence_list(frame)[1]
    array([[ 4., -4.],
           [ 5., -5.]])
    """
    batch = check_sequences(X, dtype=np.float64, ensure_finite=False)
    if batch.n_features == 1:
        return [batch.values[i, :n, 0].copy() for i, n in enumerate(batch.lengths)]
    return [batch.values[i, :n].copy() for i, n in enumerate(batch.lengths)]


def from_sequence_list(sequences, like):
    """Turn a list of per-step arrays back into the layout of ``like``.

    The inverse of :func:`to_sequence_list`, for per-step outputs such as
    reconstructions or per-step predictions computed on that list.

    Parameters
    ----------
    sequences : list of array-like
        One ``(T_i,)`` or ``(T_i, n_outputs)`` array per sequence of ``like``,
        in the order :func:`to_sequence_list` gives.
    like : array-like, list of array-like or pandas DataFrame
        The sequences whose layout to return.

    Returns
    -------
    out : DataFrame, ndarray or list of ndarray
        For a MultiIndex DataFrame ``like``, a MultiIndex DataFrame with
        ``like``'s index names and instances; for a nested DataFrame, a nested
        DataFrame with ``like``'s index, cells as ``pd.Series``. An instance
        whose length matches ``like`` keeps ``like``'s time labels; others are
        labelled ``0 .. T_i - 1``. Columns are ``like``'s when the number of
        outputs matches, else ``0 .. n_outputs - 1``. For a wide DataFrame, a
        DataFrame with ``like``'s index. For an array or a list ``like`` (or a
        wide DataFrame and sequences of different lengths), an array when all
        lengths are equal, else a list of arrays.

    Raises
    ------
    ValueError
        If ``sequences`` and ``like`` hold different numbers of sequences.

    See Also
    --------
    to_sequence_list : Turn any layout into a list of arrays.

    Examples
    --------
    >>> import pandas as pd
    >>> from sklearn_seqae import from_sequence_list, to_sequence_list
    >>> index = pd.MultiIndex.from_tuples(
    ...     [("a", "t0"), ("a", "t1"), ("b", "t0")], names=["instance", "time"]
    ... )
    >>> frame = pd.DataFrame({"x": [1.0, 2.0, 3.0]}, index=index)
    >>> doubled = [2 * s for s in to_sequence_list(frame)]
    >>> from_sequence_list(doubled, like=frame)
                     x
    instance time
    a        t0    2.0
             t1    4.0
    b        t0    6.0
    >>> from_sequence_list([[1.0, 2.0], [3.0, 4.0]], like=[[0, 0], [0, 0]])
    array([[1., 2.],
           [3., 4.]])
    """
    batch = check_sequences(like, name="like", dtype=np.float64, ensure_finite=False)
    if isinstance(sequences, (str, bytes)) or not hasattr(sequences, "__len__"):
        raise TypeError(
            "sequences must be a list of arrays, one per sequence; got "
            f"{type(sequences).__name__}."
        )
    values, lengths, _ = _from_ragged(list(sequences), "sequences")
    if len(lengths) != batch.n_samples:
        raise ValueError(
            f"sequences has {len(lengths)} sequences, but like has "
            f"{batch.n_samples}; pass one array per sequence of like."
        )
    equal = bool((lengths == lengths[0]).all())
    if batch.layout in ("multiindex", "nested") or batch.layout == "wide" and equal:
        return batch.to_layout(values, lengths)
    keep_2d = (
        batch.layout == "array3d"
        or batch.layout == "ragged"
        and all(ndim == 2 for ndim in batch.item_ndim)
    )
    squeeze = values.shape[-1] == 1 and not keep_2d
    items = [
        values[i, :n, 0] if squeeze else values[i, :n] for i, n in enumerate(lengths)
    ]
    return np.stack(items) if equal else [item.copy() for item in items]
