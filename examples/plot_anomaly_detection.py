"""
Anomaly detection: unusual sequences, and where a stream goes wrong
===================================================================

:class:`~sklearn_seqae.LSTMAnomalyDetector` learns to reconstruct normal data;
what it reconstructs badly is anomalous. It behaves like scikit-learn's
outlier detectors: ``score_samples`` (higher is more normal),
``decision_function`` (negative for anomalies), ``predict`` (+1 / -1) and a
threshold set by ``contamination``.

Part one scores whole sequences and says where inside each one the error is.
Part two scores one long stream point by point. ``bench/anomaly.py`` compares
the detector with a matrix-profile discord (stumpy), IsolationForest on
windows and the 0.2 autoencoder settings on six kinds of anomaly; the matrix
profile is the stronger method on some of them (see the Benchmarks page).
"""

# %%
import os

import matplotlib.pyplot as plt
import numpy as np

from sklearn_seqae import LSTMAnomalyDetector
from sklearn_seqae.datasets import make_sine_continuation

small = os.environ.get("SEQAE_GALLERY_SMALL") == "1"
budget = dict(max_steps=300) if small else {}
X_train, _ = make_sine_continuation(300, length=40, noise=0.05, random_state=0)
X_test, _ = make_sine_continuation(100, length=40, noise=0.05, random_state=1)

# Faults in 10 test sequences: a spike, a flat segment or a level shift.
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

# The defaults are made for this job: global scaling (a per-sequence one would
# hide a level shift) and plain reconstruction. contamination="auto" puts the
# threshold at the box plot's fence of the (logarithms of the) training
# errors.
detector = LSTMAnomalyDetector(random_state=0, **budget).fit(X_train)
labels = detector.predict(X_test)
detected = np.flatnonzero(labels == -1)
print("injected faults:", sorted(faulty.tolist()))
print("detected:       ", detected.tolist())
hits = len(set(detected) & set(faulty))
print(f"{hits} of {len(faulty)} faults found, {len(detected) - hits} false alarms")

# %%
# Which sequences, and where inside them
# --------------------------------------
# ``score_steps`` scores every step: its minimum points at the fault.
scores = detector.decision_function(X_test)
steps = detector.score_steps(X_test)
fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(10, 3.5), layout="constrained")
colors = np.where(np.isin(np.arange(len(X_test)), faulty), "tab:red", "tab:blue")
ax1.scatter(np.arange(len(scores)), scores, c=colors, s=12)
ax1.axhline(0, color="k", ls="--", label="threshold (offset_)")
ax1.set_xlabel("test sequence (red: injected fault)")
ax1.set_ylabel("decision_function")
ax1.legend()
shown = detected[:3]
for i in shown:
    (line,) = ax2.plot(X_test[i], label=f"sequence {i}")
    worst = int(np.argmin(steps[i]))
    ax2.plot(worst, X_test[i, worst], "o", color=line.get_color(), ms=9, mfc="none")
ax2.set_title("detected sequences; circles: the step scored worst")
ax2.legend(fontsize="small")
plt.show()

# %%
# A stream, point by point
# ------------------------
# With ``window`` set, ``X`` is one long series. It is cut into windows of
# ``window`` points every ``stride`` (default ``window // 4``) points, and each
# point's score is the mean error of the windows that cover it, so a flagged
# region reaches up to one window past the anomaly on either side. Fit on a
# normal stretch, score a later one.
t = np.arange(16_000)
signal = np.sin(2 * np.pi * t / 50) + 0.4 * np.sin(4 * np.pi * t / 50 + 0.5)
signal += 0.05 * np.random.RandomState(3).normal(size=len(t))
normal, later = signal[:10_000], signal[10_000:].copy()
later[1500:1600] = later[1500]  # a sensor stuck for 100 points
later[4200:4300] += 0.8  # a level shift

stream_detector = LSTMAnomalyDetector(window=100, random_state=0, **budget)
stream_detector.fit(normal)
point_scores = stream_detector.decision_function(later)
flagged = stream_detector.predict(later) == -1
print(f"{flagged.mean():.1%} of the scored points flagged")

fig, (top, bottom) = plt.subplots(
    2, 1, figsize=(10, 4.5), sharex=True, layout="constrained"
)
top.plot(later, lw=0.6, color="tab:blue")
for lo, hi in ((1500, 1600), (4200, 4300)):
    top.axvspan(lo, hi, color="tab:red", alpha=0.15)
top.fill_between(
    np.arange(len(later)),
    later.min(),
    later.max(),
    where=flagged,
    color="tab:orange",
    alpha=0.4,
    label="flagged by predict",
)
top.set_ylabel("signal")
top.legend(loc="upper right", fontsize="small")
top.set_title("red: injected anomalies (stuck sensor, level shift)")
bottom.plot(point_scores, lw=0.8, color="k")
bottom.axhline(0, color="tab:orange", ls="--", label="threshold")
bottom.set_ylabel("decision_function")
bottom.set_xlabel("point")
bottom.legend(loc="lower right", fontsize="small")
plt.show()
