"""The per-step estimators' shared base: one output per input step.

Tagging tasks (a label for every time step) and tutorial 001's whole-window
echo need an output aligned with each input step, not a bottleneck code:
a head reads the encoder's output at every step. The encoder is causal
(each step sees only the past) unless ``bidirectional=True``.
"""

import numbers

import numpy as np
from sklearn.base import _fit_context
from sklearn.utils._param_validation import Interval, StrOptions

from ._batching import check_weights, float32_weights, relative_weights
from ._keras import import_networks
from ._sequences import check_sequences, long_frame_items
from ._supervised import SupervisedSequenceBase

__all__ = ["_TimestepBase"]


def _check_step_lengths(lengths, batch, name):
    """Every target sequence must have its input sequence's length."""
    wrong = np.flatnonzero(np.asarray(lengths) != batch.lengths)
    if len(wrong):
        i = int(wrong[0])
        raise ValueError(
            f"{name}: sequence {i} has {lengths[i]} step(s), but X's sequence {i} "
            f"has {batch.lengths[i]}; a per-step estimator needs one target per "
            "input step."
        )


def _aligned_targets(y, batch, name="y", labels=False):
    """``y`` as given, or a long frame's per-instance arrays in X's order.

    Per-step predictions for a long frame ``X`` come back as a long frame, so
    such a ``y`` is lined up with ``X`` by instance label and, when X has
    time labels, by time label: its rows may come in any order.
    With ``labels``, a frame's single column gives 1-D label sequences.
    """
    long = long_frame_items(y)
    if long is None:
        if labels:
            return _nested_labels(y)
        return y
    instances, items, times = long
    if labels:
        items = [i[:, 0] if i.ndim == 2 and i.shape[1] == 1 else i for i in items]
    if batch.instance_index is None:
        return items
    position = {label: i for i, label in enumerate(instances)}
    missing = [label for label in batch.instance_index if label not in position]
    if missing or len(instances) != batch.n_samples:
        detail = (
            f"instance {missing[0]!r} of X is not in {name}"
            if missing
            else f"{name} has {len(instances)} instances and X {batch.n_samples}"
        )
        raise ValueError(
            f"{name} is a long frame whose instances are not X's: {detail}."
        )
    order = [position[label] for label in batch.instance_index]
    if batch.time_index is None:
        return [items[i] for i in order]
    return [
        _in_time_order(items[i], times[i], x_times, label, name)
        for i, x_times, label in zip(
            order, batch.time_index, batch.instance_index, strict=True
        )
    ]


def _nested_labels(y):
    """A one-column nested frame of label sequences as a list, else ``y``.

    Per-step predictions for a nested frame come back as one; the label
    readers take lists (the numeric readers read such frames themselves).
    """
    module = type(y).__module__
    if not hasattr(y, "columns") or len(y.columns) != 1 or not len(y):
        return y
    if module.startswith("pandas"):
        cells = y.iloc[:, 0]
        if cells.dtype == object and all(np.ndim(cell) == 1 for cell in cells):
            return [np.asarray(cell) for cell in cells]
    elif module.startswith("polars") and type(y).__name__ == "DataFrame":
        column = y.to_series(0)
        if column.dtype.base_type().__name__ in ("List", "Array"):
            return [np.asarray(cell) for cell in column.to_list()]
    return y


def _in_time_order(values, times, x_times, instance, name):
    """One instance's rows of a long ``y`` in the order of X's time labels."""
    import pandas as pd

    if x_times is None:  # a nested frame's cell without time labels
        return values
    x_times = pd.Index(x_times)
    if len(values) != len(x_times):
        return values  # _check_step_lengths names the instance's lengths
    times = pd.Index(times)
    if not times.is_unique:
        raise ValueError(
            f"{name} has duplicate (instance, time) rows: instance {instance!r} "
            f"has more than one row at time {times[times.duplicated()][0]!r}."
        )
    where = times.get_indexer(x_times)
    if (where < 0).any():
        time = x_times[int(np.flatnonzero(where < 0)[0])]
        time = getattr(time, "item", lambda: time)()
        raise ValueError(
            f"{name} is a long frame whose time labels are not X's: instance "
            f"{instance!r} of X has time {time!r}, which {name} lacks."
        )
    return values[where]


