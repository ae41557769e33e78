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
import warnings
from contextlib import contextmanager

import numpy as np
from sklearn.base import BaseEstimator
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import Interval
from sklearn.utils.validation import check_is_fitted

from ._keras import import_networks

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


def _run_epoch(step, inputs, targets, batches, *, lengths, time_keys, max_batches=None):
    """Run ``step`` (train/test_on_batch) on each batch of index arrays.

    Each batch is cut to its longest sequence, so a batch of short
    sequences does not pay for another batch's long ones; the arrays named
    in ``time_keys`` share the input's time axis. Stops after
    ``max_batches`` batches, or at the first non-finite loss, which the
    caller handles. Returns the sample-weighted mean of each batch log, as
    ``fit`` reports it, and the number of batches run.
    """
    totals, seen, n_run = {}, 0, 0
    for idx in batches[:max_batches]:
        n_run += 1
        length = int(lengths[idx].max())
        logs = step(
            _batch(inputs, idx, time_keys, length),
            _batch(targets, idx, time_keys, length),
            return_dict=True,
        )
        for key, value in logs.items():
            totals[key] = totals.get(key, 0.0) + float(value) * len(idx)
        seen += len(idx)
        if not np.isfinite(float(logs["loss"])):
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
    }

    # Inference runs in larger batches than training: it is memory-light.
    _predict_batch_size = 256

    # Training arrays that share the input sequences' time axis: the loop
    # cuts them to each batch's longest sequence.
    _time_aligned = ("sequences", "mask")

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
        self.history_ = {}
        self.n_iter_ = 0
        self.n_steps_ = 0
        self._shuffle_seed = int(rng.randint(0, 2**31 - 1))
        return self

    def _fit_sequences(self, batch, y_info, *, epochs, incremental, max_steps=None):
        """Train on validated input; the one place where training happens.

        ``incremental`` (partial_fit, or warm_start with a fitted model)
        continues from the current weights when the model shape still fits.
        """
        rng = check_random_state(self.random_state)
        config = self._model_config(batch, y_info)
        warm = incremental and self._is_warm() and self._same_shape(config)
        if not warm:
            self._initialize(config, rng)
        else:
            self.model_.optimizer.learning_rate.assign(self.learning_rate)
        inputs, targets = self._training_arrays(batch, y_info)
        self._train(inputs, targets, epochs, max_steps)
        return self

    def _same_shape(self, config):
        old = {k: v for k, v in self._config.items() if k != "seed"}
        return old == config

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

    def _train(self, inputs, targets, epochs, max_steps=None):
        """The epoch loop: our own seeded shuffling, budget, early stopping.

        Training stops at whichever comes first: ``epochs`` passes over the
        data, ``max_steps`` optimizer steps in total (None: no limit), or
        ``n_iter_no_change`` epochs without an improvement of the monitored
        loss by ``tol`` (the best weights are then restored). Ctrl-C and
        non-finite losses stop it too, keeping the last good weights.

        Batches go through ``train_on_batch``: Keras' ``fit`` would rebuild
        its input pipeline at every call, and shuffling with a local
        RandomState needs one call per epoch, which cost about 0.1 s each;
        slicing NumPy batches ourselves is also faster than that pipeline on
        CPU at every size we measured (``bench/overhead.py``).
        """
        model = self.model_
        rng = np.random.RandomState(self._shuffle_seed + self.n_iter_)
        lengths = inputs["mask"].sum(axis=1)
        n_samples = len(lengths)
        train_idx, val_idx = self._split_validation(n_samples, rng)
        monitor = "val_loss" if val_idx is not None else "loss"
        best_loss, no_improvement = np.inf, 0
        best_weights = last_good = model.get_weights()
        batch_size = min(self.batch_size, len(train_idx))
        run = dict(lengths=lengths, time_keys=self._time_aligned)
        steps_left = max_steps
        for epoch in range(epochs):
            order = train_idx[rng.permutation(len(train_idx))]
            try:
                logs, n_steps = _run_epoch(
                    model.train_on_batch,
                    inputs,
                    targets,
                    _batches(order, batch_size, lengths, rng),
                    max_batches=steps_left,
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
                if no_improvement >= self.n_iter_no_change:
                    if self.verbose:
                        print(
                            f"{monitor} did not improve by more than tol={self.tol} "
                            f"for {self.n_iter_no_change} epochs; stopping."
                        )
                    break
            if steps_left is not None and steps_left <= 0:
                if self.verbose:
                    print(f"Reached max_steps={max_steps}; stopping.")
                break
        if self.n_iter_no_change is not None and best_weights is not last_good:
            model.set_weights(best_weights)
        self._inference_models = {}

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
            named = {
                k: np.concatenate([v, np.zeros((pad, *v.shape[1:]), v.dtype)])
                for k, v in named.items()
            }
        arrays = named if isinstance(inputs, dict) else named[None]
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
        from ._persistence import save

        save(self, path)

    def __getstate__(self):
        state = self.__dict__.copy()
        model = state.pop("model_", None)
        state.pop("encoder_", None)
        state.pop("_inference_models", None)
        if model is not None:
            state["_weights"] = model.get_weights()
        return state

    def __setstate__(self, state):
        weights = state.pop("_weights", None)
        self.__dict__.update(state)
        if weights is not None:
            self._inference_models = {}
            self._build_network(self._config)
            self.model_.set_weights(weights)

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

    def _fit_scaler(self, batch, standardize):
        """Per-feature mean and scale over the real time steps of ``batch``."""
        if standardize:
            real = batch.values[batch.mask].astype(np.float64)
            mean, scale = real.mean(axis=0), real.std(axis=0)
            scale[scale < 1e-12] = 1.0
        else:
            mean, scale = np.zeros(batch.n_features), np.ones(batch.n_features)
        self.feature_mean_, self.feature_scale_ = mean, scale

    def _scaled(self, batch):
        """Standardized float32 values, zero on padded steps."""
        values = (batch.values - self.feature_mean_) / self.feature_scale_
        values[~batch.mask] = 0.0
        return values.astype(np.float32)

    def _unscale(self, values):
        return values * self.feature_scale_ + self.feature_mean_

    def _units(self):
        return _check_units(self.units)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.three_d_array = True
        tags.non_deterministic = self.random_state is None
        return tags
