"""Input scaling: per feature over all training steps, or per sequence.

Every estimator scales its numeric input here before the network sees it;
padded steps are set to zero. Nothing here imports Keras.
"""

import numpy as np

__all__ = ["global_stats", "scaled", "sequence_stats"]


def global_stats(batch, weights=None):
    """Per-feature mean and standard deviation over the real steps.

    ``weights``, one per sequence ``(n,)`` or per step ``(n, T)``, weigh the
    steps as ``sample_weight`` weighs the loss: a zero weight leaves a
    sequence (or a step) out.
    """
    mask = batch.mask
    real = batch.values[mask].astype(np.float64)
    if weights is not None:
        weights = np.asarray(weights, dtype=np.float64).reshape(len(mask), -1)
        weights = np.broadcast_to(weights, mask.shape)[mask]
    mean = np.average(real, axis=0, weights=weights)
    scale = np.sqrt(np.average((real - mean) ** 2, axis=0, weights=weights))
    scale[scale < 1e-12] = 1.0
    return mean, scale


def sequence_stats(batch):
    """Each sequence's per-feature mean and standard deviation, ``(n, 1, F)``."""
    weights = batch.mask[..., None]
    counts = batch.lengths[:, None, None]
    mean = (batch.values * weights).sum(axis=1, keepdims=True) / counts
    var = (((batch.values - mean) * weights) ** 2).sum(axis=1, keepdims=True)
    scale = np.sqrt(var / counts)
    # A constant sequence keeps its level and a unit scale.
    scale[scale < 1e-8 * np.maximum(np.abs(mean), 1.0)] = 1.0
    return mean, scale


def scaled(batch, mean, scale):
    """``(values - mean) / scale`` as float32, zero on padded steps."""
    values = (batch.values - mean) / scale
    values[~batch.mask] = 0.0
    return values.astype(np.float32)
