"""polars layouts: reading and writing polars DataFrames of sequences.

polars frames have no index, so the pandas layouts of :mod:`._pandas` are
spelled with columns here; each is read through polars' own API (no copy
through pandas):

long (``"multiindex"``)
    A frame with a column named ``"instance"`` and one named ``"time"``; every
    other column is a feature. It is what ``pl.from_pandas(frame,
    include_index=True)`` makes of a pandas frame whose (instance, time)
    MultiIndex has those names. Instances keep their order of first
    appearance; within one, rows are sorted by time when its dtype is numeric
    or temporal, and kept in their given order otherwise.
nested (``"nested"``)
    One row per instance, every column of ``List`` or ``Array`` dtype, each
    cell one feature of one instance over time. The cells of one row have
    equal lengths; rows may differ.
wide (``"wide"``)
    Any other frame, read like a 2-D array: columns are time steps.

Outputs are written back as polars frames in the same layout.
"""

from __future__ import annotations

import numpy as np

from ._readers import as_numeric, from_dense, long_order

__all__ = ["polars_to_layout", "read_polars_frame"]

INSTANCE, TIME = "instance", "time"


def read_polars_frame(X, name):
    """Read a polars DataFrame of sequences.

    Returns what :func:`._pandas.read_frame` returns: ``values`` ``(n, T, F)``,
    ``lengths``, the layout name and the :class:`~._sequences.SequenceBatch`
    fields that rebuild it.
    """
    import polars as pl

    if isinstance(X, pl.LazyFrame):
        raise TypeError(f"{name} is a polars LazyFrame; call .collect() on it first.")
    columns = list(X.columns)
    if X.height == 0:
        raise ValueError(
            f"{name} is an empty DataFrame: at least 1 sequence is required."
        )
    has_ids = [c for c in (INSTANCE, TIME) if c in columns]
    if has_ids:
        if len(has_ids) == 1:
            missing = TIME if has_ids == [INSTANCE] else INSTANCE
            raise ValueError(
                f"{name} is a polars frame with a column named {has_ids[0]!r} but "
                f"none named {missing!r}: the long layout needs both (polars has no "
                f"index; name the columns that identify each row {INSTANCE!r} "
                f"and {TIME!r})."
            )
        values, lengths, extra = _from_long(X, name)
        return values, lengths, "multiindex", extra
    nested = [isinstance(X.schema[c], (pl.List, pl.Array)) for c in columns]
    if any(nested):
        if not all(nested):
            flat = columns[nested.index(False)]
            raise TypeError(
                f"{name}: column {flat!r} of the nested polars frame holds "
                f"{X.schema[flat]}, not lists; in a nested frame every cell is a "
                "list of one feature of one sequence over time."
            )
        values, lengths = _from_nested(X, name)
        extra = dict(columns=columns, feature_names=np.asarray(columns, dtype=object))
        return values, lengths, "nested", extra
    values, lengths, _ = from_dense(X.to_numpy(), name)
    return values, lengths, "wide", dict(columns=columns)


def _from_long(X, name):

    features = [c for c in X.columns if c not in (INSTANCE, TIME)]
    if not features:
        raise ValueError(f"{name} has 0 feature columns besides 'instance' and 'time'.")
    duplicated = X.select(INSTANCE, TIME).is_duplicated().to_numpy()
    if duplicated.any():
        row = X.row(int(np.flatnonzero(duplicated)[0]), named=True)
        raise ValueError(
            f"{name} has duplicate (instance, time) rows: instance "
            f"{row[INSTANCE]!r} has more than one row at time {row[TIME]!r}."
        )
    for column in (INSTANCE, TIME):
        if X.get_column(column).null_count():
            raise ValueError(f"{name}: the {column!r} column has missing values.")
    # Factorising a 1-D array does not copy the frame.
    time = X.get_column(TIME)
    order, codes, lengths, instances = long_order(
        X.get_column(INSTANCE).to_numpy(),
        time.to_numpy(),
        time.dtype.is_numeric() or time.dtype.is_temporal(),
    )
    values_flat = np.empty((X.height, len(features)), dtype=np.float64)
    for j, column in enumerate(features):
        values_flat[:, j] = as_numeric(
            X.get_column(column).to_numpy(), name, f"column {column!r}"
        )
    starts = np.concatenate([[0], np.cumsum(lengths)[:-1]])
    values = np.zeros((len(lengths), lengths.max(), len(features)))
    values[codes, np.arange(len(order)) - np.repeat(starts, lengths)] = values_flat[
        order
    ]
    times = time.to_numpy()[order]
    extra = dict(
        instance_index=np.asarray(instances),
        time_index=[times[s : s + n] for s, n in zip(starts, lengths, strict=True)],
        index_names=[INSTANCE, TIME],
        columns=features,
        feature_names=np.asarray(features, dtype=object),
    )
    return values, lengths, extra


