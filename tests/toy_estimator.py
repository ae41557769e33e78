"""A complete estimator in four hooks: the contributor page's example.

``NextStepForecaster`` learns to predict each step's successor from the
steps before it. It inherits fit, warm start, early stopping, callbacks,
pickling and ``save``/``load`` from the base, and implements only the four
hooks plus its public ``predict``.
"""

import numpy as np

from sklearn_seqae._base import SequenceEstimatorBase
from sklearn_seqae._keras import import_networks
from sklearn_seqae._sequences import validate_sequences


class NextStepForecaster(SequenceEstimatorBase):
    """Predict ``x[t + 1]`` from ``x[:t + 1]`` at every step."""

    # Training arrays that share the input's time axis: the loop cuts each
    # batch of them to the batch's longest sequence.
    _time_aligned = ("sequences", "mask", "outputs")

    def __init__(
        self,
        units=16,
        *,
        dropout=0.0,
        bidirectional=False,
        epochs=20,
        max_steps=None,
        batch_size=32,
        learning_rate=5e-3,
        validation_fraction=None,
        n_iter_no_change=None,
        tol=1e-4,
        random_state=None,
        verbose=0,
        warm_start=False,
        callbacks=None,
        devices=None,
    ):
        self.units = units
        self.dropout = dropout
        self.bidirectional = bidirectional
        self.epochs = epochs
        self.max_steps = max_steps
        self.batch_size = batch_size
        self.learning_rate = learning_rate
        self.validation_fraction = validation_fraction
        self.n_iter_no_change = n_iter_no_change
        self.tol = tol
        self.random_state = random_state
        self.verbose = verbose
        self.warm_start = warm_start
        self.callbacks = callbacks
        self.devices = devices

    def fit(self, X, y=None):
        self._validate_params()
        return self._fit(X)

    # -- the four hooks -------------------------------------------------------
    def _read_X(self, X, *, reset):
        return validate_sequences(self, X, reset=reset)

    def _fit_targets(self, y, batch, *, reset, classes=None, sample_weight=None):
        return None  # the targets come from X itself

    def _network_spec(self, batch, targets, *, warm):
        # kind="timestep": an encoder and a head on every step's output.
        return dict(
            kind="timestep",
            n_features=int(batch.n_features),
            units=self._units(),
            bidirectional=bool(self.bidirectional),
            dropout=float(self.dropout),
            n_outputs=int(batch.n_features),
            targets="values",
        )

    def _training_arrays(self, batch, targets):
        values = batch.values.astype(np.float32)
        following = np.zeros_like(values)
        following[:, :-1] = values[:, 1:]
        mask = batch.mask.copy()
        mask[np.arange(batch.n_samples), batch.lengths - 1] = False  # no successor
        return {"sequences": values, "mask": mask}, {"outputs": following}

    # -- its public method ----------------------------------------------------
    def predict(self, X):
        """The predicted successor of every step, ``(n, T, n_features)``."""
        self._check_fitted()
        batch = self._read_X(X, reset=False)

        def build():
            return import_networks().step_model(self.model_, self._config)

        model = self._inference_model("steps", build)
        return self._predict_arrays(
            model, {"sequences": batch.values.astype(np.float32), "mask": batch.mask}
        )
