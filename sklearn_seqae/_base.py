"""Shared life cycle of every estimator: build, train, persist.

A subclass says *what* to train through two hooks:

``_model_config(batch, y_info)``
    a plain dict (ints, floats, tuples) that fully describes the network,
    which :mod:`sklearn_seqae._networks` turns into Keras models;
``_training_arrays(batch, y)``
    the model's named inputs and targets as NumPy arrays.

This module says *how*: seeding without global state, the per-epoch loop
(shuffling with the estimator's own random generator, validation, early
stopping, a guard against non-finite losses, Ctrl-C), warm start,
``partial_fit``. Pickling and ``save`` go through the weights
(:mod:`sklearn_seqae._state`).
"""

import numbers
import threading
import warnings

import numpy as np
from sklearn.base import BaseEstimator
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.validation import check_is_fitted

from . import _batching, _pool
from ._distribute import data_parallel
from ._keras import import_keras, import_networks, quiet
from ._scaling import ScalingMixin
from ._state import StateMixin

__all__ = ["SequenceEstimatorBase", "TrainingInterruptedWarning"]

# Keras layer calls that build models touch global state (name counters);
# inference models of estimators served from several threads are built one
# at a time.
_BUILD_LOCK = threading.RLock()


class TrainingInterruptedWarning(UserWarning):
    """Training stopped early (Ctrl-C or a non-finite loss); see the message.

    The estimator stays usable: it keeps the weights of the last completed
    epoch with a finite loss, and ``n_iter_`` counts the epochs kept. Turn
    the warning into an error with :func:`warnings.simplefilter` where a
    shortened fit must not pass unnoticed.

    Examples
    --------
    A learning rate far too large makes the loss overflow:

    >>> import warnings
    >>> import numpy as np
    >>> from sklearn_seqae import (
    ...     LSTMAutoencoderTransformer, TrainingInterruptedWarning)
    >>> X = np.sin(np.arange(40 * 6).reshape(40, 6))
    >>> ae = LSTMAutoencoderTransformer(
    ...     units=4, epochs=5, learning_rate=1e30, random_state=0)
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always", TrainingInterruptedWarning)
    ...     _ = ae.fit(X)
    >>> caught[0].category.__name__, ae.n_iter_ < 5
    ('TrainingInterruptedWarning', True)
    >>> bool(np.isfinite(ae.transform(X)).all())
    True
    """


def _run_epoch(
    step,
    inputs,
    targets,
    batches,
    *,
    lengths,
    time_keys,
    weights=None,
    max_batches=None,
    callbacks=None,
):
    """Run ``step`` (train/test_on_batch) on each batch of index arrays.

    Each batch is cut to its longest sequence, so a batch of short
    sequences does not pay for another batch's long ones; the arrays named
    in ``time_keys`` share the input's time axis (so do per-step
    ``weights``). Stops after ``max_batches`` batches, or at the first
    non-finite loss, which the caller handles. Returns the sample-weighted
    mean of each batch log, as ``fit`` reports it, and the number of batches.
    """
    totals, seen, n_run = {}, 0, 0
    for idx in batches[:max_batches]:
        length = int(lengths[idx].max())
        batch_targets = _batching.batch_arrays(targets, idx, time_keys, length)
        batch_weights = None
        if weights is not None:
            batch_weights = weights[idx]
            if "sample_weight" in time_keys and weights.ndim == 2:
                batch_weights = batch_weights[:, :length]
            batch_weights = {
                name: _batching.weights_like(batch_weights, target)
                for name, target in batch_targets.items()
            }
        if callbacks is not None:
            callbacks.on_train_batch_begin(n_run)
        logs = step(
            _batching.batch_arrays(inputs, idx, time_keys, length),
            batch_targets,
            sample_weight=batch_weights,
            return_dict=True,
        )
        logs = {key: float(value) for key, value in logs.items()}
        if callbacks is not None:
            callbacks.on_train_batch_end(n_run, logs)
        n_run += 1
        for key, value in logs.items():
            totals[key] = totals.get(key, 0.0) + value * len(idx)
        seen += len(idx)
        if not np.isfinite(logs["loss"]):
            break
    return {key: total / seen for key, total in totals.items()}, n_run


def _check_units(units):
    units = (units,) if isinstance(units, numbers.Integral) else tuple(units)
    if not units or not all(
        isinstance(u, numbers.Integral) and not isinstance(u, bool) and u >= 1
        for u in units
    ):
        raise ValueError(
            f"units must be a positive int or a non-empty tuple of positive ints, "
            f"got {units!r}."
        )
    return tuple(int(u) for u in units)


