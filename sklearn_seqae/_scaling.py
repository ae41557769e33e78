"""Input scaling: per feature over all training steps, or per sequence.

Every estimator scales its numeric input here before the network sees it;
padded steps are set to zero. Nothing here imports Keras.
"""

import numpy as np

__all__ = ["ScalingMixin", "global_stats", "scaled", "sequence_stats"]


def global_stats(batch):
    """Per-feature mean and standard deviation over the real steps."""
    real = batch.values[batch.mask].astype(np.float64)
    mean, scale = real.mean(axis=0), real.std(axis=0)
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


class ScalingMixin:
    """The estimators' fitted scaling: ``feature_mean_``, ``feature_scale_``."""

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
