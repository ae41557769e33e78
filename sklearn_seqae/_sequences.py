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

The same three layouts come as polars DataFrames too, spelled with columns
(polars has no index). The pandas layouts are read and written by
:mod:`sklearn_seqae._pandas`, the polars ones by :mod:`sklearn_seqae._polars`.
Note the 3-D order: sktime's "numpy3D" is ``(n, channels, time)``, the
transpose of ours; :func:`check_sequences` warns when a 3-D array looks like it.
"""

from __future__ import annotations

import numbers
import warnings
from dataclasses import dataclass, field

import numpy as np

__all__ = [
    "SequenceBatch",
    "SequenceLayoutWarning",
    "check_sequences",
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

    def to_layout(self, values, lengths=None):
        """Return per-step ``values`` of shape ``(n, T, F)`` in this layout.

        ``lengths`` (default: this batch's lengths) says how many steps of each
        sequence are real; padded steps are dropped for ragged and pandas
        layouts, so what went in ragged comes out ragged.
        """
        lengths = self.lengths if lengths is None else np.asarray(lengths)
        values = np.asarray(values)
        if self.layout == "array3d":
            return values
        if self.layout == "array2d":
            return values[..., 0] if values.shape[-1] == 1 else values
        if self.frame_library == "polars":
            from ._polars import polars_to_layout

            return polars_to_layout(self, values, lengths)
        if self.layout in ("multiindex", "nested", "wide"):
            from ._pandas import frame_to_layout

            return frame_to_layout(self, values, lengths)
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


def _as_numeric(array, name, where):
    """Convert to float, with a clear error for strings and other objects."""
    array = np.asarray(array)
    if array.dtype.kind in "fiub":
        return array.astype(np.float64, copy=False)
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


def _from_dense(X, name):
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
    values = _as_numeric(X, name, "the array")
    layout = "array2d" if values.ndim == 2 else "array3d"
    if values.ndim == 2:
        values = values[:, :, None]
    lengths = np.full(values.shape[0], values.shape[1], dtype=np.int64)
    return values, lengths, layout


def _from_ragged(X, name):
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
        arr = _as_numeric(arr, name, f"sequence {i}")
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
    if _is_pandas_frame(X):
        from ._pandas import read_frame

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
            values, lengths, layout = _from_dense(dense, name)
        else:
            values, lengths, item_ndim = _from_ragged(X, name)
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
        values, lengths, layout = _from_dense(X, name)
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
    warnings.warn(
        f"{name} has shape {shape} and was read as {n} sequence(s) of {n_steps} "
        f"time step(s) of {n_features} features: 3-D input is (n_samples, "
        f"n_timesteps, n_features). If {name} is (n_samples, n_channels, "
        f"n_timesteps), as sktime's numpy3D layout is, pass "
        f"{name}.transpose(0, 2, 1).",
        SequenceLayoutWarning,
        stacklevel=3,
    )


def _feature_names(columns):
    names = np.asarray(columns, dtype=object)
    if all(isinstance(c, str) for c in names):
        return names
    return None


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
    fitted_names = getattr(estimator, "feature_names_in_", None)
    if fitted_names is not None and batch.feature_names is not None:
        if not np.array_equal(fitted_names, batch.feature_names):
            raise ValueError(
                "The feature names should match those that were passed during fit: "
                f"fitted with {list(fitted_names)}, got {list(batch.feature_names)}."
            )
    return batch
