"""An outlier detector on reconstruction error, for sequences and streams."""

from __future__ import annotations

import numbers

import numpy as np
from sklearn.base import BaseEstimator, OutlierMixin, _fit_context
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.validation import check_is_fitted

from . import _persistence
from ._autoencoder import LSTMAutoencoderTransformer
from ._sequences import SequenceBatch, check_feature_names, validate_sequences
from ._warnings import warn

__all__ = ["LSTMAnomalyDetector"]

#: Optimizer steps of a fit at ``max_steps="auto"`` with no ``epochs`` set,
#: chosen on bench/anomaly.py's generated streams.
DETECTOR_MAX_STEPS = 1000
# Windows scored per chunk of a stream: bounds memory, whatever its length.
STREAM_CHUNK_WINDOWS = 4096
# Training windows kept from a long stream: the step budget sees at most
# 1,000 batches, so more windows would only cost memory.
MAX_TRAINING_WINDOWS = 20_000
# contamination="auto": an error is anomalous past the box plot's fence
# (third quartile plus 1.5 interquartile ranges; Tukey) of the training
# errors' logarithms. Errors are skewed: on their own scale the fence flagged
# 3-11% of normal points of bench/anomaly.py's streams, on the log scale 0-0.3%.
TUKEY_FENCE = 1.5
TINY_ERROR = 1e-12


