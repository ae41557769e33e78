"""Accuracy of predicted label sequences."""

import numpy as np

__all__ = ["exact_sequence_accuracy", "per_step_accuracy"]


def _as_sequences(y):
    """Rows of a 1-D or 2-D array, or the items of a list, as 1-D arrays.

    A DataFrame or Series is read as its array, one row per sample
    (iterating a DataFrame would give its column labels).
    """
    if hasattr(y, "to_numpy") and not isinstance(y, np.ndarray):
        y = y.to_numpy()
    if isinstance(y, np.ndarray) and y.dtype != object:
        return [np.atleast_1d(row) for row in (y if y.ndim > 1 else y[:, None])]
    return [np.atleast_1d(np.asarray(item)) for item in y]


def _pairs(y_true, y_pred):
    true, pred = _as_sequences(y_true), _as_sequences(y_pred)
    if len(true) != len(pred):
        raise ValueError(
            f"y_true has {len(true)} sequences but y_pred has {len(pred)}."
        )
    return list(zip(true, pred, strict=True))


def exact_sequence_accuracy(y_true, y_pred):
    """Fraction of sequences predicted exactly: every step and the length.

    Parameters
    ----------
    y_true, y_pred : array of shape (n_samples,) or (n_samples, n_steps), or \
            list of sequences
        Labels or label sequences.

    Returns
    -------
    accuracy : float

    Examples
    --------
    >>> from sklearn_seqae.metrics import exact_sequence_accuracy
    >>> exact_sequence_accuracy([[1, 2], [3, 4]], [[1, 2], [3, 5]])
    0.5
    """
    pairs = _pairs(y_true, y_pred)
    return float(np.mean([len(t) == len(p) and np.array_equal(t, p) for t, p in pairs]))


def per_step_accuracy(y_true, y_pred):
    """Fraction of time steps predicted right.

    Sequences are compared position by position; when the lengths differ,
    each step that one of them lacks counts as wrong (the denominator is the
    longer length).

    Parameters
    ----------
    y_true, y_pred : array of shape (n_samples,) or (n_samples, n_steps), or \
            list of sequences
        True and predicted label sequences, one per sample.

    Returns
    -------
    accuracy : float

    Examples
    --------
    >>> from sklearn_seqae.metrics import per_step_accuracy
    >>> per_step_accuracy([[1, 2], [3, 4]], [[1, 2], [3, 5]])
    0.75
    """
    right = total = 0
    for t, p in _pairs(y_true, y_pred):
        n = min(len(t), len(p))
        right += int(np.sum(t[:n] == p[:n]))
        total += max(len(t), len(p))
    return right / total
