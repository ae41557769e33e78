"""The pieces of the training loop: one epoch, early stopping, interruptions.

:meth:`SequenceEstimatorBase._train <sklearn_seqae._base.SequenceEstimatorBase>`
reads as a list of these steps, the way skorch's ``NeuralNet.fit_loop``
does: shuffle, :func:`run_epoch` on the training batches, again on the
validation batches, record, ask :class:`EarlyStopping`, stop or go on.
Nothing here builds a network; ``step`` is the model's ``train_on_batch``
or ``test_on_batch``.
"""

from dataclasses import dataclass

import numpy as np

from . import _batching

__all__ = ["EarlyStopping", "EpochRunner", "TrainingInterruptedWarning", "run_epoch"]


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


def run_epoch(
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
    padded_lengths=None,
):
    """Run ``step`` (train/test_on_batch) on each batch of index arrays.

    Each batch is cut to its longest sequence, so a batch of short
    sequences does not pay for another batch's long ones; the arrays named
    in ``time_keys`` share the input's time axis (so do per-step
    ``weights``). Stops after ``max_batches`` batches, at the first
    non-finite loss, which the caller handles, or when a callback sets the
    model's ``stop_training``. With ``padded_lengths`` (sorted), a batch
    is cut to the first of them that holds its longest sequence instead
    (padding changes no loss of a given batch). Returns the sample-weighted
    mean of each batch log, as ``fit`` reports it, and the number of batches.
    """
    totals, seen, n_run = {}, 0, 0
    for idx in batches[:max_batches]:
        length = int(lengths[idx].max())
        if padded_lengths is not None:
            length = int(padded_lengths[np.searchsorted(padded_lengths, length)])
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
        # As in model.fit: a callback's stop_training ends the epoch at once.
        if callbacks is not None and getattr(callbacks.model, "stop_training", False):
            break
    return {key: total / seen for key, total in totals.items()}, n_run


@dataclass
class EpochRunner:
    """One pass over the training batches, then over the validation batches.

    It draws each epoch's order and batches from ``rng``, the estimator's
    own seeded generator, so a seeded fit is bit-identical anywhere.
    """

    model: object
    inputs: dict
    targets: dict
    train_idx: np.ndarray
    val_idx: np.ndarray
    batch_size: int
    n_devices: int
    rng: np.random.RandomState
    lengths: np.ndarray
    time_keys: tuple
    weights: np.ndarray
    callbacks: object
    padded_lengths: np.ndarray = None

    def run(self, max_batches):
        """``(logs, n_batches)`` of one epoch; at most ``max_batches`` batches."""
        order = self.train_idx[self.rng.permutation(len(self.train_idx))]
        arrays = dict(
            lengths=self.lengths,
            time_keys=self.time_keys,
            weights=self.weights,
            padded_lengths=self.padded_lengths,
        )
        logs, n_batches = run_epoch(
            self.model.train_on_batch,
            self.inputs,
            self.targets,
            _batching.batches(
                order, self.batch_size, self.lengths, self.rng, multiple=self.n_devices
            ),
            max_batches=max_batches,
            callbacks=self.callbacks,
            **arrays,
        )
        if self.val_idx is not None and np.isfinite(logs["loss"]):
            val_logs, _ = run_epoch(
                self.model.test_on_batch,
                self.inputs,
                self.targets,
                _batching.batches(
                    self.val_idx, self.batch_size, multiple=self.n_devices
                ),
                **arrays,
            )
            logs.update({f"val_{k}": v for k, v in val_logs.items()})
        return logs, n_batches


class EarlyStopping:
    """Stop after ``patience`` epochs without an improvement by ``tol``.

    It keeps the weights of the best epoch so far; :meth:`restore_best` puts
    them back at the end of training. ``patience=None`` never stops and
    restores nothing.

    Parameters
    ----------
    monitor : str
        The log it watches (``"loss"``, or ``"val_loss"`` with a validation
        split).
    patience : int or None
    tol : float
    weights : list of ndarray
        The weights before the first epoch.
    """

    def __init__(self, monitor, patience, tol, weights):
        self.monitor = monitor
        self.patience = patience
        self.tol = tol
        self.best_loss = np.inf
        self.best_weights = weights
        self.epochs_without_improvement = 0

    def update(self, logs, weights):
        """Record one finished epoch; True when training should stop."""
        if self.patience is None:
            return False
        if logs[self.monitor] < self.best_loss - self.tol:
            self.best_loss = logs[self.monitor]
            self.epochs_without_improvement = 0
            self.best_weights = weights
        else:
            self.epochs_without_improvement += 1
        return self.epochs_without_improvement >= self.patience

    def reason(self):
        return (
            f"{self.monitor} did not improve by more than tol={self.tol} for "
            f"{self.patience} epochs"
        )

    def restore_best(self, model, last_weights):
        """Put the best epoch's weights back, if they are not the last ones."""
        if self.patience is not None and self.best_weights is not last_weights:
            model.set_weights(self.best_weights)
