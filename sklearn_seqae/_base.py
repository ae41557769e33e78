"""The life cycle every estimator shares: read, build, train, persist.

:class:`SequenceEstimatorBase` is abstract. ``fit`` and ``partial_fit`` of
every estimator come down to :meth:`~SequenceEstimatorBase._fit`, which
reads as the life cycle itself and calls four hooks a subclass implements:

``_read_X(X, *, reset)``
    one accepted layout of X to a :class:`~sklearn_seqae._sequences.SequenceBatch`
    (``reset=True`` records ``n_features_in_``; ``False`` checks against it);
``_fit_targets(y, batch, *, reset, classes=None, sample_weight=None)``
    y checked and encoded (``classes_``, target scaling, weighed by the
    checked ``sample_weight``): a dict the two hooks below read, or None for
    an unsupervised estimator;
``_network_spec(batch, targets, *, warm)``
    a plain dict (ints, floats, tuples) that fully describes the network,
    which :mod:`sklearn_seqae._networks` turns into Keras models;
``_training_arrays(batch, targets)``
    the model's named inputs and targets as NumPy arrays.

Five more have defaults that most estimators keep: ``_check_params``
(parameters against each other), ``_fit_input`` (the input scaling),
``_after_build`` (fitted attributes that follow from the network),
``_training_budget`` and ``_sample_weights``.

This module says *how*: seeding without global state, the per-epoch loop
(pieces in :mod:`sklearn_seqae._training`), warm start, ``partial_fit``,
pickling and ``save`` through the weights (files:
:mod:`sklearn_seqae._persistence`), and the cache of inference models.
"""

import copy
import numbers
import threading
from abc import ABCMeta, abstractmethod
from contextlib import contextmanager

import numpy as np
from sklearn.base import BaseEstimator, _clone_parametrized
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.validation import check_is_fitted

from . import _batching, _persistence, _pool
from ._distribute import data_parallel
from ._keras import (
    import_keras,
    import_networks,
    model_lock,
    quiet,
    training_lengths,
)
from ._scaling import global_stats, scaled, sequence_stats
from ._training import EarlyStopping, EpochRunner, TrainingInterruptedWarning
from ._warnings import warn

__all__ = ["SequenceEstimatorBase"]

# Keras layer calls that build models touch global state (name counters);
# inference models of estimators served from several threads are built one
# at a time.
_BUILD_LOCK = threading.RLock()


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


def _upgraded(state):
    """A state saved by 0.2, in today's names.

    0.2 recorded the output layout in four attributes (now ``_dropped_axes``)
    and called the network's ``code`` ``readout``.
    """
    state = dict(state)
    legacy = {
        "_fit_2d": lambda flag: ("features",) if flag else (),
        "_squeeze_output": lambda flag: ("features",) if flag else (),
        "_single_label": lambda flag: ("steps",) if flag else (),
        "_target_ndim": lambda ndim: {1: ("steps", "features"), 2: ("features",)}.get(
            ndim, ()
        ),
    }
    for name, dropped in legacy.items():
        if name in state:
            state["_dropped_axes"] = dropped(state.pop(name))
    config = state.get("_config")
    if isinstance(config, dict) and "readout" in config:
        # 0.2 called the network's code "readout".
        state["_config"] = {
            ("code" if key == "readout" else key): value
            for key, value in config.items()
        }
    return state


def _check_callbacks(callbacks):
    """Each callback must be a Keras callback (duck-typed: Keras stays unimported)."""
    for i, callback in enumerate(callbacks or []):
        if not all(hasattr(callback, m) for m in ("set_model", "on_epoch_end")):
            raise TypeError(
                f"callbacks[{i}] is {callback!r} ({type(callback).__name__}); "
                "callbacks must be keras.callbacks.Callback instances."
            )


def _check_split(n_samples, fraction, n_devices):
    """The training/validation split a fit will make, checked before building."""
    n_val = _batching.validation_size(n_samples, fraction)
    if n_samples - n_val < n_devices or (fraction is not None and n_val < n_devices):
        raise ValueError(
            f"Data-parallel training over {n_devices} devices needs at least "
            f"{n_devices} training and validation sequences each."
        )


def _stop_reason(model, stopping, logs, weights, steps_left, max_steps):
    """Why training stops after this epoch, or None to go on."""
    if stopping.update(logs, weights):
        return stopping.reason()
    if steps_left is not None and steps_left <= 0:
        return f"reached max_steps={max_steps}"
    if model.stop_training:
        return "a callback stopped training"
    return None


