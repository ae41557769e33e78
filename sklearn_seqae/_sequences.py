"""Sequence input handling shared by every estimator.

Every estimator turns its ``X`` into a :class:`SequenceBatch` here, and turns
per-time-step outputs back into the caller's layout here. Nothing in this
module imports Keras: all validation happens before any model code runs, so
bad input fails fast with a message that names the offending sample.

Accepted layouts
----------------
``"array2d"``
    ``(n_samples, n_timesteps)``: univariate sequences of equal length.
``"array3d"``
    ``(n_samples, n_timesteps, n_features)``, Keras' order.
``"ragged"``
    A list (or 1-D object array) of arrays, each ``(T_i,)`` or
    ``(T_i, n_features)``, of varying length.
``"multiindex"``
    A pandas DataFrame with a two-level ``MultiIndex`` (instance, time) and
    one column per feature (sktime's "pd-multiindex").
``"nested"``
    A pandas DataFrame with one row per instance and one column per feature,
    each cell a ``pd.Series`` or 1-D array over time (sktime's "nested_univ").
``"wide"``
    A plain pandas DataFrame, read like a 2-D array (columns are time steps).

A pandas Series on a two-level MultiIndex is read as its one-column frame:
it is how per-step estimators return a prediction for such ``X``, so their
output can serve as ``y``. The same three layouts come as polars DataFrames
too, spelled with columns (polars has no index). The pandas layouts are
read and written by :mod:`sklearn_seqae._pandas`, the polars ones by
:mod:`sklearn_seqae._polars`.
Note the 3-D order: sktime's "numpy3D" is ``(n, channels, time)``, the
transpose of ours; :func:`check_sequences` warns when a 3-D array looks like it.
"""

from __future__ import annotations

import numbers
from dataclasses import dataclass, field

import numpy as np

from ._pandas import frame_to_layout, is_time_ordered, read_frame
from ._readers import from_dense, from_ragged, long_order
from ._warnings import warn

__all__ = [
    "SequenceBatch",
    "SequenceLayoutWarning",
    "check_feature_names",
    "check_sequences",
    "from_sequence_list",
    "long_frame_items",
    "to_sequence_list",
    "validate_sequences",
]


class SequenceLayoutWarning(UserWarning):
    """The input was read, but its layout suggests it was meant another way.

    Emitted for a 3-D array (not a list of sequences) that looks like
    ``(n_samples, n_channels, n_timesteps)`` (sktime's "numpy3D" order) rather
    than this package's ``(n_samples, n_timesteps, n_features)``: one time step
    and several features, or at least 10 times more features than time steps.
    """


@dataclass
class SequenceBatch:
    """Zero-padded sequences with their lengths and the layout they came in.

    Attributes
    ----------
    values : ndarray of shape (n_samples, max_length, n_features)
        Sequences, zero-padded at the end.
    lengths : ndarray of shape (n_samples,)
        The true length of each sequence.
    layout : str
        One of ``"array2d"``, ``"array3d"``, ``"ragged"``, ``"multiindex"``,
        ``"nested"``, ``"wide"``.
    """

    values: np.ndarray
    lengths: np.ndarray
    layout: str
    feature_names: np.ndarray | None = None
    # pandas layouts only, kept to rebuild outputs in the caller's layout: the
    # index of instances, each instance's time labels (a list of pd.Index or
    # None), the columns and the MultiIndex names.
    instance_index: object = None
    time_index: object = None
    columns: object = None
    index_names: list | None = None
    item_ndim: list = field(default_factory=list)
    # "pandas" or "polars" for frames: outputs are written back with the same.
    frame_library: str | None = None

    @property
    def n_samples(self):
        return self.values.shape[0]

    @property
    def n_features(self):
        return self.values.shape[2]

    @property
    def max_length(self):
        return self.values.shape[1]

    @property
    def mask(self):
        """Boolean array ``(n_samples, max_length)``: True on real time steps."""
        return np.arange(self.max_length)[None, :] < self.lengths[:, None]

    def take(self, indices):
        """Sub-batch of the given samples, trimmed to their longest sequence."""
        lengths = self.lengths[indices]
        max_length = int(lengths.max()) if len(lengths) else 0
        item_ndim = [self.item_ndim[i] for i in indices] if self.item_ndim else []
        times = self.time_index
        return SequenceBatch(
            values=self.values[indices, :max_length],
            lengths=lengths,
            layout=self.layout,
            feature_names=self.feature_names,
            instance_index=(
                None if self.instance_index is None else self.instance_index[indices]
            ),
            time_index=None if times is None else [times[i] for i in indices],
            columns=self.columns,
            index_names=self.index_names,
            item_ndim=item_ndim,
            frame_library=self.frame_library,
        )

    def to_layout(self, values, lengths=None, output_names=None):
        """Return per-step ``values`` of shape ``(n, T, F)`` in this layout.

        ``lengths`` (default: this batch's lengths) says how many steps of each
        sequence are real; padded steps are dropped for ragged and pandas
        layouts, so what went in ragged comes out ragged. A frame's output
        columns are ``output_names`` when given (predictions: classes,
        outputs), else the input's feature names when their number matches
        (reconstructions).
        """
        lengths = self.lengths if lengths is None else np.asarray(lengths)
        values = np.asarray(values)
        if self.layout == "array3d":
            return values
        if self.layout == "array2d":
            return values[..., 0] if values.shape[-1] == 1 else values
        if self.frame_library == "polars":
            from ._polars import polars_to_layout

            return polars_to_layout(self, values, lengths, output_names=output_names)
        if self.layout in ("multiindex", "nested", "wide"):
            return frame_to_layout(self, values, lengths, output_names=output_names)
        return [
            values[i, :n, 0] if ndim == 1 and values.shape[-1] == 1 else values[i, :n]
            for i, (n, ndim) in enumerate(zip(lengths, self.item_ndim, strict=True))
        ]


