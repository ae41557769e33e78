"""Seq2SeqRegressor and Seq2SeqClassifier: encoder-decoder LSTMs.

Both estimators share :class:`_Seq2SeqBase` (input handling, the Keras model,
greedy decoding); each class below adds its own targets: real values for the
regressor, labels (with an end-of-sequence marker for variable lengths) for
the classifier.
"""

import numbers

import numpy as np
from sklearn.base import ClassifierMixin, RegressorMixin, _fit_context
from sklearn.metrics import r2_score
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.multiclass import check_classification_targets

from ._base import SequenceEstimatorBase
from ._keras import import_networks
from ._sequences import check_sequences, validate_sequences
from .metrics import exact_sequence_accuracy

__all__ = ["Seq2SeqClassifier", "Seq2SeqRegressor"]


class _Seq2SeqBase(SequenceEstimatorBase):
    """Encoder-decoder plumbing shared by the regressor and the classifier.

    Subclasses provide ``_check_targets(y, n_samples)`` returning a dict with
    ``values`` (the training targets, float ``(n, T, F)`` or int ``(n, T)``),
    ``mask`` (``(n, T)`` or None) and whatever they need to decode, plus
    ``_feedback`` (what the decoder feeds back: ``"values"`` or ``"tokens"``).
    """

    _parameter_constraints = {
        **SequenceEstimatorBase._parameter_constraints,
        "conditional": ["boolean"],
        "standardize": ["boolean"],
    }

    _tokens = False

    # -- fit ------------------------------------------------------------------
    def _fit(self, X, y, *, epochs, incremental, max_steps=None):
        with self._restore_on_error():
            self._units()
            warm = incremental and self._is_warm()
            batch = self._validate_X(X, reset=not warm)
            if y is None:
                raise ValueError(
                    f"{type(self).__name__} requires y to be passed, but the target y "
                    "is None."
                )
            targets = self._check_targets(y, batch.n_samples, reset=not warm)
            if not warm or not hasattr(self, "feature_mean_"):
                self._fit_scaler(batch, self.standardize and not self._tokens)
            return self._fit_sequences(
                batch,
                targets,
                epochs=epochs,
                incremental=incremental,
                max_steps=max_steps,
            )

    def _validate_X(self, X, *, reset):
        if not self._tokens:
            return validate_sequences(self, X, reset=reset)
        batch = check_sequences(X, dtype=np.float64)
        if batch.n_features != 1:
            raise ValueError(
                "Token input must be a 2-D array (n_samples, n_timesteps) of ids or "
                f"a list of 1-D id sequences; got {batch.n_features} features per "
                "time step."
            )
        ids = batch.values[..., 0]
        real = batch.mask
        bad = real & ((ids != np.round(ids)) | (ids < 0))
        if bad.any():
            i, t = (int(v[0]) for v in np.nonzero(bad))
            raise ValueError(
                f"Token ids must be non-negative integers; sequence {i} has "
                f"{ids[i, t]:g} at time step {t}."
            )
        if reset:
            self.n_features_in_ = 1
            self.n_tokens_in_ = int(ids[real].max()) + 1
        else:
            unseen = real & (ids >= self.n_tokens_in_)
            if unseen.any():
                i, t = (int(v[0]) for v in np.nonzero(unseen))
                raise ValueError(
                    f"Sequence {i} has token id {int(ids[i, t])} at time step {t}, "
                    "but the vocabulary seen in fit has ids "
                    f"0..{self.n_tokens_in_ - 1}."
                )
        return batch

    def _encoder_inputs(self, batch):
        if self._tokens:
            values = batch.values[..., 0].astype(np.int32)
        else:
            values = self._scaled(batch)
        return {"sequences": values, "mask": batch.mask}

    def _training_arrays(self, batch, targets):
        inputs = self._encoder_inputs(batch)
        if self.conditional:
            inputs["targets"] = targets["values"]
        if targets["mask"] is not None:
            inputs["target_mask"] = targets["mask"]
        return inputs, {"outputs": targets["values"]}

    # -- the Keras model ------------------------------------------------------
    def _model_config(self, batch, targets):
        return dict(
            kind="seq2seq",
            n_features=int(batch.n_features),
            n_tokens_in=int(self.n_tokens_in_) if self._tokens else None,
            embedding_dim=getattr(self, "embedding_dim", None),
            units=self._units(),
            bidirectional=bool(self.bidirectional),
            dropout=float(self.dropout),
            conditional=bool(self.conditional),
            n_outputs=int(targets["n_outputs"]),
            n_steps=int(targets["values"].shape[1]),
            target_shape=tuple(targets["values"].shape[2:]),
            masked=targets["mask"] is not None,
            feedback=self._feedback,
        )

    # -- decoding -------------------------------------------------------------
    def _decode(self, X, n_steps, output="raw"):
        """Greedy decoding of the whole batch in one compiled function.

        ``output``: ``"raw"`` (values or logits), ``"ids"`` or ``"proba"``.
        """
        self._check_fitted()
        batch = self._validate_X(X, reset=False)
        n_steps = self._config["n_steps"] if n_steps is None else n_steps
        if not isinstance(n_steps, numbers.Integral) or n_steps < 1:
            raise ValueError(f"n_steps must be a positive int, got {n_steps!r}.")
        masked = not batch.mask.all()

        def build():
            networks = import_networks()
            return networks.decoding_model(
                self.model_, self._config, int(n_steps), output=output, masked=masked
            )

        key = ("decode", int(n_steps), output, masked)
        model = self._inference_model(key, build)
        inputs = self._encoder_inputs(batch)
        return self._predict_arrays(model, inputs if masked else inputs["sequences"])

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.multi_output = True
        return tags