class SequenceEstimatorBase(BaseEstimator, metaclass=ABCMeta):
    """Base class: the life cycle of every estimator (see the module docstring)."""

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

    # The output layout, recorded once by fit: the axes of the network's
    # output, ``(n, steps, features)``, that the fitted targets (or, for the
    # autoencoder, X) lacked, dropped from every prediction.
    _dropped_axes = ()

    # Training arrays that share the input sequences' time axis: the loop
    # cuts them to each batch's longest sequence.
    _time_aligned = ("sequences", "mask")

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        _persistence.register(cls)

    # -- the four hooks a subclass implements ---------------------------------
    @abstractmethod
    def _read_X(self, X, *, reset):
        """X as a :class:`~sklearn_seqae._sequences.SequenceBatch`.

        ``reset=True`` records what fit learns about X (``n_features_in_``,
        feature names, a vocabulary); ``reset=False`` checks X against it.
        """

    @abstractmethod
    def _fit_targets(self, y, batch, *, reset, classes=None, sample_weight=None):
        """y checked against ``batch`` and encoded for the network.

        Returns a dict that :meth:`_network_spec` and
        :meth:`_training_arrays` read (``"weights"``, if present, multiplies
        each sample's loss), or None without targets. ``reset=False``
        (continued training) checks y against the fitted ``classes_`` or
        target scaling; ``classes`` are all labels ``partial_fit`` may see.
        ``sample_weight`` (checked, per sequence or per step, or None) weighs
        what is learnt from y, such as its scaling.
        """

    @abstractmethod
    def _network_spec(self, batch, targets, *, warm):
        """A plain dict that fully describes the network for this data.

        ``warm`` is True when training continues from fitted weights.
        """

    @abstractmethod
    def _training_arrays(self, batch, targets):
        """``(inputs, targets)``: dicts of NumPy arrays named as the model's."""

    # -- hooks with defaults ----------------------------------------------------
    def _check_params(self):
        """Check parameters against each other, before X is read."""

    def _fit_input(self, batch, sample_weight=None):
        """Fit what depends on the training input alone (the scaling).

        ``sample_weight`` (checked, per sequence or per step, or None) weighs
        each sequence as in the loss: a zero weight leaves it out.
        """

    def _after_build(self, config):
        """Set the fitted attributes that follow from the network's config."""

    def _training_budget(self):
        """``(epochs, max_steps)`` of a fit; epochs None: as many as max_steps."""
        return self.epochs, self.max_steps

    def _sample_weights(self, sample_weight, batch, targets):
        """Per-sample (or per-step) loss weights, times any class weights."""
        class_weights = None if targets is None else targets.get("weights")
        return _batching.sequence_weights(sample_weight, batch.n_samples, class_weights)

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

    def _fit(self, X, y=None, *, partial=False, sample_weight=None, classes=None):
        """The one path of ``fit`` and ``partial_fit``: read, check, build, train.

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
            _check_callbacks(self.callbacks)
            self._check_params()
            if y is None and self._requires_y:
                raise ValueError(
                    f"{type(self).__name__} requires y to be passed, but the target y "
                    "is None."
                )
            if not partial:
                self._training_budget()  # refuses a budget that never ends
            batch, warm = self._read_training_X(X, partial=partial)

            def plan(warm):
                # The scalings learn from each sample as much as the loss
                # does: a zero weight leaves a sample out of them too.
                user_weights = self._sample_weights(sample_weight, batch, {})
                targets = self._fit_targets(
                    y,
                    batch,
                    reset=not warm,
                    classes=classes,
                    sample_weight=user_weights,
                )
                weights = self._sample_weights(sample_weight, batch, targets)
                config = self._network_spec(batch, targets, warm=warm)
                return targets, weights, user_weights, config

            # y the fitted outputs cannot take (new labels, another layout)
            # is refused, as scikit-learn's MLP does under warm_start.
            targets, weights, user_weights, config = plan(warm)
            replicas = data_parallel(self.devices, self.batch_size)
            _check_split(batch.n_samples, self.validation_fraction, replicas.n_devices)
            with replicas.scope():
                if warm and not self._continue_with(config, partial):
                    # Starting over is a fresh fit: the vocabulary, classes
                    # and target scaling are learnt again from this X and y.
                    warm = False
                    batch = self._read_X(X, reset=True)
                    targets, weights, user_weights, config = plan(warm)
                if not warm:
                    self._fit_input(batch, user_weights)
                    self._initialize(config, check_random_state(self.random_state))
                else:
                    self.model_.optimizer.learning_rate.assign(
                        float(self.learning_rate)
                    )
                inputs, arrays = self._training_arrays(batch, targets)
                epochs, max_steps = (1, None) if partial else self._training_budget()
                self._train(
                    inputs, arrays, epochs, max_steps, weights, replicas.n_devices
                )
            return self

    def _read_training_X(self, X, *, partial):
        """``(batch, warm)``: X checked against the fitted state when warm."""
        if not ((partial or self.warm_start) and self._is_warm()):
            return self._read_X(X, reset=True), False
        try:
            return self._read_X(X, reset=False), True
        except ValueError as exc:
            if partial:
                raise ValueError(
                    f"partial_fit cannot continue training: {exc}"
                ) from None
            warn(
                f"warm_start cannot continue training ({exc}); refitting from scratch.",
                UserWarning,
            )
            return self._read_X(X, reset=True), False

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
            model = networks.compile_network(
                model, losses, weights, float(self.learning_rate)
            )
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
        warn(
            f"warm_start cannot continue training: {message}; refitting from scratch.",
            UserWarning,
        )
        return False

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
        last_good = model.get_weights()
        stopping = EarlyStopping(
            "val_loss" if val_idx is not None else "loss",
            self.n_iter_no_change,
            self.tol,
            last_good,
        )
        batch_size = min(self.batch_size, len(train_idx))
        steps_per_epoch = -(-len(train_idx) // batch_size)
        if epochs is None:
            epochs = -(-max_steps // steps_per_epoch)
        budget = epochs * steps_per_epoch
        if max_steps is not None:
            budget = min(budget, max_steps)
        epoch = EpochRunner(
            model=model,
            inputs=inputs,
            targets=targets,
            train_idx=train_idx,
            val_idx=val_idx,
            batch_size=batch_size,
            n_devices=n_devices,
            rng=rng,
            lengths=lengths,
            time_keys=self._time_aligned,
            weights=sample_weight,
            callbacks=self._callback_list(epochs, steps_per_epoch, budget),
            padded_lengths=training_lengths(lengths),
        )
        steps_left = max_steps
        epoch.callbacks.on_train_begin()
        logs = None
        for number in range(epochs):
            epoch.callbacks.on_epoch_begin(self.n_iter_)
            try:
                logs, n_steps = epoch.run(steps_left)
            except KeyboardInterrupt:
                model.set_weights(last_good)
                warn(
                    f"Training interrupted during epoch {self.n_iter_ + 1}; the "
                    f"weights after {self.n_iter_} completed epoch(s) were kept.",
                    TrainingInterruptedWarning,
                )
                break
            if self.verbose >= 2:
                summary = ", ".join(f"{k} {v:.6g}" for k, v in logs.items())
                print(f"Epoch {self.n_iter_ + 1} ({number + 1}/{epochs}): {summary}")
            if not all(np.isfinite(v) for v in logs.values()):
                model.set_weights(last_good)
                warn(
                    f"The loss became {logs.get('loss')} in epoch "
                    f"{self.n_iter_ + 1}; training stopped and the weights of the "
                    "last finite epoch were restored. Lower learning_rate or "
                    "scale the input.",
                    TrainingInterruptedWarning,
                )
                break
            last_good = self._record_epoch(logs, n_steps, epoch.callbacks)
            if steps_left is not None:
                steps_left -= n_steps
            reason = _stop_reason(
                model, stopping, logs, last_good, steps_left, max_steps
            )
            if reason:
                if self.verbose >= 2:
                    print(f"Stopping: {reason}.")
                break
        stopping.restore_best(model, last_good)
        epoch.callbacks.on_train_end(logs if self.n_iter_ else None)
        for callback in epoch.callbacks.callbacks:
            # Detached, the user's callbacks pickle and clone without a model.
            callback.set_model(None)

    def _record_epoch(self, logs, n_steps, callbacks):
        """Count a finished epoch; returns its weights, the last good ones."""
        for key, value in logs.items():
            self.history_.setdefault(key, []).append(value)
        callbacks.on_epoch_end(self.n_iter_, logs)
        self.n_iter_ += 1
        self.n_steps_ += n_steps
        return self.model_.get_weights()

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

    def _predict_with(self, key, build, inputs):
        """Predict with the cached inference model ``key``, built by ``build``."""
        return self._predict_arrays(self._inference_model(key, build), inputs)

    def _in_fitted_shape(self, values, *, n_steps=None):
        """``values`` ``(n, steps, features)`` without the axes fit's data lacked.

        The steps axis stays when the caller asked for ``n_steps`` itself.
        """
        if "features" in self._dropped_axes:
            values = values[..., 0]
        if "steps" in self._dropped_axes and n_steps is None:
            values = values[:, 0]
        return values

    def _predict_arrays(self, model, inputs):
        """``model.predict`` on an array or a dict of named input arrays."""
        with quiet(), model_lock(self.model_):
            return _batching.predict_padded(model, inputs, self._predict_batch_size)

    def _check_fitted(self):
        check_is_fitted(self, "model_")

    # -- shared plumbing ------------------------------------------------------
    def _build_network(self, config):
        """The compiled training model and the public encoder for ``config``.

        They come from :mod:`sklearn_seqae._pool`, with their traced
        functions, whenever an estimator gone before fitted the same network.
        """
        # Keras wants a Python float (a NumPy scalar from a grid fails in Adam).
        self._lease = _pool.checkout(config, float(self.learning_rate))
        self.model_ = self._lease.entry.model
        self.encoder_ = self._lease.entry.encoder
        # Inference models share the model's layers: they go with it.
        self._inference_models = self._lease.entry.inference

    # -- input scaling ----------------------------------------------------------
    def _fit_scaler(self, batch, mode, sample_weight=None):
        """Fit the input scaling: ``"global"``, ``"per_sequence"`` or None.

        Sets ``feature_mean_`` and ``feature_scale_`` (zeros and ones unless
        ``"global"``: per-sequence statistics are computed per call).
        """
        self._scaling_mode = mode
        if mode == "global":
            self.feature_mean_, self.feature_scale_ = global_stats(batch, sample_weight)
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

    # -- persistence: every route goes through the weights ----------------------
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

    def save(self, path):
        """Save the estimator to one file; read it back with ``load(path)``.

        The file holds the parameters and fitted state as JSON and the weights
        in Keras' weights format; loading it runs no code from the file.

        Parameters
        ----------
        path : str or path-like
            Where to write. An existing file is replaced atomically: a save
            that fails leaves it as it was.
        """
        _persistence.save(self, path)

    def _saved_model(self):
        """The Keras model whose weights ``save`` writes."""
        return self.model_

    def __getstate__(self):
        state = self.__dict__.copy()
        if state.get("callbacks"):
            state["callbacks"] = [
                _persistence.portable(cb) for cb in state["callbacks"]
            ]
        model = state.pop("model_", None)
        state.pop("encoder_", None)
        state.pop("_inference_models", None)
        state.pop("_lease", None)
        if model is not None:
            with model_lock(model):
                state["_weights"] = model.get_weights()
                state["_training_state"] = _persistence.training_state(model)
        return state

    def __setstate__(self, state):
        state = dict(state)
        self._restore(state, state.pop("_weights", None))

    def _restore(self, state, weights):
        """Rebuild from a state dict; the one path for unpickling and ``load``.

        ``weights`` is a list of arrays (pickle), a Keras weights file
        (``load``), or None for an unfitted estimator.
        """
        state = dict(state)
        training = state.pop("_training_state", None)
        self.__dict__.update(_upgraded(state))
        self._inference_models = {}
        if weights is None:
            return
        self._build_network(self._config)
        if isinstance(weights, list):
            self.model_.set_weights(weights)
        else:
            self.model_.load_weights(weights)
        if training is not None:
            _persistence.restore_training_state(self.model_, training)

    def __sklearn_clone__(self):
        # Callbacks that hold a closed file or a writer after a fit cannot be
        # deep-copied: the clone gets copies without those.
        given = self.callbacks
        try:
            if given:
                self.callbacks = [_persistence.portable(cb) for cb in given]
            return _clone_parametrized(self)
        finally:
            self.callbacks = given

    def __deepcopy__(self, memo):
        # Keras models do not deep-copy; go through weights like pickle does.
        clone = type(self).__new__(type(self))
        clone.__setstate__(copy.deepcopy(self.__getstate__(), memo))
        return clone

    def _units(self):
        return _check_units(self.units)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.three_d_array = True
        tags.non_deterministic = self.random_state is None
        return tags