def _from_nested(X, name):
    import polars as pl

    lengths, flats = None, []
    for column in X.columns:
        cells = X.get_column(column)
        if isinstance(cells.dtype, pl.Array):
            cells = cells.arr.to_list()
        if cells.null_count():
            row = int(np.flatnonzero(cells.is_null().to_numpy())[0])
            raise ValueError(
                f"Input {name} contains missing values: row {row} of column "
                f"{column!r} is null. Remove or impute missing values before "
                "fitting; sequences may have different lengths instead."
            )
        n = cells.list.len().to_numpy().astype(np.int64)
        if lengths is None:
            lengths = n
        elif (n != lengths).any():
            i = int(np.flatnonzero(n != lengths)[0])
            raise ValueError(
                f"{name}: row {i} of the nested polars frame has cells of different "
                f"lengths: column {column!r} has {n[i]} time steps, but column "
                f"{X.columns[0]!r} has {lengths[i]}. The cells of one row must have "
                "equal lengths."
            )
        flats.append(as_numeric(cells.explode().to_numpy(), name, f"column {column!r}"))
    if (lengths == 0).any():
        i = int(np.flatnonzero(lengths == 0)[0])
        raise ValueError(
            f"{name}: sequence {i} has length 0; every sequence needs at least one "
            "time step."
        )
    # explode() leaves one row for an empty list; none is left here.
    starts = np.concatenate([[0], np.cumsum(lengths)[:-1]])
    step = np.arange(int(lengths.sum())) - np.repeat(starts, lengths)
    rows = np.repeat(np.arange(len(lengths)), lengths)
    values = np.zeros((len(lengths), lengths.max(), len(flats)))
    values[rows, step] = np.stack(flats, axis=1)
    return values, lengths


def polars_to_layout(batch, values, lengths, *, output_names=None):
    """Per-step ``values`` ``(n, T, F)`` as a polars frame in ``batch``'s layout.

    Output columns are ``output_names`` (as strings) when given, else the
    input's feature names when their number matches, else ``"0" .. "k-1"``;
    a wide frame's columns stay its time steps. The long layout keeps the
    input's time labels when every length matches, else labels each
    instance's steps ``0 .. T_i - 1``.
    """
    import polars as pl

    n_out = values.shape[-1]
    columns = batch.columns
    if batch.layout == "wide":
        names = columns if values.shape[1] * n_out == len(columns) else None
    elif output_names is not None:
        names = [str(name) for name in output_names]
        if {INSTANCE, TIME} & set(names) and batch.layout != "nested":
            names = None  # a class named "time" must not replace the ids
    else:
        names = columns if n_out == len(columns) else None
    if batch.layout == "wide":
        out = values[..., 0] if n_out == 1 else values.reshape(len(values), -1)
        names = names or [str(i) for i in range(out.shape[1])]
        return pl.DataFrame(out, schema=names, orient="row")
    names = names or [str(i) for i in range(n_out)]
    if batch.layout == "nested":
        return pl.DataFrame(
            {
                name: pl.Series(name, [values[i, :n, j] for i, n in enumerate(lengths)])
                for j, name in enumerate(names)
            }
        )
    known = batch.time_index
    same = known is not None and all(
        len(t) == n for t, n in zip(known, lengths, strict=True)
    )
    times = (
        np.concatenate(known)
        if same
        else np.concatenate([np.arange(n) for n in lengths])
    )
    items = np.concatenate([values[i, :n] for i, n in enumerate(lengths)])
    frame = {
        INSTANCE: np.repeat(batch.instance_index, lengths),
        TIME: times,
    }
    frame.update({name: items[:, j] for j, name in enumerate(names)})
    return pl.DataFrame(frame)
