"""Cutting sequences into patches of consecutive steps, and back.

An LSTM that steps through 1,500 points one at a time spends its time on
the recurrence and forgets the start. Read as patches of ``p`` steps, each
patch one input vector of ``p * F`` values, the same sequence is ``p`` times
shorter (Mantis and PatchTST read patches; TS2Vec cuts long series into
sections). Nothing here imports Keras.

Padding stays exact: a patch is real when any of its steps is, and the
steps of a sequence's last, partial patch that lie past its end are zero,
whatever the padding of the batch around it, so padding never changes what
the network reads.
"""

import numpy as np

__all__ = ["auto_patch_size", "from_patches", "patch_lengths", "to_patches"]

#: ``patch_size="auto"`` reads a sequence of the median training length in at
#: most this many patches; sequences up to this long are read step by step.
AUTO_PATCH_STEPS = 96
#: ... and the longest in at most this many, so that on ragged data a few long
#: sequences neither make the patches coarse for all (PLAID, 100 to 1,344
#: steps, median 300: patches of 4 rather than 14 steps score 0.01 to 0.02
#: higher by CV on its training split, bench/objectives.py) nor the LSTM's
#: recurrence long.
AUTO_PATCH_STEPS_LONGEST = 4 * AUTO_PATCH_STEPS


def auto_patch_size(lengths):
    """The patch size ``"auto"`` picks for sequences of these lengths.

    For equal lengths this is ``ceil(length / 96)``.
    """
    lengths = np.asarray(lengths).reshape(-1)
    typical = int(np.ceil(np.median(lengths)))
    longest = int(lengths.max())
    return max(
        1,
        -(-typical // AUTO_PATCH_STEPS),
        -(-longest // AUTO_PATCH_STEPS_LONGEST),
    )


def patch_lengths(lengths, patch_size):
    """Patches per sequence: a last, partial patch counts."""
    return -(-np.asarray(lengths) // patch_size)


#: Statistics of each patch's real steps, per feature, that follow its values
#: in the encoder's input: a linear read of the values alone misses them.
PATCH_STATS = ("mean", "std", "min", "max")


def to_patches(values, mask, patch_size, stats=False):
    """``(n, T, F)`` values and ``(n, T)`` mask as ``(n, ceil(T/p), p*F)`` patches.

    Padded steps must already be zero in ``values`` (the scaling makes them
    so). With ``stats``, each patch also carries the :data:`PATCH_STATS` of
    its real steps (``(n, P, p*F + 4F)``). Returns the patches and their mask.
    """
    if patch_size == 1:
        return values, mask
    n, t, f = values.shape
    n_patches = -(-t // patch_size)
    pad = n_patches * patch_size - t
    if pad:
        values = np.concatenate([values, np.zeros((n, pad, f), values.dtype)], 1)
        mask = np.concatenate([mask, np.zeros((n, pad), bool)], axis=1)
    patches = values.reshape(n, n_patches, patch_size * f)
    step_mask = mask.reshape(n, n_patches, patch_size)
    patch_mask = step_mask.any(axis=2)
    if not stats:
        return patches, patch_mask
    steps = values.reshape(n, n_patches, patch_size, f)
    real = step_mask[..., None]
    count = np.maximum(real.sum(axis=2), 1)
    mean = (steps * real).sum(axis=2) / count
    std = np.sqrt((((steps - mean[:, :, None]) * real) ** 2).sum(axis=2) / count)
    low = np.where(real, steps, np.inf).min(axis=2)
    high = np.where(real, steps, -np.inf).max(axis=2)
    parts = [mean, std, low, high]
    for part in parts:
        part[~patch_mask] = 0.0
    tokens = np.concatenate([patches, *parts], axis=2).astype(values.dtype)
    return tokens, patch_mask


def from_patches(patches, patch_size, n_features):
    """``(n, P, p*F)`` patches back as ``(n, P*p, F)`` steps."""
    if patch_size == 1:
        return patches
    n, n_patches = patches.shape[:2]
    return patches.reshape(n, n_patches * patch_size, n_features)
