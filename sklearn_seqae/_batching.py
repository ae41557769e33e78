"""Arrays cut into batches for training and prediction; weights checked.

The epoch loop in :mod:`sklearn_seqae._base` draws the order; these helpers
turn it into batches that each pay only for their own longest sequence.
"""

import numpy as np

__all__ = [
    "batch_arrays",
    "batches",
    "check_weights",
    "float32_weights",
    "predict_padded",
    "sequence_weights",
    "split_validation",
    "weights_like",
]


def batch_arrays(arrays, idx, time_keys, length):
    """Rows ``idx`` of every array; time-aligned ones cut to ``length`` steps."""
    return {k: v[idx, :length] if k in time_keys else v[idx] for k, v in arrays.items()}


def batches(order, batch_size, lengths=None, rng=None, n_group=8, multiple=1):
    """Index arrays of the batches of one pass over ``order``.

    With ``lengths`` and ``rng`` (training on sequences of different
    lengths), every run of ``n_group`` batches is sorted by length before it
    is cut, and the batches are then shuffled: a batch pays only for its own
    longest sequence, while every epoch still draws a new random grouping.
    With ``multiple`` (data-parallel training), a batch is cut to a multiple
    of it, so that it splits evenly over the devices.
    """
    if multiple > 1:
        cut = batches(order, batch_size, lengths, rng, n_group)
        cut = [b[: len(b) - len(b) % multiple] for b in cut]
        return [b for b in cut if len(b)]
    if rng is None or lengths is None or lengths.min() == lengths.max():
        return [order[i : i + batch_size] for i in range(0, len(order), batch_size)]
    chunk = batch_size * n_group
    cut = []
    for start in range(0, len(order), chunk):
        part = order[start : start + chunk]
        part = part[np.argsort(lengths[part], kind="stable")]
        cut += [part[i : i + batch_size] for i in range(0, len(part), batch_size)]
    return [cut[i] for i in rng.permutation(len(cut))]


def weights_like(weights, target):
    """Weights shaped like the per-element loss of ``target``.

    A sequence target's loss has one value per step ``(B, T)``; a weight per
    sequence is repeated over its steps (Keras would not broadcast it).
    """
    if target.ndim == 1:
        return weights if weights.ndim == 1 else weights.mean(axis=1)
    if weights.ndim == 1:
        return np.broadcast_to(weights[:, None], target.shape[:2])
    return weights


def check_weights(weights, where):
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


def float32_weights(weights):
    """``weights`` in float32, the dtype the loss is computed in.

    Where float32 would turn some non-zero weight into 0 or inf (below
    about 1e-45 or above 3e38), all are divided by their maximum first,
    which keeps every ratio float32 can hold. Otherwise they are kept as
    given (the user's weights arrive here divided by their mean, see
    :func:`relative_weights`).
    """
    weights = np.asarray(weights, dtype=np.float64)
    with np.errstate(over="ignore"):  # an overflow is what the test below finds
        single = weights.astype(np.float32)
    if np.isinf(single).any() or ((single == 0) & (weights != 0)).any():
        single = (weights / weights.max()).astype(np.float32)
    return single


def validation_size(n_samples, fraction):
    """Sequences held out for validation (0 for None); refuses an empty side."""
    if fraction is None:
        return 0
    n_val = int(round(fraction * n_samples))
    if n_val < 1 or n_val >= n_samples:
        raise ValueError(
            f"validation_fraction={fraction} leaves {n_val} of {n_samples} samples "
            "for validation; use more samples or validation_fraction=None."
        )
    return n_val


def split_validation(n_samples, fraction, rng):
    """Training and validation indices; all for training when ``fraction`` is None."""
    if fraction is None:
        return np.arange(n_samples), None
    n_val = validation_size(n_samples, fraction)
    perm = rng.permutation(n_samples)
    return np.sort(perm[n_val:]), np.sort(perm[:n_val])


def predict_padded(model, inputs, size):
    """``model.predict`` on an array or a dict of arrays, in whole batches.

    Inputs are padded to whole batches of ``size``: every call then sees one
    batch shape, so the predict function is traced once and a sample's
    result does not depend on how many others come with it.
    """
    named = inputs if isinstance(inputs, dict) else {None: inputs}
    n = len(next(iter(named.values())))
    pad = -n % size
    if pad:
        # Filler rows repeat the first sequence: an all-padding row would
        # be a fully masked sequence, which cuDNN refuses on a GPU.
        named = {
            k: np.concatenate([v, np.repeat(v[:1], pad, axis=0)])
            for k, v in named.items()
        }
    arrays = named if isinstance(inputs, dict) else named[None]
    out = model.predict(arrays, batch_size=size, verbose=0)
    if isinstance(out, dict):
        return {k: v[:n] for k, v in out.items()}
    return out[:n]


def relative_weights(weights, real=None):
    """``weights`` divided by their mean (over the ``real`` entries).

    Only the ratios of sample weights mean something, as in scikit-learn:
    weights that sum to 1 (AdaBoost's) must train as weights of 1 do, and a
    loss they shrink would also meet early stopping's absolute ``tol`` long
    before it should.
    """
    mean = weights.mean() if real is None else weights[real].mean()
    return weights / mean


def sequence_weights(sample_weight, n_samples, class_weights=None):
    """One loss weight per sequence, times the class weights (per step or not)."""
    if sample_weight is None:
        return class_weights
    weights = np.asarray(sample_weight, dtype=np.float64)
    if weights.shape != (n_samples,):
        raise ValueError(
            f"sample_weight has shape {weights.shape}, but X has "
            f"{n_samples} sequences; give one weight per sequence."
        )
    check_weights(weights, "sequence {}")
    weights = relative_weights(weights)
    if class_weights is not None:
        weights = class_weights * weights[:, None]
    return float32_weights(weights)