class LSTMAnomalyDetector(OutlierMixin, BaseEstimator):
    """Unsupervised anomaly detector: an LSTM autoencoder's reconstruction error.

    Fit it on (mostly) normal data; sequences, or points of a stream, that it
    reconstructs badly are anomalies. It follows scikit-learn's outlier
    detectors (:class:`~sklearn.ensemble.IsolationForest`,
    :class:`~sklearn.neighbors.LocalOutlierFactor` with ``novelty=True``):
    ``score_samples`` is higher for more normal data, ``decision_function``
    is negative for anomalies and ``predict`` says +1 (normal) or -1
    (anomaly).

    Two kinds of input:

    - ``window=None`` (default): ``X`` holds sequences, in any layout the
      other estimators read; each sequence gets one score, and
      :meth:`score_steps` says where inside it the error is.
    - ``window=int``: ``X`` is **one stream**, a long series (1-D,
      ``(n_points, n_features)``, a pandas Series or DataFrame with a time
      index, or a polars frame). It is cut into windows of ``window`` points
      every ``stride`` points; each window is reconstructed, and each point's
      score is the mean of the errors (each a mean over the window's steps)
      of the windows that cover it, so a point is located to within a
      window. The samples are
      then the stream's points: ``score_samples`` returns one score per point.
      Windows are made in chunks, never all at once, so memory stays bounded
      for streams of any length.

    The autoencoder is trained for this job, not for classification codes:
    global scaling (a per-sequence one would hide a level shift), plain
    reconstruction (no masking, noise or contrastive term, which would teach
    it to repair anomalies), decoded from the encoder's last state (a pooled
    code forgets the order of the steps it must rebuild). These settings and
    the defaults below were chosen on ``bench/anomaly.py``'s generated
    streams.

    Parameters
    ----------
    window : int or None, default=None
        Points per window when ``X`` is a stream; None reads ``X`` as
        sequences.
    stride : int or None, default=None
        Points between window starts (None: ``window // 4``, at least 1). The
        last window always ends at the stream's last point.
    contamination : "auto" or float in (0, 0.5], default="auto"
        Sets the threshold ``offset_``. A float: that fraction of the training
        sequences (or points) scores below it. ``"auto"``: a score is
        anomalous past the box plot's fence (third quartile plus 1.5
        interquartile ranges, Tukey's rule) of the logarithms of the training
        errors, with no assumed fraction: about 0.7% of log-normally
        distributed errors. (Reconstruction errors are skewed; on their own
        scale the fence flags several percent of normal data.)
    units : int or tuple of int, default=64
        LSTM units of the encoder (a tuple stacks layers).
    epochs : int or None, default=None
        Passes over the training windows or sequences; None trains
        ``max_steps``.
    max_steps : int, "auto" or None, default="auto"
        Optimizer steps: ``"auto"`` is 1,000 unless ``epochs`` is set.
    batch_size : int, default=32
        Sequences per optimizer step.
    learning_rate : float, default=5e-3
        Adam's learning rate.
    random_state : int, RandomState instance or None, default=None
        Seeds the weights and the shuffling; an int gives identical
        results in every process.
    verbose : int, default=0
        As for :class:`LSTMAutoencoderTransformer`.

    Attributes
    ----------
    autoencoder_ : LSTMAutoencoderTransformer
        The fitted autoencoder.
    offset_ : float
        The threshold: ``decision_function = score_samples - offset_``.
    stride_ : int or None
        The stride used (None for sequences).
    n_features_in_ : int
        Features per time step.
    feature_names_in_ : ndarray of shape (``n_features_in_``,)
        Feature names, for frames with string column names.

    See Also
    --------
    LSTMAutoencoderTransformer : the model, with ``score_samples`` only.
    sklearn.ensemble.IsolationForest : a tabular outlier detector.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_seqae import LSTMAnomalyDetector
    >>> t = np.arange(3000)
    >>> stream = np.sin(2 * np.pi * t / 50)
    >>> detector = LSTMAnomalyDetector(window=50, epochs=1, random_state=0)
    >>> detector.fit(stream[:2000]).score_samples(stream[2000:]).shape
    (1000,)
    """

    _parameter_constraints = {
        "window": [Interval(numbers.Integral, 2, None, closed="left"), None],
        "stride": [Interval(numbers.Integral, 1, None, closed="left"), None],
        "contamination": [
            StrOptions({"auto"}),
            Interval(numbers.Real, 0, 0.5, closed="right"),
        ],
        "units": [Interval(numbers.Integral, 1, None, closed="left"), tuple, list],
        "epochs": [Interval(numbers.Integral, 1, None, closed="left"), None],
        "max_steps": [
            Interval(numbers.Integral, 1, None, closed="left"),
            StrOptions({"auto"}),
            None,
        ],
        "batch_size": [Interval(numbers.Integral, 1, None, closed="left")],
        "learning_rate": [Interval(numbers.Real, 0, None, closed="neither")],
        "random_state": ["random_state"],
        "verbose": ["verbose"],
    }

    def __init__(
        self,
        *,
        window=None,
        stride=None,
        contamination="auto",
        units=64,
        epochs=None,
        max_steps="auto",
        batch_size=32,
        learning_rate=5e-3,
        random_state=None,
        verbose=0,
    ):
        self.window = window
        self.stride = stride
        self.contamination = contamination
        self.units = units
        self.epochs = epochs
        self.max_steps = max_steps
        self.batch_size = batch_size
        self.learning_rate = learning_rate
        self.random_state = random_state
        self.verbose = verbose

    # -- fitting --------------------------------------------------------------
    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None):
        """Train on (mostly) normal sequences or a normal stretch of a stream.

        Parameters
        ----------
        X : sequences, or one stream when ``window`` is set
            Sequences as :meth:`fit` reads them or, with ``window`` set, one
            series of points.
        y : None
            Ignored.

        Returns
        -------
        self : LSTMAnomalyDetector
        """
        # A fit that raises leaves a fitted detector as it was: the new
        # autoencoder is a new object, so the old state is all there is.
        saved = dict(self.__dict__)
        try:
            return self._fit(X)
        except BaseException:
            self.__dict__.clear()
            self.__dict__.update(saved)
            raise

    def _fit(self, X):
        if self.window is None:
            if self.stride is not None:
                warn(
                    f"stride={self.stride} is ignored: it spaces the windows cut "
                    "from a stream, and window=None scores whole sequences. Set "
                    "window to read X as one stream.",
                    UserWarning,
                )
            self.stride_ = None
            batch = validate_sequences(self, X, reset=True)
            train = batch
        else:
            if self.stride is not None and self.stride > self.window:
                raise ValueError(
                    f"stride={self.stride} is larger than window={self.window}: "
                    "points between windows would never be scored."
                )
            self.stride_ = self.stride or max(1, self.window // 4)
            values, _ = self._check_stream(X, reset=True)
            starts = _window_starts(len(values), self.window, self.stride_)
            if len(starts) > MAX_TRAINING_WINDOWS:
                keep = np.linspace(0, len(starts) - 1, MAX_TRAINING_WINDOWS)
                starts = starts[np.round(keep).astype(int)]
            train = _windows(values, starts, self.window)
        self.autoencoder_ = self._new_autoencoder()
        if self.window is None:
            self.autoencoder_.fit(X)
            scores = -self._sequence_errors(train)
        else:
            self.autoencoder_.fit(train)
            scores = -self._stream_errors(values)
        if self.contamination == "auto":
            q1, q3 = np.percentile(np.log(np.maximum(-scores, TINY_ERROR)), [25, 75])
            self.offset_ = float(-np.exp(q3 + TUKEY_FENCE * (q3 - q1)))
        else:
            self.offset_ = float(np.percentile(scores, 100 * self.contamination))
        return self

    def _new_autoencoder(self):
        """The network of this detector's parameters, unfitted."""
        return LSTMAutoencoderTransformer(
            units=self.units,
            code="last",
            standardize="global",
            mask_fraction=0.0,
            noise=0.0,
            contrastive_weight=0.0,
            epochs=self.epochs,
            # The detector's own budget (the transformer's "auto" is 600).
            max_steps=(
                DETECTOR_MAX_STEPS
                if self.max_steps == "auto" and self.epochs is None
                else self.max_steps
            ),
            batch_size=self.batch_size,
            learning_rate=self.learning_rate,
            random_state=self.random_state,
            verbose=self.verbose,
        )

    # -- scoring --------------------------------------------------------------
    def score_samples(self, X):
        """Typicality of each sequence, or of each point of a stream.

        The negative mean squared reconstruction error, each feature measured
        in units of its training spread: higher is more normal.

        Parameters
        ----------
        X : sequences, or one stream when ``window`` is set
            Sequences as :meth:`fit` reads them or, with ``window`` set, one
            series of points.

        Returns
        -------
        scores : ndarray of shape (n_samples,) or (n_points,)
            For a pandas stream, a Series on its index.
        """
        check_is_fitted(self)
        if self.window is None:
            batch = validate_sequences(self, X, reset=False)
            return -self._sequence_errors(batch)
        values, index = self._check_stream(X, reset=False)
        scores = -self._stream_errors(values)
        if index is not None:
            import pandas as pd

            return pd.Series(scores, index=index, name="score")
        return scores

    def decision_function(self, X):
        """``score_samples(X) - offset_``: negative for anomalies.

        Parameters
        ----------
        X : sequences, or one stream when ``window`` is set
            Sequences as :meth:`fit` reads them or, with ``window`` set, one
            series of points.

        Returns
        -------
        scores : ndarray of shape (n_samples,) or (n_points,)
        """
        return self.score_samples(X) - self.offset_

    def predict(self, X):
        """+1 for normal sequences (or points), -1 for anomalies.

        Parameters
        ----------
        X : sequences, or one stream when ``window`` is set
            Sequences as :meth:`fit` reads them or, with ``window`` set, one
            series of points.

        Returns
        -------
        labels : ndarray of shape (n_samples,) or (n_points,)
        """
        decision = np.asarray(self.decision_function(X))
        return np.where(decision < 0, -1, 1)

    def score_steps(self, X):
        """Where the error is: a typicality score for every step of every sequence.

        Parameters
        ----------
        X : sequences (``window=None``)
            Sequences in any layout :meth:`fit` accepts; lengths may differ
            from fit.

        Returns
        -------
        scores : ndarray of shape (n_samples, n_timesteps) or list of ndarray
            The negative squared reconstruction error at each step (features
            in units of their training spread): an array for 2-D or 3-D
            input, else a list of arrays, each of its sequence's own length.
            Padding gets no score.
        """
        check_is_fitted(self)
        if self.window is not None:
            raise ValueError(
                "score_steps reads sequences; with window set, score_samples "
                "already scores every point of the stream."
            )
        batch = validate_sequences(self, X, reset=False)
        errors = self._chunked_step_errors(batch)
        if batch.layout in ("array2d", "array3d"):
            return -errors
        return [-errors[i, :n] for i, n in enumerate(batch.lengths)]

    # -- internals ------------------------------------------------------------
    def _chunked_step_errors(self, batch):
        out = np.zeros(batch.values.shape[:2])
        for start in range(0, batch.n_samples, STREAM_CHUNK_WINDOWS):
            part = batch.take(
                np.arange(start, min(start + STREAM_CHUNK_WINDOWS, batch.n_samples))
            )
            out[start : start + part.n_samples, : part.max_length] = (
                self.autoencoder_._step_errors(part)
            )
        return out

    def _sequence_errors(self, batch):
        return self._chunked_step_errors(batch).sum(axis=1) / batch.lengths

    def _stream_errors(self, values):
        """Each point's score: the mean error of the windows that cover it.

        A window's error is its mean over its steps. Scoring each point by its
        own step's error instead localises a spike to the point but missed
        stretches that are wrong as a whole: on bench/anomaly.py's 12 streams
        its per-point AUC was 0.83-0.90 on flat segments, noise bursts and
        frequency changes, against 0.999-1.000 with window errors.
        """
        window = self.window
        starts = _window_starts(len(values), window, self.stride_)
        total = np.zeros(len(values))
        count = np.zeros(len(values))
        offsets = np.arange(window)
        for i in range(0, len(starts), STREAM_CHUNK_WINDOWS):
            chunk = starts[i : i + STREAM_CHUNK_WINDOWS]
            batch = _batch(_windows(values, chunk, window))
            errors = self.autoencoder_._step_errors(batch).mean(axis=1)
            # Starts are distinct, so each offset adds to distinct points.
            for k in offsets:
                total[chunk + k] += errors
                count[chunk + k] += 1
        return total / count

    def _check_stream(self, X, *, reset):
        """``(values (n_points, n_features) float32, pandas index or None)``."""
        values, index, names = _read_stream(X)
        if len(values) < self.window:
            raise ValueError(
                f"The stream has {len(values)} points, fewer than one window of "
                f"{self.window}: pass a longer stream or a smaller window."
            )
        n_features = values.shape[1]
        if reset:
            self.n_features_in_ = n_features
            if names is not None:
                self.feature_names_in_ = names
            elif hasattr(self, "feature_names_in_"):
                del self.feature_names_in_
        else:
            if n_features != self.n_features_in_:
                raise ValueError(
                    f"The stream has {n_features} features per point, but "
                    f"{type(self).__name__} was fitted on {self.n_features_in_}."
                )
            check_feature_names(self, names)
        return values, index

    # -- persistence ----------------------------------------------------------
    def save(self, path):
        """Save the detector to one file; read it back with ``load(path)``.

        The same file format as the other estimators': parameters and fitted
        state as JSON, the autoencoder's weights in Keras' weights format.

        Parameters
        ----------
        path : str or path-like
            Where to write. An existing file is replaced atomically.
        """
        _persistence.save(self, path)

    def _saved_model(self):
        return self.autoencoder_.model_

    def __getstate__(self):
        # The autoencoder follows from the parameters: only its fitted state
        # and weights are kept, so that ``save`` can write them as data.
        # A copy: object.__getstate__ may hand back the instance's own dict.
        state = dict(super().__getstate__())
        autoencoder = state.pop("autoencoder_", None)
        if autoencoder is not None:
            inner = autoencoder.__getstate__()
            state["_weights"] = inner.pop("_weights", None)
            for name in autoencoder.get_params(deep=False):
                inner.pop(name, None)
            state["_autoencoder_state"] = inner
        return state

    def __setstate__(self, state):
        state = dict(state)
        self._restore(state, state.pop("_weights", None))

    def _restore(self, state, weights):
        """Rebuild from a state dict (pickle) or a file's state (``load``)."""
        state = dict(state)
        inner = state.pop("_autoencoder_state", None)
        self.__dict__.update(state)
        if inner is not None:
            autoencoder = self._new_autoencoder()
            autoencoder._restore(inner, weights)
            self.autoencoder_ = autoencoder

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.three_d_array = True
        tags.non_deterministic = self.random_state is None
        return tags


def _window_starts(n_points, window, stride):
    starts = np.arange(0, n_points - window + 1, stride)
    if starts[-1] != n_points - window:
        starts = np.append(starts, n_points - window)
    return starts


def _windows(values, starts, window):
    """The windows starting at ``starts``, copied only for these starts."""
    view = np.lib.stride_tricks.sliding_window_view(values, window, axis=0)
    return np.ascontiguousarray(view[starts].transpose(0, 2, 1))


def _batch(windows):
    n, length, _ = windows.shape
    return SequenceBatch(
        values=windows.astype(np.float32, copy=False),
        lengths=np.full(n, length, dtype=np.int64),
        layout="array3d",
    )


def _read_stream(X):
    """One stream as ``(values, pandas index or None, feature names or None)``."""
    if X is None:
        raise ValueError("X is None; expected a stream (window is set).")
    module = type(X).__module__
    index, names = None, None
    if module.startswith("pandas"):
        if getattr(X, "index", None) is not None and X.index.nlevels > 1:
            raise ValueError(
                "With window set, X is one stream; this DataFrame has a "
                "MultiIndex (several sequences). Set window=None to score "
                "sequences, or pass one instance's frame."
            )
        index = X.index
        if hasattr(X, "columns"):
            if all(isinstance(c, str) for c in X.columns):
                names = np.asarray(X.columns, dtype=object)
        X = X.to_numpy()
    elif module.startswith("polars"):
        if hasattr(X, "columns"):
            names = np.asarray(X.columns, dtype=object)
        X = X.to_numpy()
    elif isinstance(X, list) and X and not np.isscalar(X[0]):
        raise ValueError(
            "With window set, X is one stream (1-D, or (n_points, n_features)); "
            "got a list of sequences. Score them one by one, or set window=None "
            "to score sequences."
        )
    try:
        values = np.asarray(X, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"The stream must hold numbers ({exc}).") from None
    if values.ndim == 1:
        values = values[:, None]
    if values.ndim != 2:
        raise ValueError(
            f"With window set, X is one stream, 1-D or (n_points, n_features); "
            f"got shape {values.shape}. Set window=None to score sequences."
        )
    if values.shape[1] > values.shape[0]:
        warn(
            f"The stream of shape {values.shape} was read as {values.shape[0]} "
            f"points of {values.shape[1]} features: a stream is (n_points, "
            "n_features). If its rows are features, pass X.T.",
            UserWarning,
        )
    bad = ~np.isfinite(values)
    if bad.any():
        point, feature = (int(v[0]) for v in np.nonzero(bad))
        raise ValueError(
            f"The stream contains NaN or infinity at point {point}, feature "
            f"{feature}. Impute or cut out missing stretches before scoring."
        )
    return values.astype(np.float32), index, names


_persistence.register(LSTMAnomalyDetector)
