"""Seq2SeqRegressor: sequences in, real values or sequences of them out."""

import numpy as np
from sklearn.base import RegressorMixin, _fit_context
from sklearn.metrics import r2_score

from ._seq2seq import _Seq2SeqBase

__all__ = ["Seq2SeqRegressor"]


def _holds_sequences(y):
    """Whether y is a 1-D container (a Series, an object array) of sequences."""
    if isinstance(y, (list, tuple)) or not hasattr(y, "__len__") or not len(y):
        return False
    values = y.to_numpy() if hasattr(y, "to_numpy") else y
    return (
        isinstance(values, np.ndarray)
        and values.ndim == 1
        and values.dtype == object
        and all(np.ndim(item) >= 1 for item in values)
    )


class Seq2SeqRegressor(RegressorMixin, _Seq2SeqBase):
    """Encoder-decoder LSTM predicting real values or sequences of them.

    Parameters
    ----------
    units : int or tuple of int, default=64
        LSTM units of the encoder; a tuple stacks layers. The decoder mirrors
        them.
    conditional : bool, default=True
        True: the decoder is fed the previous target step (teacher forcing)
        while training and its own previous output when predicting. False: its
        input at every step is the encoder's code (unconditioned).
    attention : {None, "dot", "additive"}, default=None
        Let every decoded step attend over the encoder's outputs at all
        input steps (padding gets no weight): ``"dot"`` is Luong's
        multiplicative score, ``"additive"`` Bahdanau's. Helps long inputs,
        where one code cannot hold everything; see ``attention_weights``.
    dropout : float, default=0.0
        Dropout on the inputs of every LSTM layer while training.
    bidirectional : bool, default=False
        Bidirectional encoder.
    epochs : int, default=1000
        Most passes over the data.
    max_steps : int or None, default=1000
        Most optimizer steps (batches) in one ``fit``; training stops at
        ``epochs``, ``max_steps`` or early stopping, whichever comes first.
        The defaults (1,000 steps of 128 sequences at ``learning_rate=5e-3``,
        early stopping after 10 epochs without improvement) were measured
        from 250 to 100,000 sequences (user guide, "Training").
    batch_size : int, default=128
        Sequences per optimizer step.
    learning_rate : float, default=5e-3
        Adam's learning rate.
    validation_fraction : float or None, default=None
        Fraction of the training data held out to monitor ``val_loss``.
    n_iter_no_change : int or None, default=10
        Early stopping patience, in epochs, on ``val_loss`` (or the training
        loss without a validation set).
    tol : float, default=1e-4
        Minimum improvement for early stopping.
    random_state : int, RandomState instance or None, default=None
        An int gives identical results in every process.
    verbose : int, default=0
        0 prints nothing. 1 shows one progress line per fit, updated after
        every optimizer step: the epoch, the steps done of the budget, the
        loss and an estimate of the time left (on a terminal or in a
        notebook only; a log file or a grid search's worker gets nothing).
        2 prints one line per epoch with the training (and validation) loss.
    warm_start : bool, default=False
        When True, ``fit`` continues training the current model.
    callbacks : list of keras.callbacks.Callback or None, default=None
        Keras callbacks (ModelCheckpoint, CSVLogger, TensorBoard, your own),
        called at the points and with the logs ``model.fit`` would give them;
        one can stop training by setting ``model.stop_training = True``.
    devices : None, int, "all" or list of str, default=None
        Train data-parallel over several devices (JAX backend only, through
        :class:`keras.distribution.DataParallel`): every batch is split evenly
        over the devices, each computes its share of the gradient, and one
        model is updated with their mean. None trains on Keras' default
        device; an int takes the first devices of
        :func:`keras.distribution.list_devices` (GPUs when there are any);
        "all" takes them all; a list names them (``["gpu:0", "gpu:1"]``).
        ``batch_size`` must be a multiple of the number of devices; the
        partial batch left at the end of an epoch is cut to a multiple too
        (the few sequences cut change every epoch). See "Scaling out".
    encoder_init : LSTMAutoencoderTransformer or None, default=None
        A fitted autoencoder whose encoder weights and input scaling start
        training (its ``units`` and ``bidirectional`` must match, X its
        features, and it must read step by step: ``patch_size=1``); the
        autoencoder can learn from unlabelled sequences first.
        It stays a plain parameter: ``clone`` and GridSearchCV keep the
        fitted autoencoder rather than an unfitted copy.
    freeze_encoder : bool, default=False
        Keep the encoder from ``encoder_init`` fixed; only the decoder
        trains.
    standardize : bool, default=True
        Standardize X's features and y's outputs inside the estimator;
        predictions are in y's units.

    Attributes
    ----------
    n_features_in_ : int
        Features per time step of X.
    feature_mean_ : ndarray of shape (``n_features_in_``,)
        Per-feature mean of the training steps, subtracted before the network
        reads X (zeros when X is not scaled this way).
    feature_scale_ : ndarray of shape (``n_features_in_``,)
        Per-feature standard deviation of the training steps that X is divided
        by (ones when X is not scaled this way).
    target_mean_ : ndarray of shape (``n_outputs_``,)
        Per-output mean of the training targets; the network learns targets
        with it subtracted (zeros with ``standardize=False``).
    target_scale_ : ndarray of shape (``n_outputs_``,)
        Per-output standard deviation the targets are divided by (ones with
        ``standardize=False``).
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
        attention=None,
        dropout=0.0,
        bidirectional=False,
        standardize=True,
        epochs=1000,
        max_steps=1000,
        batch_size=128,
        learning_rate=5e-3,
        validation_fraction=None,
        n_iter_no_change=10,
        tol=1e-4,
        random_state=None,
        verbose=0,
        warm_start=False,
        callbacks=None,
        devices=None,
        encoder_init=None,
        freeze_encoder=False,
    ):
        self.units = units
        self.conditional = conditional
        self.attention = attention
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
        self.callbacks = callbacks
        self.devices = devices
        self.encoder_init = encoder_init
        self.freeze_encoder = freeze_encoder

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y, sample_weight=None):
        """Train on sequences ``X`` and targets ``y``.

        Parameters
        ----------
        X : sequences
            2-D, 3-D, ragged list or MultiIndex DataFrame.
        y : array-like of shape (n_samples,), (n_samples, n_steps) or \
                (n_samples, n_steps, n_outputs)
            One value per sequence, or output sequences of equal length.
            A 2-D y is read as ``n_steps`` steps of one output, scaled
            together; several different outputs per sequence (a price and a
            volume, say) go in as ``y[:, None, :]``, shape ``(n_samples, 1,
            n_outputs)``, so that each output is scaled on its own.

        sample_weight : array-like of shape (n_samples,), default=None
            Weight of each sequence in the loss and in the input and target
            scalings; 0 removes its influence.

        Returns
        -------
        self : object
        """
        return self._fit(X, y, sample_weight=sample_weight)

    def partial_fit(self, X, y, sample_weight=None):
        """Train one more epoch, starting a model if there is none.

        Parameters
        ----------
        X : sequences
            Sequences in any layout :meth:`fit` accepts; lengths may differ
            from fit.
        y : array-like
            Targets as in :meth:`fit`.

        sample_weight : array-like of shape (n_samples,), default=None
            Weight of each sequence in the loss and in the input and target
            scalings; 0 removes its influence.

        Returns
        -------
        self : object
        """
        self._validate_params()
        return self._fit(X, y, partial=True, sample_weight=sample_weight)

    def predict(self, X, n_steps=None):
        """Decode predictions for ``X`` in the layout of the training ``y``.

        Parameters
        ----------
        X : sequences
            Sequences in any layout :meth:`fit` accepts; lengths may differ
            from fit.
        n_steps : int, default=None
            Steps to decode; may exceed the training length (forecasting
            further). Defaults to the training length. With ``(n_samples,)``
            training targets and ``n_steps`` set, the result is
            ``(n_samples, n_steps)``.

        Returns
        -------
        y_pred : ndarray of float64
        """
        decoded = self._decode(X, n_steps)[1].astype(np.float64)
        decoded = decoded * self.target_scale_ + self.target_mean_
        return self._in_fitted_shape(decoded, n_steps=n_steps)

    def score(self, X, y, sample_weight=None):
        """R^2 of each output value, averaged, as scikit-learn's regressors do.

        Each step (and output) of y is a column of :func:`~sklearn.metrics.r2_score`
        with ``multioutput="uniform_average"``: a forecast of 10 steps scores
        the mean of its 10 steps' R^2, whatever their scales, as
        ``MultiOutputRegressor`` would on ``y.reshape(len(y), -1)``.

        Parameters
        ----------
        X : sequences
            Sequences in any layout :meth:`fit` accepts; lengths may differ
            from fit.
        y : array-like
            True targets, in the layout used in fit.
        sample_weight : array-like of shape (n_samples,), default=None
            Weight of each sequence in the score.

        Returns
        -------
        score : float
        """
        if _holds_sequences(y):
            y = [np.asarray(item) for item in y]
        y = np.asarray(y, dtype=np.float64)
        y_pred = self.predict(X)
        if y.shape != y_pred.shape:
            raise ValueError(
                f"y has shape {y.shape}, but predictions have shape {y_pred.shape}."
            )
        n = len(y)
        return r2_score(
            y.reshape(n, -1), y_pred.reshape(n, -1), sample_weight=sample_weight
        )

    def _fit_targets(self, y, batch, *, reset, classes=None, sample_weight=None):
        n_samples = batch.n_samples
        if _holds_sequences(y):
            y = [np.asarray(item) for item in y]  # a Series or object array
        if isinstance(y, (list, tuple)) and y and hasattr(y[0], "__len__"):
            if len({len(item) for item in y}) > 1:
                raise ValueError(
                    "Seq2SeqRegressor needs output sequences of equal length; y is "
                    "ragged. Pad y or use one model per output length."
                )
        if np.iscomplexobj(y if isinstance(y, np.ndarray) else np.asarray(y)):
            raise ValueError(
                "Complex data not supported: y must be real-valued for a regressor."
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
        if y.ndim == 3 and y.shape[2] == 0:
            raise ValueError(f"y has 0 outputs per step (shape {y.shape}).")
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
                weights = (
                    None
                    if sample_weight is None
                    else np.repeat(sample_weight, values.shape[1])
                )
                mean = np.average(flat, axis=0, weights=weights)
                scale = np.sqrt(np.average((flat - mean) ** 2, axis=0, weights=weights))
                scale[scale < 1e-12] = 1.0
            else:
                mean, scale = np.zeros(flat.shape[1]), np.ones(flat.shape[1])
            self.target_mean_, self.target_scale_ = mean, scale
            self._dropped_axes = {1: ("steps", "features"), 2: ("features",)}.get(
                y.ndim, ()
            )
            self.n_outputs_ = values.shape[2]
            self.n_steps_out_ = values.shape[1]
        else:
            # Continued training keeps the fitted output layout; other targets
            # would be predicted in the first fit's layout without a word.
            dropped = {1: ("steps", "features"), 2: ("features",)}.get(y.ndim, ())
            fitted = (self._dropped_axes, self.n_steps_out_, self.n_outputs_)
            if (dropped, *values.shape[1:]) != fitted:
                steps, outputs = self.n_steps_out_, self.n_outputs_
                first = {
                    ("steps", "features"): "(n_samples,)",
                    ("features",): f"(n_samples, {steps})",
                }.get(self._dropped_axes, f"(n_samples, {steps}, {outputs})")
                raise ValueError(
                    f"y has shape {y.shape}, but the model was first fitted on y "
                    f"of shape {first}; pass targets like those of the first "
                    "fit, or fit a new model."
                )
        scaled = ((values - self.target_mean_) / self.target_scale_).astype(np.float32)
        return {"values": scaled, "mask": None, "n_outputs": values.shape[2]}
