"""
Starting a classifier from an autoencoder's encoder
===================================================

Labels are often scarce while sequences are not. Srivastava et al. (2015)
train an LSTM autoencoder on all the sequences, then start a supervised
model from its encoder. ``encoder_init`` does that for the seq2seq and
per-step estimators: the encoder's weights and its input scaling come from
a fitted :class:`~sklearn_seqae.LSTMAutoencoderTransformer`;
``freeze_encoder=True`` would keep them fixed.

Here 5% of the training waves are labelled. ``bench/timestep.py`` repeats
this over 5 seeds: the encoder start helps on average (0.93 +/- 0.09
against 0.87 +/- 0.18 from scratch), while the autoencoder's codes with a
LogisticRegression reach 0.999: with few labels, use the codes. At the
gallery's small size (50 labelled sequences) the classifier started from
the encoder reaches about 0.75, the one from scratch stays near chance
(1/3), and the codes reach about 0.96.
"""

# %%
import os

import matplotlib.pyplot as plt
import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from sklearn_seqae import LSTMAutoencoderTransformer, Seq2SeqClassifier
from sklearn_seqae.datasets import make_labelled_waves

small = os.environ.get("SEQAE_GALLERY_SMALL") == "1"
n_pool = 1000 if small else 3000
X, y = make_labelled_waves(
    n_pool + 1000, periods=(1, 4), amplitude=(0.5, 2), random_state=0
)
X_pool, X_test, y_test = X[:n_pool], X[n_pool:], y[n_pool:]
labelled = np.random.RandomState(0).choice(n_pool, n_pool // 20, replace=False)
X_few, y_few = X_pool[labelled], y[:n_pool][labelled]
print(f"{len(X_pool)} training sequences, {len(X_few)} of them labelled")

# %%
# The autoencoder learns from every training sequence, without labels. Its
# encoder must be as wide as the classifier's: 64 units, the classifier's
# default (the autoencoder's is 128).
autoencoder = LSTMAutoencoderTransformer(units=64, random_state=0).fit(X_pool)

started = Seq2SeqClassifier(encoder_init=autoencoder, random_state=0).fit(X_few, y_few)
scratch = Seq2SeqClassifier(random_state=0).fit(X_few, y_few)
nearest = KNeighborsClassifier(n_neighbors=1).fit(X_few, y_few)
# The other way to use the unlabelled sequences: the autoencoder's codes as
# features for a linear model trained on the labelled few.
codes = make_pipeline(StandardScaler(), LogisticRegression(max_iter=2000)).fit(
    autoencoder.transform(X_few), y_few
)
scores = {
    "encoder from the autoencoder": started.score(X_test, y_test),
    "from scratch": scratch.score(X_test, y_test),
    "1-NN on the raw steps": nearest.score(X_test, y_test),
    "codes + LogisticRegression": codes.score(autoencoder.transform(X_test), y_test),
}
for name, score in scores.items():
    print(f"{name}: test accuracy {score:.3f}")

# %%
# Training curves of the two classifiers
# --------------------------------------
fig, ax = plt.subplots(figsize=(5, 3), layout="constrained")
for name, model in (
    ("encoder from the autoencoder", started),
    ("from scratch", scratch),
):
    ax.plot(model.history_["loss"], label=name)
ax.set_xlabel("epoch")
ax.set_ylabel("training loss")
ax.set_yscale("log")
ax.legend()
plt.show()