def _is_pandas_frame(X):
    return type(X).__module__.startswith("pandas") and hasattr(X, "columns")


def _is_polars_frame(X):
    # By type name: touching a LazyFrame's schema would resolve its query.
    return type(X).__module__.startswith("polars") and type(X).__name__ in (
        "DataFrame",
        "LazyFrame",
    )


def _is_long_pandas_series(X):
    return (
        type(X).__module__.startswith("pandas")
        and type(X).__name__ == "Series"
        and X.index.nlevels == 2
    )


def long_frame_items(y):
    """``(instances, per-instance arrays, per-instance times)`` of a long
    frame, else None.

    A long frame is a pandas Series or DataFrame on a two-level (instance,
    time) MultiIndex, or a polars DataFrame with ``"instance"`` and
    ``"time"`` columns: the layout per-step estimators predict in for such
    ``X``. Instances and time steps are ordered as :func:`check_sequences`
    orders ``X``'s, and values are kept as they are (labels need not be
    numbers): 1-D arrays for a Series, ``(T_i, n_columns)`` for a frame;
    the time labels of each instance's rows come in the same order.
    """
    from ._polars import INSTANCE, TIME

    if _is_long_pandas_series(y) or (_is_pandas_frame(y) and y.index.nlevels == 2):
        values = y.to_numpy()
        times = y.index.get_level_values(1)
        time_labels = np.asarray(times)
        order, _, lengths, instances = long_order(
            y.index.get_level_values(0), times, is_time_ordered(times)
        )
    elif (
        _is_polars_frame(y)
        and type(y).__name__ == "DataFrame"
        and {INSTANCE, TIME} <= set(y.columns)
    ):
        values = y.drop(INSTANCE, TIME).to_numpy()
        time = y.get_column(TIME)
        time_labels = time.to_numpy()
        order, _, lengths, instances = long_order(
            y.get_column(INSTANCE).to_numpy(),
            time_labels,
            time.dtype.is_numeric() or time.dtype.is_temporal(),
        )
    else:
        return None
    cuts = np.cumsum(lengths)[:-1]
    items = np.split(values[order], cuts)
    return np.asarray(instances), items, np.split(time_labels[order], cuts)


def _check_finite(values, lengths, name):
    """Raise naming the first sequence and time step with NaN or infinity."""
    finite = np.isfinite(values)
    if finite.all():
        return
    bad = ~finite
    sample, step, feature = (int(v[0]) for v in np.nonzero(bad))
    what = "NaN" if np.isnan(values[sample, step, feature]) else "infinity"
    raise ValueError(
        f"Input {name} contains NaN or infinity: sequence {sample} has {what} at "
        f"time step {step}, feature {feature}. Remove or impute missing values "
        "before fitting; sequences may have different lengths instead of "
        "NaN padding."
    )


