"""
Anomaly detection with reconstruction scores
============================================

Train an autoencoder on normal sine waves; sequences it rebuilds badly are
unusual. ``score_samples`` returns the negative reconstruction error of each
sequence (higher is more typical, scikit-learn's outlier convention).
"""

# %%
import os

import matplotlib.pyplot as plt
import numpy as np

from sklearn_seqae import LSTMAutoencoderTransformer
from sklearn_seqae.datasets import make_sine_continuation

small = os.environ.get("SEQAE_GALLERY_SMALL") == "1"
X_train, _ = make_sine_continuation(300, length=40, noise=0.05, random_state=0)
X_test, _ = make_sine_continuation(100, length=40, noise=0.05, random_state=1)

# Inject faults in 10 test sequences: a spike, a flat segment or a level shift.
rng = np.random.RandomState(2)
faulty = rng.choice(len(X_test), size=10, replace=False)
for i, kind in zip(faulty, np.arange(10) % 3):
    start = rng.randint(5, 30)
    if kind == 0:
        X_test[i, start] += 2.5
    elif kind == 1:
        X_test[i, start : start + 10] = X_test[i, start]
    else:
        X_test[i, start:] += 1.0

# Reconstruction error is the anomaly score, so the autoencoder trains on
# reconstruction alone and scales all sequences alike: per-sequence scaling
# (the default, made for classification codes) would hide a level shift.
ae = LSTMAutoencoderTransformer(
    units=32,
    standardize="global",
    mask_fraction=0.0,
    noise=0.0,
    contrastive_weight=0.0,
    epochs=15 if small else 40,
    max_steps=None,
    n_iter_no_change=None,
    learning_rate=0.005,
    random_state=0,
).fit(X_train)
scores = ae.score_samples(X_test)
threshold = np.percentile(ae.score_samples(X_train), 1)
detected = np.flatnonzero(scores < threshold)
print("injected faults:", sorted(faulty.tolist()))
print("detected:       ", detected.tolist())
hits = len(set(detected) & set(faulty))
print(f"{hits} of {len(faulty)} faults found, {len(detected) - hits} false alarms")

# %%
fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(10, 3.5), layout="constrained")
colors = np.where(np.isin(np.arange(len(X_test)), faulty), "tab:red", "tab:blue")
ax1.scatter(np.arange(len(scores)), scores, c=colors, s=12)
ax1.axhline(threshold, color="k", ls="--", label="threshold")
ax1.set_xlabel("test sequence")
ax1.set_ylabel("score (negative MSE)")
ax1.legend()
for i in detected[:4]:
    ax2.plot(X_test[i], label=f"sequence {i}")
ax2.set_title("detected sequences")
ax2.legend(fontsize="small")
plt.show()
