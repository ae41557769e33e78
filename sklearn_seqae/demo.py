"""The package's main job, end to end: ``python -m sklearn_seqae.demo``.

An LSTM autoencoder learns fixed-length codes for noisy sine, square and
sawtooth waves of random period, phase and amplitude, without labels; a
LogisticRegression classifies the codes; GridSearchCV chooses how the code
is read from the encoder. The result is printed next to what a user would
try first, 1-nearest-neighbour and LogisticRegression on the raw steps, and
next to the same network untrained (its initial weights): what training
adds. Run by ``make demo``.
"""

import time

from sklearn.base import clone
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, train_test_split
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler

from sklearn_seqae import LSTMAutoencoderTransformer
from sklearn_seqae.datasets import make_labelled_waves


def main():
    start = time.perf_counter()
    X, y = make_labelled_waves(
        600, length=30, periods=(1, 4), amplitude=(0.5, 2), random_state=0
    )
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=0.5, stratify=y, random_state=0
    )
    pipeline = Pipeline(
        [
            ("autoencoder", LSTMAutoencoderTransformer(random_state=0)),
            ("scale", StandardScaler()),
            ("classifier", LogisticRegression(max_iter=2000)),
        ]
    )
    search = GridSearchCV(
        pipeline, {"autoencoder__code": ["last", "mean_max"]}, cv=2
    ).fit(X_train, y_train)
    print(
        f"data: {len(X_train)} training / {len(X_test)} test sequences of 30 steps, "
        "3 shapes"
    )
    print(f"best parameters: {search.best_params_}")
    print(f"cross-validated accuracy: {search.best_score_:.3f}")
    print(f"test accuracy, autoencoder codes: {search.score(X_test, y_test):.3f}")
    # One optimizer step at a learning rate of 1e-12: the initial weights.
    untrained = clone(search.best_estimator_).set_params(
        autoencoder__max_steps=1, autoencoder__learning_rate=1e-12
    )
    untrained.fit(X_train, y_train)
    print(
        f"test accuracy, same network untrained: {untrained.score(X_test, y_test):.3f}"
    )
    nearest = KNeighborsClassifier(n_neighbors=1).fit(X_train, y_train)
    print(f"test accuracy, 1-NN on the raw steps: {nearest.score(X_test, y_test):.3f}")
    raw = LogisticRegression(max_iter=2000).fit(X_train, y_train)
    print(
        "test accuracy, LogisticRegression on the raw steps: "
        f"{raw.score(X_test, y_test):.3f}"
    )
    print(f"time: {time.perf_counter() - start:.1f} s")


if __name__ == "__main__":
    main()
