"""Every public estimator, tiny, with X and y that suit it.

One place for the project's own common checks (``test_sequence_checks.py``)
and any test that needs "each estimator, fitted on data it accepts".
"""

from dataclasses import dataclass

import numpy as np

from sklearn_seqae import (
    LSTMAnomalyDetector,
    LSTMAutoencoderTransformer,
    Seq2SeqClassifier,
    Seq2SeqRegressor,
    TimestepClassifier,
    TimestepRegressor,
)

TINY = dict(units=3, epochs=2, batch_size=4, random_state=0)


@dataclass
class Case:
    """An unfitted estimator, data it accepts, and the method that outputs."""

    name: str
    estimator: object
    X: list
    y: object
    method: str

    def fit(self, estimator=None):
        estimator = self.estimator if estimator is None else estimator
        return (
            estimator.fit(self.X, self.y)
            if self.y is not None
            else (estimator.fit(self.X))
        )


def sequences(n=10, n_features=2, seed=0):
    """Ragged sequences of 4 to 7 steps, so every batch holds padding."""
    rng = np.random.RandomState(seed)
    return [
        np.c_[
            np.sin(np.arange(t) * (0.3 + 0.1 * i)), rng.normal(size=(t, n_features - 1))
        ]
        for i, t in enumerate(rng.randint(4, 8, size=n))
    ]


def cases():
    X = sequences()
    labels = np.array([i % 2 for i in range(len(X))])
    step_labels = [(x[:, 0] > 0).astype(int) for x in X]
    step_values = [2 * x[:, 0] - x[:, 1] for x in X]
    ahead = np.stack([x[:3, 0] for x in X])
    return [
        Case(
            "LSTMAutoencoderTransformer",
            LSTMAutoencoderTransformer(code="last", **TINY),
            X,
            None,
            "transform",
        ),
        Case("Seq2SeqRegressor", Seq2SeqRegressor(**TINY), X, ahead, "predict"),
        Case(
            "Seq2SeqClassifier", Seq2SeqClassifier(**TINY), X, labels, "predict_proba"
        ),
        Case(
            "TimestepClassifier",
            TimestepClassifier(**TINY),
            X,
            step_labels,
            "predict_proba",
        ),
        Case("TimestepRegressor", TimestepRegressor(**TINY), X, step_values, "predict"),
        Case(
            "LSTMAnomalyDetector", LSTMAnomalyDetector(**TINY), X, None, "score_samples"
        ),
    ]


def flat(output):
    """One float array of any estimator output (arrays or lists of arrays)."""
    if isinstance(output, list):
        return np.concatenate([np.ravel(np.asarray(o, dtype=float)) for o in output])
    return np.ravel(np.asarray(output, dtype=float))