_COMMON_DOC = """
    units : int or tuple of int, default=64
        LSTM units of the encoder; a tuple stacks layers. The decoder mirrors
        them.
    conditional : bool, default=True
        True: the decoder is fed the previous target step (teacher forcing)
        while training and its own previous output when predicting. False: its
        input at every step is the encoder's code (unconditioned).
    dropout : float, default=0.0
        Dropout on the inputs of every LSTM layer while training.
    bidirectional : bool, default=False
        Bidirectional encoder.
    epochs : int, default=50
        Most passes over the data.
    max_steps : int or None, default=None
        Most optimizer steps (batches) in one ``fit``; training stops at
        ``epochs``, ``max_steps`` or early stopping, whichever comes first.
    batch_size : int, default=64
    learning_rate : float, default=1e-3
        Adam's learning rate.
    validation_fraction : float or None, default=None
        Fraction of the training data held out to monitor ``val_loss``.
    n_iter_no_change : int or None, default=None
        Early stopping patience, in epochs, on ``val_loss`` (or the training
        loss without a validation set).
    tol : float, default=1e-4
        Minimum improvement for early stopping.
    random_state : int, RandomState instance or None, default=None
        An int gives identical results in every process.
    verbose : int, default=0
        1 prints one line per epoch with the training (and validation) loss.
    warm_start : bool, default=False
        When True, ``fit`` continues training the current model."""


