"""TimestepRegressor: a value for every time step."""

import numpy as np
from sklearn.base import RegressorMixin
from sklearn.metrics import r2_score

from ._scaling import global_stats
from ._sequences import check_sequences
from ._timestep import _aligned_targets, _check_step_lengths, _TimestepBase

__all__ = ["TimestepRegressor"]


class TimestepRegressor(RegressorMixin, _TimestepBase):
    """LSTM predicting a value (or several) for every time step.

    Parameters
    ----------
    units : int or tuple of int, default=64
        LSTM units of the encoder; a tuple stacks layers.
    bidirectional : bool, default=False
        False: causal, each step's value depends on that step and the ones
        before it. True: on the whole sequence.
    input_type : {"numeric", "tokens"}, default="numeric"
        ``"tokens"``: X holds tokens: non-negative integer ids, or strings
        (or any hashable values) whose vocabulary is learned in fit.
    embedding_dim : int or None, default=None
        Size of the learned token embedding; None one-hot encodes tokens
        inside the graph.
    handle_unknown : {"error", "use_unknown"}, default="error"
        Tokens (or ids) that fit did not see: ``"error"`` refuses them;
        ``"use_unknown"`` maps them to one id reserved in fit.
    dropout : float, default=0.0
        Dropout on the inputs of every LSTM layer while training.
    standardize : bool, default=True
        Standardize numeric X's features and y's outputs inside the
        estimator; predictions are in y's units.
    epochs : int, default=1000
        Most passes over the data.
    max_steps : int or None, default=1000
        Most optimizer steps (batches) in one ``fit``; training stops at
        ``epochs``, ``max_steps`` or early stopping, whichever comes first.
        The defaults (1,000 steps of 128 sequences at ``learning_rate=5e-3``,
        early stopping after 10 epochs without improvement) were measured
        from 250 to 100,000 sequences (user guide, "Training").
    batch_size : int, default=128
        Sequences per gradient step.
    learning_rate : float, default=5e-3
        Adam's learning rate.
    validation_fraction : float or None, default=None
        Fraction of the training sequences held out to monitor ``val_loss``.
    n_iter_no_change : int or None, default=10
        Stop when the monitored loss has not improved by ``tol`` for this
        many epochs; the best weights are restored.
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
        training (its ``units`` and ``bidirectional`` must match, and it
        must read step by step: ``patch_size=1``).
    freeze_encoder : bool, default=False
        Keep the encoder from ``encoder_init`` fixed; only the head trains.

    Attributes
    ----------
    n_features_in_ : int
        Features per time step of X (1 for tokens).
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
        Values per step of y.
    model_ : keras.Model
        The training model.
    encoder_ : keras.Model
        Standalone encoder sharing the trained weights.
    history_ : dict of list of float
        Per-epoch training metrics.
    n_iter_ : int
        Number of epochs trained.
    n_steps_ : int
        Number of optimizer steps (batches) trained.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_seqae import TimestepRegressor
    >>> X = np.random.RandomState(0).normal(size=(40, 8))
    >>> y = np.cumsum(X, axis=1)  # the running sum at every step
    >>> reg = TimestepRegressor(units=8, epochs=2, random_state=0).fit(X, y)
    >>> reg.predict(X).shape
    (40, 8)
    """

    _target_kind = "values"

    def __init__(
        self,
        units=64,
        *,
        bidirectional=False,
        input_type="numeric",
        embedding_dim=None,
        handle_unknown="error",
        dropout=0.0,
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
        self.bidirectional = bidirectional
        self.input_type = input_type
        self.embedding_dim = embedding_dim
        self.handle_unknown = handle_unknown
        self.dropout = dropout
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

    def predict(self, X):
        """The predicted value(s) of every step.

        Parameters
        ----------
        X : sequences
            Sequences in any layout :meth:`fit` accepts; lengths may differ
            from fit.

        Returns
        -------
        y_pred : ndarray of shape (n_samples, n_timesteps[, n_outputs]), list \
                of arrays, or DataFrame
            In X's layout; the last axis only when y had several outputs.
            For a long or nested frame X, its outputs are columns ``0 ..
            n_outputs - 1`` (y without an outputs axis: a Series on a pandas
            MultiIndex, else a column named ``"prediction"``); for a wide
            frame X (one value per step) several outputs come back as the
            array.
        """
        batch, values = self._step_outputs(X, "raw")
        values = values.astype(np.float64) * self.target_scale_ + self.target_mean_
        return self._in_layout(batch, values, squeeze="features" in self._dropped_axes)

    def score(self, X, y, sample_weight=None):
        """R^2 over every real time step and output.

        Parameters
        ----------
        X : sequences
            Sequences in any layout :meth:`fit` accepts; lengths may differ
            from fit.
        y : per-step targets, as in fit
            One label per input step, as in :meth:`fit`.
        sample_weight : array-like of shape (n_samples,) or (n_samples, \
                n_timesteps), or list, default=None
            Weight of each sequence, or of each step, as in :meth:`fit`.

        Returns
        -------
        score : float
        """
        batch, values = self._step_outputs(X, "raw")
        truth = check_sequences(_aligned_targets(y, batch), name="y", dtype=np.float64)
        if truth.n_samples != batch.n_samples:
            raise ValueError(
                f"y has {truth.n_samples} samples, but X has {batch.n_samples} "
                "sequences."
            )
        _check_step_lengths(truth.lengths, batch, "y")
        pred = values * self.target_scale_ + self.target_mean_
        return r2_score(
            truth.values[truth.mask],
            pred[batch.mask],
            sample_weight=self._score_weights(sample_weight, batch),
        )

    def _fit_targets(self, y, batch, *, reset, classes=None, sample_weight=None):
        truth = check_sequences(_aligned_targets(y, batch), name="y", dtype=np.float64)
        if truth.n_samples != batch.n_samples:
            raise ValueError(
                f"y has {truth.n_samples} samples, but X has {batch.n_samples} "
                "sequences."
            )
        _check_step_lengths(truth.lengths, batch, "y")
        univariate = truth.layout in ("array2d", "wide") or (
            truth.layout == "ragged" and all(d == 1 for d in truth.item_ndim)
        )
        dropped = ("features",) if univariate else ()
        if reset or not hasattr(self, "target_mean_"):
            self.n_outputs_ = truth.n_features
            self._dropped_axes = dropped
            if self.standardize:
                self.target_mean_, self.target_scale_ = global_stats(
                    truth, sample_weight
                )
            else:
                self.target_mean_ = np.zeros(truth.n_features)
                self.target_scale_ = np.ones(truth.n_features)
        elif (truth.n_features, dropped) != (self.n_outputs_, self._dropped_axes):
            # Continued training keeps the fitted output layout; other targets
            # would be predicted in the first fit's layout without a word.
            def layout(n_outputs, dropped):
                if dropped:
                    return "one value per step"
                return f"{n_outputs} output(s) per step on a last axis"

            raise ValueError(
                f"y has {layout(truth.n_features, dropped)}, but the model was "
                f"fitted with {layout(self.n_outputs_, self._dropped_axes)}; "
                "pass targets like those of the first fit, or fit a new model."
            )
        values = (truth.values - self.target_mean_) / self.target_scale_
        values[~truth.mask] = 0.0
        return {"values": values.astype(np.float32), "n_outputs": truth.n_features}
