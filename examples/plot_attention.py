"""
Attention: where the decoder looks
==================================

Reversing a whole sequence of random tokens is hard for a plain
encoder-decoder: every token must pass through one fixed-length code. With
``attention="dot"`` each decoded step reads the encoder's outputs at all
input steps, weighted by how well they match its state. The heat map shows
the learned weights on one test sequence: the anti-diagonal is the
reversal. ``bench/decoding.py`` measures the gain on longer sequences.
"""

# %%
import os

import matplotlib.pyplot as plt
import numpy as np

from sklearn_seqae import Seq2SeqClassifier
from sklearn_seqae.metrics import exact_sequence_accuracy, per_step_accuracy
from sklearn_seqae.plotting import AttentionDisplay

small = os.environ.get("SEQAE_GALLERY_SMALL") == "1"
length, n_tokens = 10, 20
rng = np.random.RandomState(0)
X = rng.randint(1, n_tokens + 1, size=(3000 if small else 8000, length))
y = X[:, ::-1]
X_test = np.random.RandomState(1).randint(1, n_tokens + 1, size=(1000, length))
y_test = X_test[:, ::-1]

for attention in (None, "dot"):
    clf = Seq2SeqClassifier(
        input_type="tokens", attention=attention, units=32, random_state=0
    ).fit(X, y)
    pred = clf.predict(X_test)
    print(
        f"attention={attention!r}: per-step accuracy "
        f"{per_step_accuracy(y_test, pred):.3f}, exact "
        f"{exact_sequence_accuracy(y_test, pred):.3f}"
    )

# %%
# The weights of one decoding
# ---------------------------
fig, ax = plt.subplots(figsize=(5.5, 4.5), layout="constrained")
AttentionDisplay.from_estimator(clf, X_test[0], ax=ax)
ax.set_title("reversing 10 tokens: decoded step j attends to input 9 - j")
plt.show()