class Seq2SeqRegressor(RegressorMixin, _Seq2SeqBase):
    """Encoder-decoder LSTM predicting real values or sequences of them.

    Parameters
    ----------
    {common}
    standardize : bool, default=True
        Standardize X's features and y's outputs inside the estimator;
        predictions are in y's units.

    Attributes
    ----------
    n_features_in_ : int
        Features per time step of X.
    n_outputs_ : int
        Features per step of y.
    n_steps_out_ : int
        Steps of y learned in fit (1 for ``(n_samples,)`` targets).
    model_ : keras.Model
        Training model.
    encoder_ : keras.Model
        Standalone encoder sharing the trained weights.
    history_ : dict of list of float
    n_iter_ : int
        Number of epochs trained.
    n_steps_ : int
        Number of optimizer steps (batches) trained.

    Examples
    --------
    >>> from sklearn_seqae import Seq2SeqRegressor
    >>> from sklearn_seqae.datasets import make_sine_continuation
    >>> X, y = make_sine_continuation(64, length=12, horizon=3, random_state=0)
    >>> reg = Seq2SeqRegressor(units=8, epochs=2, random_state=0).fit(X, y)
    >>> reg.predict(X).shape, reg.predict(X, n_steps=6).shape
    ((64, 3), (64, 6))
    """

    _feedback = "values"

    def __init__(
        self,
        units=64,
        *,
        conditional=True,
        dropout=0.0,
        bidirectional=False,
        standardize=True,
        epochs=50,
        max_steps=None,
        batch_size=64,
        learning_rate=1e-3,
        validation_fraction=None,
        n_iter_no_change=None,
        tol=1e-4,
        random_state=None,
        verbose=0,
        warm_start=False,
    ):
        self.units = units
        self.conditional = conditional
        self.dropout = dropout
        self.bidirectional = bidirectional
        self.standardize = standardize
        self.epochs = epochs
        self.max_steps = max_steps
        self.batch_size = batch_size
        self.learning_rate = learning_rate
        self.validation_fraction = validation_fraction
        self.n_iter_no_change = n_iter_no_change
        self.tol = tol
        self.random_state = random_state
        self.verbose = verbose
        self.warm_start = warm_start

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y):
        """Train on sequences ``X`` and targets ``y``.

        Parameters
        ----------
        X : sequences
            2-D, 3-D, ragged list or MultiIndex DataFrame.
        y : array-like of shape (n_samples,), (n_samples, n_steps) or \
                (n_samples, n_steps, n_outputs)
            One value per sequence, or output sequences of equal length.

        Returns
        -------
        self : object
        """
        return self._fit(
            X,
            y,
            epochs=self.epochs,
            incremental=self.warm_start,
            max_steps=self.max_steps,
        )

    def partial_fit(self, X, y):
        """Train one more epoch, starting a model if there is none.

        Parameters
        ----------
        X : sequences
        y : array-like

        Returns
        -------
        self : object
        """
        self._validate_params()
        return self._fit(X, y, epochs=1, incremental=True)

    def predict(self, X, n_steps=None):
        """Decode predictions for ``X`` in the layout of the training ``y``.

        Parameters
        ----------
        X : sequences
        n_steps : int, default=None
            Steps to decode; may exceed the training length (forecasting
            further). Defaults to the training length. With ``(n_samples,)``
            training targets and ``n_steps`` set, the result is
            ``(n_samples, n_steps)``.

        Returns
        -------
        y_pred : ndarray of float64
        """
        decoded = self._decode(X, n_steps).astype(np.float64)
        decoded = decoded * self.target_scale_ + self.target_mean_
        if self._target_ndim == 3:
            return decoded
        decoded = decoded[..., 0]
        if self._target_ndim == 1 and n_steps is None:
            return decoded[:, 0]
        return decoded

    def score(self, X, y, sample_weight=None):
        """R^2 over all output values (every step and feature).

        Parameters
        ----------
        X : sequences
        y : array-like
            True targets, in the layout used in fit.
        sample_weight : array-like of shape (n_samples,), default=None

        Returns
        -------
        score : float
        """
        y = np.asarray(y, dtype=np.float64)
        y_pred = self.predict(X)
        if y.shape != y_pred.shape:
            raise ValueError(
                f"y has shape {y.shape}, but predictions have shape {y_pred.shape}."
            )
        n = len(y)
        if sample_weight is not None:
            sample_weight = np.repeat(np.asarray(sample_weight), y[0].size)
        return r2_score(
            y.reshape(n, -1).ravel(),
            y_pred.reshape(n, -1).ravel(),
            sample_weight=sample_weight,
        )

    def _check_targets(self, y, n_samples, *, reset):
        if isinstance(y, (list, tuple)) and y and hasattr(y[0], "__len__"):
            if len({len(item) for item in y}) > 1:
                raise ValueError(
                    "Seq2SeqRegressor needs output sequences of equal length; y is "
                    "ragged. Pad y or use one model per output length."
                )
        try:
            y = np.asarray(y, dtype=np.float64)
        except (TypeError, ValueError) as exc:
            raise ValueError(f"y must be numeric for a regressor: {exc}") from None
        if y.ndim not in (1, 2, 3) or len(y) == 0:
            raise ValueError(
                "y must be (n_samples,), (n_samples, n_steps) or (n_samples, "
                f"n_steps, n_outputs); got shape {y.shape}."
            )
        if len(y) != n_samples:
            raise ValueError(
                f"y has {len(y)} samples, but X has {n_samples} sequences."
            )
        if y.ndim > 1 and y.shape[1] == 0:
            raise ValueError(f"y has 0 steps (shape {y.shape}).")
        finite = np.isfinite(y.reshape(len(y), -1))
        if not finite.all():
            i = int(np.nonzero(~finite)[0][0])
            raise ValueError(
                f"Input y contains NaN or infinity (sample {i}); remove or impute it."
            )
        values = y.reshape(len(y), -1, 1) if y.ndim < 3 else y
        if reset or not hasattr(self, "target_mean_"):
            flat = values.reshape(-1, values.shape[2])
            if self.standardize:
                mean, scale = flat.mean(axis=0), flat.std(axis=0)
                scale[scale < 1e-12] = 1.0
            else:
                mean, scale = np.zeros(flat.shape[1]), np.ones(flat.shape[1])
            self.target_mean_, self.target_scale_ = mean, scale
            self._target_ndim = y.ndim
            self.n_outputs_ = values.shape[2]
            self.n_steps_out_ = values.shape[1]
        elif values.shape[2] != self.n_outputs_:
            raise ValueError(
                f"y has {values.shape[2]} outputs per step, but the model was "
                f"fitted with {self.n_outputs_}."
            )
        scaled = ((values - self.target_mean_) / self.target_scale_).astype(np.float32)
        return {"values": scaled, "mask": None, "n_outputs": values.shape[2]}