def check_sequences(X, *, name="X", dtype=np.float32, ensure_finite=True):
    """Validate sequence input ``X`` and return a :class:`SequenceBatch`.

    Parameters
    ----------
    X : array-like, list of array-like or pandas DataFrame
        Sequences in one of the layouts described in the module docstring.
    name : str, default="X"
        Name used in error messages.
    dtype : dtype, default=np.float32
        Dtype of the padded values.
    ensure_finite : bool, default=True
        Raise on NaN or infinity.

    Returns
    -------
    batch : SequenceBatch
    """
    if X is None:
        raise ValueError(f"{name} is None; expected sequences.")
    if isinstance(X, (str, bytes)):
        raise TypeError(
            f"{name} is a string; expected an array or a list of sequences."
        )
    if hasattr(X, "toarray") or type(X).__module__.startswith("scipy.sparse"):
        raise TypeError(
            f"{name} is a sparse matrix; sequence estimators need dense input. "
            "Convert it with X.toarray()."
        )
    extra = {}
    item_ndim = []
    if _is_long_pandas_series(X):
        X = X.to_frame()
    if _is_pandas_frame(X):
        values, lengths, layout, extra = read_frame(X, name)
        extra["frame_library"] = "pandas"
    elif _is_polars_frame(X):
        from ._polars import read_polars_frame

        values, lengths, layout, extra = read_polars_frame(X, name)
        extra["frame_library"] = "polars"
    elif isinstance(X, (list, tuple)) or (
        isinstance(X, np.ndarray) and X.dtype == object and X.ndim == 1
    ):
        if len(X) and all(isinstance(v, numbers.Number) for v in X):
            raise ValueError(
                f"{name} is a flat list of {len(X)} numbers, which is ambiguous. "
                "Reshape your data: pass [sequence] for one sequence, or "
                "np.asarray(X).reshape(-1, 1) for one-step sequences."
            )
        try:
            dense = np.asarray(X) if not isinstance(X, np.ndarray) else X
        except ValueError:
            dense = None
        if dense is not None and dense.dtype != object and dense.ndim in (2, 3):
            values, lengths, layout = from_dense(dense, name)
        else:
            values, lengths, item_ndim = from_ragged(X, name)
            layout = "ragged"
    else:
        if (
            isinstance(X, dict)
            or not hasattr(X, "__len__")
            and not hasattr(X, "__array__")
        ):
            raise TypeError(
                f"{name} must be an array, a list of sequences or a DataFrame; got "
                f"{type(X).__name__}. Pass list(...) for an iterator of sequences."
            )
        try:
            X = np.asarray(X)
        except ValueError as exc:
            raise ValueError(f"{name} could not be read as an array: {exc}") from None
        if X.dtype == object and X.ndim == 1:
            return check_sequences(
                list(X), name=name, dtype=dtype, ensure_finite=ensure_finite
            )
        values, lengths, layout = from_dense(X, name)
    if ensure_finite:
        _check_finite(values, lengths, name)
    if values.size and np.abs(values).max() > np.finfo(np.float32).max:
        raise ValueError(
            f"{name} has values too large for float32 (largest magnitude "
            f"{np.abs(values).max():.3g})."
        )
    if layout == "array3d" and not isinstance(X, (list, tuple)):
        # A list holds (T, F) sequences by construction; an array may not.
        _warn_if_transposed(values.shape, name)
    return SequenceBatch(
        values=values.astype(dtype, copy=False),
        lengths=lengths,
        layout=layout,
        item_ndim=item_ndim,
        **extra,
    )


def _warn_if_transposed(shape, name):
    """Warn, once, when a 3-D array looks like (n, channels, time)."""
    n, n_steps, n_features = shape
    if not (n_steps == 1 and n_features > 1 or n_features >= 10 * n_steps):
        return
    warn(
        f"{name} has shape {shape} and was read as {n} sequence(s) of {n_steps} "
        f"time step(s) of {n_features} features: 3-D input is (n_samples, "
        f"n_timesteps, n_features). If {name} is (n_samples, n_channels, "
        f"n_timesteps), as sktime's numpy3D layout is, pass "
        f"{name}.transpose(0, 2, 1).",
        SequenceLayoutWarning,
    )


def validate_sequences(estimator, X, *, reset, name="X"):
    """Check ``X`` for ``estimator`` the way ``validate_data`` checks 2-D data.

    With ``reset=True`` it records ``n_features_in_`` (features per time step,
    not time steps) and ``feature_names_in_`` (for a MultiIndex or nested
    DataFrame with string columns). With ``reset=False`` it checks ``X``
    against them; the sequence length may differ from fit.
    """
    batch = check_sequences(X, name=name)
    if reset:
        estimator.n_features_in_ = batch.n_features
        if batch.feature_names is not None:
            estimator.feature_names_in_ = batch.feature_names
        elif hasattr(estimator, "feature_names_in_"):
            del estimator.feature_names_in_
        return batch
    if batch.n_features != estimator.n_features_in_:
        raise ValueError(
            f"{name} has {batch.n_features} features per time step, but "
            f"{type(estimator).__name__} is expecting {estimator.n_features_in_} "
            "features as input."
        )
    check_feature_names(estimator, batch.feature_names)
    return batch


def check_feature_names(estimator, names):
    """Raise when ``names`` differ from the ``feature_names_in_`` of fit.

    Only when both are known: data without column names is read by position.
    """
    fitted_names = getattr(estimator, "feature_names_in_", None)
    if fitted_names is not None and names is not None:
        if not np.array_equal(fitted_names, names):
            raise ValueError(
                "The feature names should match those that were passed during fit: "
                f"fitted with {list(fitted_names)}, got {list(names)}."
            )


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
    values, lengths, _ = from_ragged(list(sequences), "sequences")
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
