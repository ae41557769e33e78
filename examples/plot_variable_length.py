"""
Variable-length input and output
================================

Sequences of different lengths come as a list of arrays or as a pandas
DataFrame with an (instance, time) MultiIndex. They are padded and masked
inside, so padding never changes a code, and outputs keep each sequence's own
length. Targets of different lengths teach the classifier an end marker.
"""

# %%
import numpy as np
import pandas as pd

from sklearn_seqae import LSTMAutoencoderTransformer, Seq2SeqClassifier
from sklearn_seqae.datasets import make_labelled_waves

X, y = make_labelled_waves(120, length=30, min_length=10, random_state=0)
print("lengths:", sorted({len(x) for x in X})[:5], "...")
ae = LSTMAutoencoderTransformer(units=16, epochs=10, random_state=0).fit(X)
rebuilt = ae.reconstruct(X)
print(
    "reconstruction lengths match:",
    [len(r) for r in rebuilt[:5]],
    [len(x) for x in X[:5]],
)
together = ae.transform(X)
alone = ae.transform([X[0]])
print("code alone vs in a batch, max difference:", np.abs(together[0] - alone[0]).max())

# %%
# A MultiIndex DataFrame
# ----------------------
frame = pd.concat(
    {f"s{i}": pd.DataFrame({"value": x}) for i, x in enumerate(X[:20])},
    names=["instance", "time"],
)
codes = ae.set_output(transform="pandas").transform(frame)
print(codes.iloc[:3, :4])

# %%
# Targets of different lengths
# ----------------------------
# Echo each token sequence up to its first 0: the model learns where to stop.
rng = np.random.RandomState(0)
tokens = rng.randint(0, 5, size=(3000, 5))
tokens[:, 0] = rng.randint(1, 5, size=3000)
targets = [row[: np.flatnonzero(np.r_[row, 0] == 0)[0]] for row in tokens]
clf = Seq2SeqClassifier(input_type="tokens", units=32, random_state=0).fit(
    tokens, targets
)
for row, guess in zip(tokens[:5], clf.predict(tokens[:5])):
    print(row.tolist(), "->", guess.tolist())