class Seq2SeqClassifier(ClassifierMixin, _Seq2SeqBase):
    """Encoder-decoder LSTM predicting labels or label sequences.

    Targets and token inputs stay integer ids and train with sparse
    categorical cross-entropy: no one-hot array is ever built, so memory grows
    with ``n_samples x n_steps``, not with the vocabulary size.

    Parameters
    ----------
    {common}
    input_type : {{"numeric", "tokens"}}, default="numeric"
        ``"tokens"``: X holds non-negative integer token ids (2-D array or
        ragged lists); the vocabulary size is learned in fit.
    embedding_dim : int or None, default=None
        Size of the learned embedding of tokens (input tokens and the labels
        fed back to the decoder); None one-hot encodes them inside the graph.
    standardize : bool, default=True
        Standardize numeric X's features inside the estimator.

    Attributes
    ----------
    classes_ : ndarray
        The labels seen in fit, sorted.
    n_features_in_ : int
        Features per time step of X (1 for tokens).
    n_tokens_in_ : int
        Vocabulary size (largest token id + 1), with ``input_type="tokens"``.
    max_output_length_ : int
        Longest target sequence in fit.
    model_ : keras.Model
    encoder_ : keras.Model
    history_ : dict of list of float
    n_iter_ : int
        Number of epochs trained.
    n_steps_ : int
        Number of optimizer steps (batches) trained.

    Examples
    --------
    >>> from sklearn_seqae import Seq2SeqClassifier
    >>> from sklearn_seqae.datasets import make_reversed_prefix
    >>> X, y = make_reversed_prefix(64, random_state=0)
    >>> clf = Seq2SeqClassifier(input_type="tokens", units=8, epochs=1,
    ...                         random_state=0).fit(X, y)
    >>> clf.predict(X).shape
    (64, 3)
    >>> clf.predict_proba(X).shape == (64, 3, len(clf.classes_))
    True
    """

    _feedback = "tokens"

    _parameter_constraints = {
        **_Seq2SeqBase._parameter_constraints,
        "input_type": [StrOptions({"numeric", "tokens"})],
        "embedding_dim": [Interval(numbers.Integral, 1, None, closed="left"), None],
    }

    def __init__(
        self,
        units=64,
        *,
        conditional=True,
        input_type="numeric",
        embedding_dim=None,
        dropout=0.0,
        bidirectional=False,
        standardize=True,
        epochs=50,
        max_steps=None,
        batch_size=64,
        learning_rate=1e-3,
        validation_fraction=None,
        n_iter_no_change=None,
        tol=1e-4,
        random_state=None,
        verbose=0,
        warm_start=False,
    ):
        self.units = units
        self.conditional = conditional
        self.input_type = input_type
        self.embedding_dim = embedding_dim
        self.dropout = dropout
        self.bidirectional = bidirectional
        self.standardize = standardize
        self.epochs = epochs
        self.max_steps = max_steps
        self.batch_size = batch_size
        self.learning_rate = learning_rate
        self.validation_fraction = validation_fraction
        self.n_iter_no_change = n_iter_no_change
        self.tol = tol
        self.random_state = random_state
        self.verbose = verbose
        self.warm_start = warm_start

    @property
    def _tokens(self):
        return self.input_type == "tokens"

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y):
        """Train on sequences ``X`` and labels ``y``.

        Parameters
        ----------
        X : sequences
            Numeric sequences in any layout, or token ids with
            ``input_type="tokens"``.
        y : array-like of shape (n_samples,) or (n_samples, n_steps), or list \
                of label sequences
            Labels may be any hashable values. With sequences of different
            lengths the model also learns where each sequence ends.

        Returns
        -------
        self : object
        """
        return self._fit(
            X,
            y,
            epochs=self.epochs,
            incremental=self.warm_start,
            max_steps=self.max_steps,
        )

    def partial_fit(self, X, y, classes=None):
        """Train one more epoch, starting a model if there is none.

        Parameters
        ----------
        X : sequences
        y : labels
        classes : array-like, default=None
            All labels that can occur; required only when the first batch lacks
            some of them.

        Returns
        -------
        self : object
        """
        self._validate_params()
        self._partial_classes = None if classes is None else np.asarray(classes)
        try:
            return self._fit(X, y, epochs=1, incremental=True)
        finally:
            self._partial_classes = None

    def predict_proba(self, X, n_steps=None):
        """Class probabilities for every decoded step.

        Parameters
        ----------
        X : sequences
        n_steps : int, default=None
            Steps to decode (default: the training length; for variable-length
            targets, the longest training target plus one).

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes) or \
                (n_samples, n_steps, n_classes), or list of arrays
            A list of ``(length_i, n_classes)`` arrays for variable-length
            targets, each sequence cut at its end marker.
        """
        proba = self._decode_classes(X, n_steps, "proba")
        if not self._ragged:
            return proba[:, 0] if self._single_label and n_steps is None else proba
        lengths = self._lengths(proba.argmax(axis=-1))
        classes = proba[..., : len(self.classes_)]
        classes = classes / classes.sum(axis=-1, keepdims=True)
        return [classes[i, :n] for i, n in enumerate(lengths)]

    def predict(self, X, n_steps=None):
        """Greedy decoding of labels.

        Parameters
        ----------
        X : sequences
        n_steps : int, default=None
            As in :meth:`predict_proba`.

        Returns
        -------
        y_pred : ndarray of shape (n_samples,) or (n_samples, n_steps), or list
            A list of label arrays of their own lengths for variable-length
            targets.
        """
        ids = self._decode_classes(X, n_steps, "ids")
        if not self._ragged:
            labels = self.classes_[ids]
            return labels[:, 0] if self._single_label and n_steps is None else labels
        lengths = self._lengths(ids)
        return [self.classes_[ids[i, :n]] for i, n in enumerate(lengths)]

    def score(self, X, y, sample_weight=None):
        """Fraction of sequences predicted exactly (every step right).

        For one label per sequence this is the usual accuracy. See
        :func:`sklearn_seqae.metrics.per_step_accuracy` for a per-step figure.

        Parameters
        ----------
        X : sequences
        y : labels, as in fit
        sample_weight : array-like of shape (n_samples,), default=None

        Returns
        -------
        score : float
        """
        y_pred = self.predict(X)
        if sample_weight is None:
            return exact_sequence_accuracy(y, y_pred)
        true = y if isinstance(y, list) else list(np.asarray(y, dtype=object))
        right = [
            exact_sequence_accuracy([t], [p]) for t, p in zip(true, y_pred, strict=True)
        ]
        return float(np.average(right, weights=sample_weight))

    def _decode_classes(self, X, n_steps, output):
        self._check_fitted()
        if n_steps is None and self._ragged:
            n_steps = self.max_output_length_ + 1
        return self._decode(X, n_steps, output)

    def _lengths(self, ids):
        """Each sequence ends before its first end marker (or at the last step)."""
        is_end = ids == len(self.classes_)
        return np.where(is_end.any(axis=1), is_end.argmax(axis=1), is_end.shape[1])

    def _check_targets(self, y, n_samples, *, reset):
        ragged, sequences, single_label = _label_sequences(y)
        if len(sequences) != n_samples:
            raise ValueError(
                f"y has {len(sequences)} samples, but X has {n_samples} sequences."
            )
        if not ragged:
            dense = np.asarray(sequences)
            check_classification_targets(dense[:, 0] if dense.shape[1] == 1 else dense)
        flat = np.concatenate(sequences)
        for i, seq in enumerate(sequences):
            if len(seq) == 0:
                raise ValueError(f"y: label sequence {i} is empty.")
            if seq.dtype.kind == "f" and np.isnan(seq).any():
                raise ValueError(f"y: label sequence {i} contains NaN.")
        try:
            labels = np.unique(flat)
        except TypeError:
            raise TypeError(
                "y mixes label types (for example strings and numbers); use one "
                "type for all labels."
            ) from None
        if reset or not hasattr(self, "classes_"):
            extra = getattr(self, "_partial_classes", None)
            self.classes_ = labels if extra is None else np.unique(extra)
            self._ragged = ragged
            self._single_label = single_label
            self.max_output_length_ = max(len(s) for s in sequences)
        unseen = np.setdiff1d(labels, self.classes_)
        if len(unseen):
            raise ValueError(f"y contains labels not seen in fit: {unseen[:5]!r}.")
        n_classes = len(self.classes_)
        ids = [np.searchsorted(self.classes_, s) for s in sequences]
        if not self._ragged:
            return {
                "values": np.stack(ids).astype(np.int32),
                "mask": None,
                "n_outputs": n_classes,
            }
        # Variable lengths: append the end marker (id n_classes), pad, mask.
        lengths = np.array([len(s) + 1 for s in ids])
        values = np.zeros((len(ids), self.max_output_length_ + 1), dtype=np.int32)
        for i, s in enumerate(ids):
            values[i, : len(s)] = s
            values[i, len(s)] = n_classes
        mask = np.arange(values.shape[1])[None, :] < lengths[:, None]
        return {"values": values, "mask": mask, "n_outputs": n_classes + 1}


