"""The package's main job, end to end: ``python -m sklearn_seqae.demo``.

An LSTM autoencoder learns fixed-length codes for noisy sine, square and
sawtooth sequences without labels; a LogisticRegression classifies the codes;
GridSearchCV tunes the pair. Run by ``make demo``.
"""

import time

from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, train_test_split
from sklearn.pipeline import Pipeline

from sklearn_seqae import LSTMAutoencoderTransformer
from sklearn_seqae.datasets import make_labelled_waves


def main():
    start = time.perf_counter()
    X, y = make_labelled_waves(600, length=30, noise=0.1, random_state=0)
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=0.25, stratify=y, random_state=0
    )
    pipeline = Pipeline(
        [
            (
                "autoencoder",
                LSTMAutoencoderTransformer(
                    epochs=30, batch_size=16, learning_rate=0.005, random_state=0
                ),
            ),
            ("classifier", LogisticRegression(max_iter=2000)),
        ]
    )
    search = GridSearchCV(
        pipeline,
        {"autoencoder__units": [8, 32]},
        cv=2,
    )
    search.fit(X_train, y_train)
    print(f"data: {len(X_train)} training / {len(X_test)} test sequences of 30 steps")
    print(f"best parameters: {search.best_params_}")
    print(f"cross-validated accuracy: {search.best_score_:.3f}")
    print(f"test accuracy: {search.score(X_test, y_test):.3f}")
    raw = LogisticRegression(max_iter=2000).fit(X_train, y_train)
    print(f"(LogisticRegression on the raw sequences: {raw.score(X_test, y_test):.3f})")
    print(f"time: {time.perf_counter() - start:.1f} s")


if __name__ == "__main__":
    main()
