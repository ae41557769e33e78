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

It builds on the NumPy readers of :mod:`sklearn_seqae._readers`; the list
helpers :func:`~sklearn_seqae.to_sequence_list` and
:func:`~sklearn_seqae.from_sequence_list` live in :mod:`sklearn_seqae._sequences`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from pandas.api.types import (
    is_datetime64_any_dtype,
    is_numeric_dtype,
    is_timedelta64_dtype,
)

from ._readers import (
    as_numeric,
    feature_names,
    from_dense,
    from_ragged,
    long_order,
)

__all__ = ["frame_to_layout", "is_time_ordered", "read_frame"]

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
            feature_names=feature_names(X.columns),
        )
        return values, lengths, "multiindex", extra
    if _is_nested(X):
        values, lengths, time_index = _from_nested(X, name)
        extra = dict(
            instance_index=X.index,
            time_index=time_index,
            columns=X.columns,
            feature_names=feature_names(X.columns),
        )
        return values, lengths, "nested", extra
    values, lengths, _ = from_dense(X.to_numpy(), name)
    return values, lengths, "wide", dict(instance_index=X.index, columns=X.columns)


def is_time_ordered(times):
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
    times = X.index.get_level_values(1)
    order, codes_sorted, lengths, instances = long_order(
        X.index.get_level_values(0), times, is_time_ordered(times)
    )
    values_flat = np.empty(X.shape, dtype=np.float64)
    for j, column in enumerate(X.columns):
        col = X.iloc[:, j].to_numpy()
        values_flat[:, j] = as_numeric(col, name, f"column {column!r}")
    values_flat = values_flat[order]
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
            cells.append(as_numeric(cell, name, where))
            if len(cells[-1]) != len(cells[0]):
                raise ValueError(
                    f"{name}: row {label!r} (sequence {i}) of the nested DataFrame "
                    f"has cells of different lengths: column {column!r} has "
                    f"{len(cells[-1])} time steps, but column {X.columns[0]!r} has "
                    f"{len(cells[0])}. The cells of one row must have equal lengths."
                )
        rows.append(np.stack(cells, axis=1))
        time_index.append(times)
    values, lengths, _ = from_ragged(rows, name)
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


def frame_to_layout(batch, values, lengths, output_names=None):
    """Per-step ``values`` ``(n, T, F)`` as a DataFrame in ``batch``'s layout.

    Output columns are ``output_names`` when given, else the input's feature
    names when their number matches, else ``0 .. F-1``.
    """
    instances = batch.instance_index
    if instances is None:
        instances = pd.RangeIndex(len(values))
    n_out = values.shape[-1]
    columns = batch.columns
    same_columns = columns is not None and n_out == len(columns)
    if output_names is not None and batch.layout != "wide":
        columns, same_columns = pd.Index(output_names), True
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