def _check_one_label_type(sequences):
    """Refuse labels of mixed types, which NumPy would coerce to strings."""
    import pandas as pd

    flat = np.concatenate([np.asarray(s, dtype=object).ravel() for s in sequences])
    if pd.api.types.infer_dtype(flat, skipna=False).startswith("mixed"):
        raise TypeError(
            "y mixes label types (for example strings and numbers); use one "
            "type for all labels."
        )


def _label_sequences(y):
    """``(ragged, list of 1-D label arrays, one_label_per_sample)`` from ``y``."""
    if y is None:
        raise ValueError("y is None; the classifier needs labels.")
    if isinstance(y, (list, tuple)) or (
        isinstance(y, np.ndarray) and y.dtype == object and y.ndim == 1
    ):
        items = list(y)
        if items and all(isinstance(item, (list, tuple, np.ndarray)) for item in items):
            sequences = [np.asarray(item) for item in items]
            for i, seq in enumerate(sequences):
                if seq.ndim != 1:
                    raise ValueError(
                        f"y: label sequence {i} has shape {seq.shape}; expected a "
                        "1-D sequence of labels."
                    )
            _check_one_label_type(items)
            ragged = len({len(s) for s in sequences}) > 1
            return ragged, sequences, False
    y = np.asarray(y)
    if y.dtype == object:
        _check_one_label_type([y.ravel()])
    if y.ndim == 0 or y.ndim > 2 or len(y) == 0:
        raise ValueError(
            "y must be (n_samples,) labels, (n_samples, n_steps) label sequences "
            f"or a list of label sequences; got shape {y.shape}."
        )
    return False, list(y[:, None] if y.ndim == 1 else y), y.ndim == 1


for _cls in (Seq2SeqRegressor, Seq2SeqClassifier):
    _cls.__doc__ = _cls.__doc__.format(common=_COMMON_DOC.strip("\n").lstrip())