class SequenceEstimatorBase(StateMixin, ScalingMixin, BaseEstimator):
    """Base class: parameters and training loop common to all estimators."""

    _parameter_constraints = {
        "units": [Interval(numbers.Integral, 1, None, closed="left"), tuple, list],
        "dropout": [Interval(numbers.Real, 0, 1, closed="left")],
        "bidirectional": ["boolean"],
        "epochs": [Interval(numbers.Integral, 1, None, closed="left")],
        "max_steps": [Interval(numbers.Integral, 1, None, closed="left"), None],
        "batch_size": [Interval(numbers.Integral, 1, None, closed="left")],
        "learning_rate": [Interval(numbers.Real, 0, None, closed="neither")],
        "validation_fraction": [Interval(numbers.Real, 0, 1, closed="neither"), None],
        "n_iter_no_change": [Interval(numbers.Integral, 1, None, closed="left"), None],
        "tol": [Interval(numbers.Real, 0, None, closed="left")],
        "random_state": ["random_state"],
        "verbose": ["verbose"],
        "warm_start": ["boolean"],
        "callbacks": [None, list],
        "devices": [
            None,
            Interval(numbers.Integral, 1, None, closed="left"),
            StrOptions({"all"}),
            list,
        ],
    }

    # Inference runs in larger batches than training: it is memory-light.
    _predict_batch_size = 256

    # Supervised estimators refuse a fit without targets.
    _requires_y = False

    # Training arrays that share the input sequences' time axis: the loop
    # cuts them to each batch's longest sequence.
    _time_aligned = ("sequences", "mask")

    def _store_params(self, params):
        """The whole body of every ``__init__``: keep each argument as given."""
        for name, value in params.items():
            if name != "self":
                setattr(self, name, value)

    # -- hooks --------------------------------------------------------------
    def _model_config(self, batch, y_info):  # pragma: no cover - abstract
        raise NotImplementedError

    def _training_arrays(self, batch, y_info):  # pragma: no cover - abstract
        raise NotImplementedError

    # -- life cycle ---------------------------------------------------------
    def _is_warm(self):
        return getattr(self, "model_", None) is not None

    def _initialize(self, config, rng):
        """Build a fresh model (weights seeded from ``rng``)."""
        config = dict(config, seed=int(rng.randint(0, 2**31 - 1)))
        self._config = config
        self._build_network(config)
        self._after_build(config)
        self.history_ = {}
        self.n_iter_ = 0
        self.n_steps_ = 0
        self._shuffle_seed = int(rng.randint(0, 2**31 - 1))
        return self

    def _fit(self, X, y=None, *, partial=False, sample_weight=None):
        """The one path of ``fit`` and ``partial_fit``: read, check, train.

        ``partial_fit`` (``partial=True``) and ``fit`` with ``warm_start``
        continue from the current weights. They never start over silently:
        when X or the parameters no longer fit the trained weights (other
        features, vocabulary, units...), ``partial_fit`` raises and
        ``warm_start`` refits from scratch with a warning. Changes that keep
        the weights' shapes (sequence lengths, ``learning_rate``, dropout)
        continue training with the same weights, optimizer state and history.
        """
        with self._restore_on_error(), quiet():
            self._units()  # fail on bad units before touching any state
            self._check_setup()
            if y is None and self._requires_y:
                raise ValueError(
                    f"{type(self).__name__} requires y to be passed, but the target y "
                    "is None."
                )
            batch, warm = self._read_X(X, partial=partial)
            y_info = self._check_targets(y, batch, reset=not warm)
            weights = self._sample_weights(sample_weight, batch, y_info)
            config = self._model_config(batch, y_info)
            replicas = data_parallel(self.devices, self.batch_size)
            with replicas.scope():
                if warm and not self._continue_with(config, partial):
                    warm = False
                if not warm:
                    self._fit_input(batch)
                    self._initialize(config, check_random_state(self.random_state))
                else:
                    self.model_.optimizer.learning_rate.assign(self.learning_rate)
                inputs, targets = self._training_arrays(batch, y_info)
                epochs, max_steps = (1, None) if partial else self._training_budget()
                self._train(
                    inputs, targets, epochs, max_steps, weights, replicas.n_devices
                )
            return self

    def _read_X(self, X, *, partial):
        """``(batch, warm)``: X checked against the fitted state when warm."""
        if not ((partial or self.warm_start) and self._is_warm()):
            return self._validate_X(X, reset=True), False
        try:
            return self._validate_X(X, reset=False), True
        except ValueError as exc:
            if partial:
                raise ValueError(
                    f"partial_fit cannot continue training: {exc}"
                ) from None
            warnings.warn(
                f"warm_start cannot continue training ({exc}); refitting from scratch.",
                UserWarning,
                stacklevel=4,
            )
            return self._validate_X(X, reset=True), False

    def _continue_with(self, config, partial):
        """Adopt ``config`` keeping the trained weights; False to start over."""
        old = {k: v for k, v in self._config.items() if k != "seed"}
        if old == config:
            return True
        config = dict(config, seed=self._config["seed"])
        networks = import_networks()
        model, losses, weights = networks.build_network(config)
        old_shapes = [tuple(w.shape) for w in self.model_.weights]
        if [tuple(w.shape) for w in model.weights] == old_shapes:
            model = networks.compile_network(model, losses, weights, self.learning_rate)
            model.set_weights(self.model_.get_weights())
            new_vars, old_vars = (
                model.optimizer.variables,
                self.model_.optimizer.variables,
            )
            if [tuple(v.shape) for v in new_vars] == [tuple(v.shape) for v in old_vars]:
                for new, old_var in zip(new_vars, old_vars, strict=True):
                    new.assign(old_var)
            self.model_ = model
            self.encoder_ = networks.encoder_model(model, config)
            self._lease = None  # the old model goes back to the pool
            self._config = config
            self._after_build(config)
            self._inference_models = {}
            return True
        changed = ", ".join(k for k in config if config[k] != self._config.get(k))
        message = (
            f"the new data or parameters change the shape of the network's weights "
            f"({changed})"
        )
        if partial:
            raise ValueError(f"partial_fit cannot continue training: {message}.")
        warnings.warn(
            f"warm_start cannot continue training: {message}; refitting from scratch.",
            UserWarning,
            stacklevel=4,
        )
        return False

    def _sample_weights(self, sample_weight, batch, y_info):
        """Per-sample (or per-step) loss weights, times any class weights."""
        class_weights = None if y_info is None else y_info.get("weights")
        return _batching.sequence_weights(sample_weight, batch.n_samples, class_weights)

    # -- hooks of _fit, with the defaults of an unsupervised estimator -------
    def _check_setup(self):
        """Checks of parameters against each other, before reading X."""

    def _check_targets(self, y, batch, *, reset):
        return None

    def _fit_input(self, batch):
        """Fit what depends on the training input alone (the scaling)."""

    def _after_build(self, config):
        """Fitted attributes that follow from the network's config."""

    def _training_budget(self):
        """``(epochs, max_steps)`` of a fit; epochs None: as many as max_steps."""
        return self.epochs, self.max_steps

    def _train(
        self, inputs, targets, epochs, max_steps=None, sample_weight=None, n_devices=1
    ):
        """The epoch loop: our own seeded shuffling, budget, early stopping.

        Training stops at whichever comes first: ``epochs`` passes over the
        data, ``max_steps`` optimizer steps in total (None: no limit),
        ``n_iter_no_change`` epochs without an improvement of the monitored
        loss by ``tol`` (the best weights are then restored), or a callback
        setting ``model.stop_training``. Ctrl-C and non-finite losses stop it
        too, keeping the last good weights. ``sample_weight`` (per sequence,
        or per step) multiplies each sample's loss. Training data-parallel
        over ``n_devices`` devices, batches are cut to a multiple of it.

        Batches go through ``train_on_batch``: Keras' ``fit`` would rebuild
        its input pipeline at every call, and shuffling with a local
        RandomState needs one call per epoch, which cost about 0.1 s each;
        slicing NumPy batches ourselves is also faster than that pipeline on
        CPU at every size we measured (``bench/overhead.py``). The callbacks
        get the calls and logs that ``model.fit`` would give them.
        """
        model = self.model_
        rng = np.random.RandomState(self._shuffle_seed + self.n_iter_)
        lengths = inputs["mask"].sum(axis=1)
        train_idx, val_idx = _batching.split_validation(
            len(lengths), self.validation_fraction, rng
        )
        monitor = "val_loss" if val_idx is not None else "loss"
        best_loss, no_improvement = np.inf, 0
        best_weights = last_good = model.get_weights()
        if len(train_idx) < n_devices or (
            val_idx is not None and len(val_idx) < n_devices
        ):
            raise ValueError(
                f"Data-parallel training over {n_devices} devices needs at least "
                f"{n_devices} training and validation sequences each."
            )
        batch_size = min(self.batch_size, len(train_idx))
        if epochs is None:
            epochs = -(-max_steps // -(-len(train_idx) // batch_size))
        run = dict(lengths=lengths, time_keys=self._time_aligned, weights=sample_weight)
        steps_left = max_steps
        steps_per_epoch = -(-len(train_idx) // batch_size)
        budget = epochs * steps_per_epoch
        if max_steps is not None:
            budget = min(budget, max_steps)
        callbacks = self._callback_list(epochs, steps_per_epoch, budget)
        callbacks.on_train_begin()
        for epoch in range(epochs):
            order = train_idx[rng.permutation(len(train_idx))]
            callbacks.on_epoch_begin(self.n_iter_)
            try:
                logs, n_steps = _run_epoch(
                    model.train_on_batch,
                    inputs,
                    targets,
                    _batching.batches(
                        order, batch_size, lengths, rng, multiple=n_devices
                    ),
                    max_batches=steps_left,
                    callbacks=callbacks,
                    **run,
                )
                if val_idx is not None and np.isfinite(logs["loss"]):
                    val_logs, _ = _run_epoch(
                        model.test_on_batch,
                        inputs,
                        targets,
                        _batching.batches(val_idx, batch_size, multiple=n_devices),
                        **run,
                    )
                    logs.update({f"val_{k}": v for k, v in val_logs.items()})
            except KeyboardInterrupt:
                model.set_weights(last_good)
                warnings.warn(
                    f"Training interrupted during epoch {self.n_iter_ + 1}; the "
                    f"weights after {self.n_iter_} completed epoch(s) were kept.",
                    TrainingInterruptedWarning,
                    stacklevel=3,
                )
                break
            if self.verbose >= 2:
                summary = ", ".join(f"{k} {v:.6g}" for k, v in logs.items())
                print(f"Epoch {self.n_iter_ + 1} ({epoch + 1}/{epochs}): {summary}")
            if not all(np.isfinite(v) for v in logs.values()):
                model.set_weights(last_good)
                warnings.warn(
                    f"The loss became {logs.get('loss')} in epoch "
                    f"{self.n_iter_ + 1}; training stopped and the weights of the "
                    "last finite epoch were restored. Lower learning_rate or "
                    "scale the input.",
                    TrainingInterruptedWarning,
                    stacklevel=3,
                )
                break
            for key, value in logs.items():
                self.history_.setdefault(key, []).append(value)
            callbacks.on_epoch_end(self.n_iter_, logs)
            self.n_iter_ += 1
            self.n_steps_ += n_steps
            last_good = model.get_weights()
            if steps_left is not None:
                steps_left -= n_steps
            if self.n_iter_no_change is not None:
                if logs[monitor] < best_loss - self.tol:
                    best_loss, no_improvement = logs[monitor], 0
                    best_weights = last_good
                else:
                    no_improvement += 1
            reason = None
            if self.n_iter_no_change is not None and (
                no_improvement >= self.n_iter_no_change
            ):
                reason = (
                    f"{monitor} did not improve by more than tol={self.tol} for "
                    f"{self.n_iter_no_change} epochs"
                )
            elif steps_left is not None and steps_left <= 0:
                reason = f"reached max_steps={max_steps}"
            elif model.stop_training:
                reason = "a callback stopped training"
            if reason:
                if self.verbose >= 2:
                    print(f"Stopping: {reason}.")
                break
        if self.n_iter_no_change is not None and best_weights is not last_good:
            model.set_weights(best_weights)
        callbacks.on_train_end(logs if self.n_iter_ else None)
        for callback in callbacks.callbacks:
            # Detached, the user's callbacks pickle and clone without a model.
            callback.set_model(None)

    def _callback_list(self, epochs, steps, budget):
        keras = import_keras()
        self.model_.stop_training = False
        callbacks = list(self.callbacks or [])
        if self.verbose == 1:
            from ._progress import ProgressLine

            callbacks.append(ProgressLine(budget, type(self).__name__))
        return keras.callbacks.CallbackList(
            callbacks,
            model=self.model_,
            epochs=epochs,
            steps=steps,
            verbose=0,
        )

    # -- inference helpers ----------------------------------------------------
    def _inference_model(self, key, build):
        """Cache of inference models that share the trained layers.

        Built under a lock: threads that serve one fitted estimator build
        each model once, and never while another thread builds one.
        """
        cache = self.__dict__.setdefault("_inference_models", {})
        with _BUILD_LOCK:
            if key not in cache:
                cache[key] = build()
            return cache[key]

    def _predict_arrays(self, model, inputs):
        """``model.predict`` on an array or a dict of named input arrays."""
        with quiet():
            return _batching.predict_padded(model, inputs, self._predict_batch_size)

    def _check_fitted(self):
        check_is_fitted(self, "model_")

    # -- shared plumbing ------------------------------------------------------
    def _build_network(self, config):
        """The compiled training model and the public encoder for ``config``.

        They come from :mod:`sklearn_seqae._pool`, with their traced
        functions, whenever an estimator gone before fitted the same network.
        """
        self._lease = _pool.checkout(config, self.learning_rate)
        self.model_ = self._lease.entry.model
        self.encoder_ = self._lease.entry.encoder
        # Inference models share the model's layers: they go with it.
        self._inference_models = self._lease.entry.inference

    def _units(self):
        return _check_units(self.units)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.three_d_array = True
        tags.non_deterministic = self.random_state is None
        return tags