class _TimestepBase(SupervisedSequenceBase):
    """Per-step plumbing shared by the classifier and the regressor."""

    _parameter_constraints = {
        **SupervisedSequenceBase._parameter_constraints,
        "input_type": [StrOptions({"numeric", "tokens"})],
        "embedding_dim": [Interval(numbers.Integral, 1, None, closed="left"), None],
        "handle_unknown": [StrOptions({"error", "use_unknown"})],
    }
    _time_aligned = ("sequences", "mask", "outputs", "sample_weight")

    def _token_input(self):
        return self.input_type == "tokens", self.embedding_dim

    def _unknown_tokens(self):
        return self.handle_unknown

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y, sample_weight=None):
        """Train on sequences ``X`` and per-step targets ``y``.

        Parameters
        ----------
        X : sequences
            Numeric sequences in any layout, or token ids with
            ``input_type="tokens"``.
        y : array-like of shape (n_samples, n_timesteps[, n_outputs]), or list
            One target per input step; a list of arrays matching ragged X.

        sample_weight : array-like of shape (n_samples,) or (n_samples, \
                n_timesteps), or list, default=None
            Weight of each sequence, or of each step (a list of arrays for
            ragged X), in the loss and in the input (and target) scaling; 0
            removes its influence.

        Returns
        -------
        self : object
        """
        return self._fit(X, y, sample_weight=sample_weight)

    def _sample_weights(self, sample_weight, batch, targets):
        if sample_weight is None or all(np.ndim(w) == 0 for w in sample_weight):
            return super()._sample_weights(sample_weight, batch, targets)
        steps = check_sequences(
            list(sample_weight) if isinstance(sample_weight, tuple) else sample_weight,
            name="sample_weight",
            dtype=np.float64,
        )
        _check_step_lengths(steps.lengths, batch, "sample_weight")
        weights = steps.values[..., 0]
        check_weights(weights[steps.mask], "step {}")
        weights = relative_weights(weights, steps.mask)
        per_class = targets.get("weights")
        if per_class is not None:
            weights = weights * per_class
        return float32_weights(weights)

    def _score_weights(self, sample_weight, batch):
        """One weight per real step, sequence after sequence, or None."""
        weights = self._sample_weights(sample_weight, batch, {})
        if weights is None:
            return None
        if weights.ndim == 1:
            return np.repeat(weights, batch.lengths)
        return weights[batch.mask]

    def partial_fit(self, X, y, sample_weight=None):
        """Train one more epoch, starting a model if there is none.

        Parameters
        ----------
        X : sequences
            Sequences in any layout :meth:`fit` accepts; lengths may differ
            from fit.
        y : per-step targets, as in fit
            One label per input step, as in :meth:`fit`.
        sample_weight : array-like or list, default=None
            As in fit.

        Returns
        -------
        self : object
        """
        self._validate_params()
        return self._fit(X, y, partial=True, sample_weight=sample_weight)

    def _network_spec(self, batch, targets, *, warm):
        return dict(
            self._encoder_config(batch),
            kind="timestep",
            n_outputs=int(targets["n_outputs"]),
            targets=self._target_kind,
        )

    def _training_arrays(self, batch, targets):
        return self._encoder_inputs(batch), {"outputs": targets["values"]}

    def _step_outputs(self, X, output):
        """``(batch, values (n, T, ...))`` of one prediction per step of X."""
        self._check_fitted()
        batch = self._read_X(X, reset=False)
        masked = not batch.mask.all()

        def build():
            networks = import_networks()
            return networks.step_model(
                self.model_, self._config, output=output, masked=masked
            )

        inputs = self._encoder_inputs(batch)
        return batch, self._predict_with(
            ("steps", output, masked), build, inputs if masked else inputs["sequences"]
        )

    @staticmethod
    def _in_layout(batch, values, squeeze, output_names=None):
        """Per-step ``values`` ``(n, T, k)`` in X's layout (k dropped if squeeze).

        A frame's output columns are ``output_names`` (``"prediction"`` for
        one output): named after what is predicted, not after X's features.
        A wide frame holds one value per step, so ``k`` outputs per step come
        back as an array ``(n, T, k)``, as for a 2-D array X.
        """
        if squeeze:
            values = values[..., :1]
        if batch.layout in ("array2d", "array3d") or (
            batch.layout == "wide" and values.shape[-1] > 1
        ):
            return values[..., 0] if squeeze else values
        if batch.layout == "ragged":
            return [
                values[i, :n, 0] if squeeze else values[i, :n]
                for i, n in enumerate(batch.lengths)
            ]
        if squeeze:
            output_names = ["prediction"]
        elif output_names is None:
            output_names = range(values.shape[-1])
        out = batch.to_layout(values, output_names=list(output_names))
        if batch.layout == "multiindex" and squeeze and batch.frame_library == "pandas":
            return out.iloc[:, 0].rename(None)
        return out

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.multi_output = True
        return tags
