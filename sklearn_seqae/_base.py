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
``partial_fit`` and pickling through weights.
"""

import copy
import numbers
import os
import tempfile
import warnings
from contextlib import contextmanager

import numpy as np
from sklearn.base import BaseEstimator, _clone_parametrized
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import Interval
from sklearn.utils.validation import check_is_fitted

from . import _persistence
from ._keras import import_keras, import_networks, quiet
from ._scaling import global_stats, scaled, sequence_stats
from ._version import __version__

__all__ = ["SequenceEstimatorBase", "TrainingInterruptedWarning"]


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


def _batch(arrays, idx, time_keys, length):
    """Rows ``idx`` of every array; time-aligned ones cut to ``length`` steps."""
    return {k: v[idx, :length] if k in time_keys else v[idx] for k, v in arrays.items()}


def _batches(order, batch_size, lengths=None, rng=None, n_group=8):
    """Index arrays of the batches of one pass over ``order``.

    With ``lengths`` and ``rng`` (training on sequences of different
    lengths), every run of ``n_group`` batches is sorted by length before it
    is cut, and the batches are then shuffled: a batch pays only for its own
    longest sequence, while every epoch still draws a new random grouping.
    """
    if rng is None or lengths is None or lengths.min() == lengths.max():
        return [order[i : i + batch_size] for i in range(0, len(order), batch_size)]
    chunk = batch_size * n_group
    batches = []
    for start in range(0, len(order), chunk):
        part = order[start : start + chunk]
        part = part[np.argsort(lengths[part], kind="stable")]
        batches += [part[i : i + batch_size] for i in range(0, len(part), batch_size)]
    return [batches[i] for i in rng.permutation(len(batches))]


def _weights_like(weights, target):
    """Weights shaped like the per-element loss of ``target``.

    A sequence target's loss has one value per step ``(B, T)``; a weight per
    sequence is repeated over its steps (Keras would not broadcast it).
    """
    if target.ndim == 1:
        return weights if weights.ndim == 1 else weights.mean(axis=1)
    if weights.ndim == 1:
        return np.broadcast_to(weights[:, None], target.shape[:2])
    return weights


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
        batch_targets = _batch(targets, idx, time_keys, length)
        batch_weights = None
        if weights is not None:
            batch_weights = weights[idx]
            if "sample_weight" in time_keys and weights.ndim == 2:
                batch_weights = batch_weights[:, :length]
            batch_weights = {
                name: _weights_like(batch_weights, target)
                for name, target in batch_targets.items()
            }
        if callbacks is not None:
            callbacks.on_train_batch_begin(n_run)
        logs = step(
            _batch(inputs, idx, time_keys, length),
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


def _portable(callback):
    """``callback``, or a copy without the attributes that cannot be copied.

    After a fit, Keras callbacks may hold resources that neither pickle nor
    deep-copy (CSVLogger's closed file, TensorBoard's writers); they are
    opened again at the next ``on_train_begin``.
    """
    try:
        return copy.deepcopy(callback)
    except Exception:
        portable = copy.copy(callback)
        for name, value in vars(callback).items():
            try:
                setattr(portable, name, copy.deepcopy(value))
            except Exception:
                setattr(portable, name, None)
        return portable


def _check_weights(weights, where):
    """Finite, non-negative weights, not all zero (scikit-learn's rules)."""
    bad = ~np.isfinite(weights) | (weights < 0)
    if bad.any():
        position = tuple(int(v[0]) for v in np.nonzero(bad))
        raise ValueError(
            "sample_weight must be finite and non-negative; "
            f"{where.format(*position)} has {weights[position]}."
        )
    if not weights.any():
        raise ValueError(
            "Sample weights must contain at least one non-zero number; all of "
            "sample_weight is 0."
        )


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


class SequenceEstimatorBase(BaseEstimator):
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
        self._inference_models = {}
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
            if warm and not self._continue_with(config, partial):
                warm = False
            if not warm:
                self._fit_input(batch)
                self._initialize(config, check_random_state(self.random_state))
            else:
                self.model_.optimizer.learning_rate.assign(self.learning_rate)
            inputs, targets = self._training_arrays(batch, y_info)
            epochs = 1 if partial else self.epochs
            max_steps = None if partial else self.max_steps
            self._train(inputs, targets, epochs, max_steps, weights)
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
        if sample_weight is None:
            return class_weights
        weights = np.asarray(sample_weight, dtype=np.float64)
        if weights.shape != (batch.n_samples,):
            raise ValueError(
                f"sample_weight has shape {weights.shape}, but X has "
                f"{batch.n_samples} sequences; give one weight per sequence."
            )
        _check_weights(weights, "sequence {}")
        if class_weights is not None:
            return (class_weights * weights[:, None]).astype(np.float32)
        return weights.astype(np.float32)

    # -- hooks of _fit, with the defaults of an unsupervised estimator -------
    def _check_setup(self):
        """Checks of parameters against each other, before reading X."""

    def _check_targets(self, y, batch, *, reset):
        return None

    def _fit_input(self, batch):
        """Fit what depends on the training input alone (the scaling)."""

    def _after_build(self, config):
        """Fitted attributes that follow from the network's config."""

    def _split_validation(self, n_samples, rng):
        if self.validation_fraction is None:
            return np.arange(n_samples), None
        n_val = int(round(self.validation_fraction * n_samples))
        if n_val < 1 or n_val >= n_samples:
            raise ValueError(
                f"validation_fraction={self.validation_fraction} leaves "
                f"{n_val} of {n_samples} samples for validation; use more samples "
                "or validation_fraction=None."
            )
        perm = rng.permutation(n_samples)
        return np.sort(perm[n_val:]), np.sort(perm[:n_val])

    def _train(self, inputs, targets, epochs, max_steps=None, sample_weight=None):
        """The epoch loop: our own seeded shuffling, budget, early stopping.

        Training stops at whichever comes first: ``epochs`` passes over the
        data, ``max_steps`` optimizer steps in total (None: no limit),
        ``n_iter_no_change`` epochs without an improvement of the monitored
        loss by ``tol`` (the best weights are then restored), or a callback
        setting ``model.stop_training``. Ctrl-C and non-finite losses stop it
        too, keeping the last good weights. ``sample_weight`` (per sequence,
        or per step) multiplies each sample's loss.

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
        train_idx, val_idx = self._split_validation(len(lengths), rng)
        monitor = "val_loss" if val_idx is not None else "loss"
        best_loss, no_improvement = np.inf, 0
        best_weights = last_good = model.get_weights()
        batch_size = min(self.batch_size, len(train_idx))
        run = dict(lengths=lengths, time_keys=self._time_aligned, weights=sample_weight)
        steps_left = max_steps
        callbacks = self._callback_list(epochs, -(-len(train_idx) // batch_size))
        callbacks.on_train_begin()
        for epoch in range(epochs):
            order = train_idx[rng.permutation(len(train_idx))]
            callbacks.on_epoch_begin(self.n_iter_)
            try:
                logs, n_steps = _run_epoch(
                    model.train_on_batch,
                    inputs,
                    targets,
                    _batches(order, batch_size, lengths, rng),
                    max_batches=steps_left,
                    callbacks=callbacks,
                    **run,
                )
                if val_idx is not None and np.isfinite(logs["loss"]):
                    val_logs, _ = _run_epoch(
                        model.test_on_batch,
                        inputs,
                        targets,
                        _batches(val_idx, batch_size),
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
            if self.verbose:
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
                if self.verbose:
                    print(f"Stopping: {reason}.")
                break
        if self.n_iter_no_change is not None and best_weights is not last_good:
            model.set_weights(best_weights)
        callbacks.on_train_end(logs if self.n_iter_ else None)
        for callback in callbacks.callbacks:
            # Detached, the user's callbacks pickle and clone without a model.
            callback.set_model(None)
        self._inference_models = {}

    def _callback_list(self, epochs, steps):
        keras = import_keras()
        self.model_.stop_training = False
        return keras.callbacks.CallbackList(
            list(self.callbacks or []),
            model=self.model_,
            epochs=epochs,
            steps=steps,
            verbose=0,
        )

    # -- inference helpers ----------------------------------------------------
    def _inference_model(self, key, build):
        """Cache of inference models that share the trained layers."""
        cache = self.__dict__.setdefault("_inference_models", {})
        if key not in cache:
            cache[key] = build()
        return cache[key]

    def _predict_arrays(self, model, inputs):
        """``model.predict`` on an array or a dict of named input arrays.

        Inputs are padded to whole batches of ``_predict_batch_size``: every
        call then sees one batch shape, so the predict function is traced once
        and a sample's result does not depend on how many others come with it.
        """
        named = inputs if isinstance(inputs, dict) else {None: inputs}
        n = len(next(iter(named.values())))
        size = self._predict_batch_size
        pad = -n % size
        if pad:
            # Filler rows repeat the first sequence: an all-padding row would
            # be a fully masked sequence, which cuDNN refuses on a GPU.
            named = {
                k: np.concatenate([v, np.repeat(v[:1], pad, axis=0)])
                for k, v in named.items()
            }
        arrays = named if isinstance(inputs, dict) else named[None]
        with quiet():
            out = model.predict(arrays, batch_size=size, verbose=0)
        if isinstance(out, dict):
            return {k: v[:n] for k, v in out.items()}
        return out[:n]

    def _check_fitted(self):
        check_is_fitted(self, "model_")

    @contextmanager
    def _restore_on_error(self):
        """A fit that raises leaves a previously fitted estimator as it was."""
        saved = copy.copy(self.__dict__)
        saved_history = copy.deepcopy(saved.get("history_"))
        weights = self.model_.get_weights() if self._is_warm() else None
        try:
            yield
        except BaseException:
            self.__dict__.clear()
            self.__dict__.update(saved)
            if saved_history is not None:
                self.history_ = saved_history
            if weights is not None:
                self.model_.set_weights(weights)
            raise

    # -- persistence --------------------------------------------------------
    def save(self, path):
        """Save the estimator to one file; read it back with ``load(path)``.

        The file holds the parameters and fitted state as JSON and the weights
        in Keras' weights format; loading it runs no code from the file.

        Parameters
        ----------
        path : str or path-like
        """
        state = self.__getstate__()
        weights = state.pop("_weights", None)
        params = self.get_params(deep=False)
        for name in params:
            state.pop(name, None)
        with tempfile.TemporaryDirectory() as tmp:
            weights_file = None
            if weights is not None:
                weights_file = os.path.join(tmp, "model.weights.h5")
                self.model_.save_weights(weights_file)
            _persistence.write_file(
                path,
                class_name=type(self).__name__,
                version=__version__,
                params=params,
                state=state,
                weights_file=weights_file,
            )

    def __getstate__(self):
        state = self.__dict__.copy()
        if state.get("callbacks"):
            state["callbacks"] = [_portable(cb) for cb in state["callbacks"]]
        model = state.pop("model_", None)
        state.pop("encoder_", None)
        state.pop("_inference_models", None)
        if model is not None:
            state["_weights"] = model.get_weights()
        return state

    def __setstate__(self, state):
        state = dict(state)
        self._restore(state, state.pop("_weights", None))

    def _restore(self, state, weights):
        """Rebuild from a state dict; the one path for unpickling and ``load``.

        ``weights`` is a list of arrays (pickle), a Keras weights file
        (``load``), or None for an unfitted estimator.
        """
        self.__dict__.update(state)
        self._inference_models = {}
        if weights is None:
            return
        self._build_network(self._config)
        if isinstance(weights, list):
            self.model_.set_weights(weights)
        else:
            self.model_.load_weights(weights)

    def __sklearn_clone__(self):
        # Callbacks that hold a closed file or a writer after a fit cannot be
        # deep-copied: the clone gets copies without those; and a fitted
        # encoder_init stays the fitted one, not an unfitted copy (only its
        # weights are read).
        given = self.callbacks
        try:
            if given:
                self.callbacks = [_portable(cb) for cb in given]
            clone = _clone_parametrized(self)
        finally:
            self.callbacks = given
        if getattr(self, "encoder_init", None) is not None:
            clone.encoder_init = self.encoder_init
        return clone

    def __deepcopy__(self, memo):
        # Keras models do not deep-copy; go through weights like pickle does.
        clone = type(self).__new__(type(self))
        clone.__setstate__(copy.deepcopy(self.__getstate__(), memo))
        return clone

    # -- shared plumbing ------------------------------------------------------
    def _build_network(self, config):
        """The compiled training model and the public encoder for ``config``."""
        networks = import_networks()
        model, losses, weights = networks.build_network(config)
        self.model_ = networks.compile_network(
            model, losses, weights, self.learning_rate
        )
        self.encoder_ = networks.encoder_model(self.model_, config)

    def _fit_scaler(self, batch, mode):
        """Fit the input scaling: ``"global"``, ``"per_sequence"`` or None."""
        self._scaling_mode = mode
        if mode == "global":
            self.feature_mean_, self.feature_scale_ = global_stats(batch)
        else:
            self.feature_mean_ = np.zeros(batch.n_features)
            self.feature_scale_ = np.ones(batch.n_features)

    def _scaling(self, batch):
        """Mean and scale, broadcastable to ``(n, T, F)``, for ``batch``."""
        if self._scaling_mode == "per_sequence":
            return sequence_stats(batch)
        shape = (1, 1, self.n_features_in_)
        return self.feature_mean_.reshape(shape), self.feature_scale_.reshape(shape)

    def _scaled(self, batch, scaling=None):
        """The network's input: scaled float32 values, zero on padded steps."""
        return scaled(batch, *(self._scaling(batch) if scaling is None else scaling))

    def _units(self):
        return _check_units(self.units)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.three_d_array = True
        tags.non_deterministic = self.random_state is None
        return tags
