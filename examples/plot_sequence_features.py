"""
Sequence features for a classifier
==================================

An LSTM autoencoder learns, without labels, a fixed-length code for each
noisy sine, square or sawtooth sequence. A LogisticRegression classifies the
codes, and GridSearchCV tunes the two together. The codes, projected to 2-D,
show the three shapes apart.
"""

# %%
import os

import matplotlib.pyplot as plt
from sklearn.decomposition import PCA
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, train_test_split
from sklearn.pipeline import Pipeline

from sklearn_seqae import LSTMAutoencoderTransformer
from sklearn_seqae.datasets import make_labelled_waves

small = os.environ.get("SEQAE_GALLERY_SMALL") == "1"
X, y = make_labelled_waves(300 if small else 450, length=30, random_state=0)
X_train, X_test, y_train, y_test = train_test_split(
    X, y, test_size=0.3, stratify=y, random_state=0
)

pipe = Pipeline(
    [
        (
            "autoencoder",
            LSTMAutoencoderTransformer(
                epochs=10 if small else 30,
                batch_size=16,
                learning_rate=0.005,
                random_state=0,
            ),
        ),
        ("classifier", LogisticRegression(max_iter=2000)),
    ]
)
search = GridSearchCV(pipe, {"autoencoder__units": [8, 32]}, cv=2).fit(X_train, y_train)
print("best parameters:", search.best_params_)
print(f"test accuracy: {search.score(X_test, y_test):.3f}")
raw = LogisticRegression(max_iter=2000).fit(X_train, y_train)
print(f"LogisticRegression on raw sequences: {raw.score(X_test, y_test):.3f}")

# %%
# The codes in two dimensions
# ---------------------------
codes = search.best_estimator_["autoencoder"].transform(X_test)
projected = PCA(n_components=2).fit_transform(codes)
fig, ax = plt.subplots(figsize=(5, 4), layout="constrained")
for label in sorted(set(y_test)):
    ax.scatter(*projected[y_test == label].T, label=label, s=15)
ax.set_title("autoencoder codes (PCA)")
ax.legend()
plt.show()
