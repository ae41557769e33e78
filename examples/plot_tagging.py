"""
Tagging every time step
=======================

A per-step estimator gives one label to every time step, aligned with the
input, with no bottleneck: here each step of a noisy signal is tagged as
*quiet* or *burst* (an oscillation of random frequency that starts and stops
at random times). The tagger is causal, so a step's tag depends only on what
came before it, as a live detector's would.

The baseline is what a user would try first: a RandomForest on a sliding
window of the last 16 raw steps.
"""

# %%
import os

import matplotlib.pyplot as plt
import numpy as np
from sklearn.ensemble import RandomForestClassifier

from sklearn_seqae import TimestepClassifier

small = os.environ.get("SEQAE_GALLERY_SMALL") == "1"
length = 120


def make_bursts(n, seed):
    rng = np.random.RandomState(seed)
    X = 0.3 * rng.normal(size=(n, length))
    y = np.full((n, length), "quiet", dtype=object)
    for i in range(n):
        for _ in range(2):
            start = rng.randint(0, length - 30)
            stop = start + rng.randint(15, 30)
            t = np.arange(stop - start)
            X[i, start:stop] += np.sin(t * rng.uniform(0.5, 1.5) + rng.uniform(0, 6))
            y[i, start:stop] = "burst"
    return X, y


X, y = make_bursts(150 if small else 400, seed=0)
X_test, y_test = make_bursts(200, seed=1)

tagger = TimestepClassifier(units=32, random_state=0).fit(X, y)
print(f"TimestepClassifier, per-step accuracy: {tagger.score(X_test, y_test):.3f}")


# %%
# A sliding-window baseline
# -------------------------
# Each step becomes a row of the 16 steps that end at it (zero-padded at the
# start): the same causal view the tagger has, but only 16 steps long.
def windows(X, width=16):
    padded = np.pad(X, ((0, 0), (width - 1, 0)))
    rows = np.lib.stride_tricks.sliding_window_view(padded, width, axis=1)
    return rows.reshape(-1, width)


forest = RandomForestClassifier(n_estimators=200, random_state=0, n_jobs=2)
forest.fit(windows(X), y.ravel())
accuracy = np.mean(forest.predict(windows(X_test)) == y_test.ravel())
print(f"RandomForest on 16-step windows, per-step accuracy: {accuracy:.3f}")

# %%
# The tags over one test sequence
# -------------------------------
# Shading marks the true bursts; the line is the tagger's probability of
# *burst* at each step.
i = 0
proba = tagger.predict_proba(X_test[i : i + 1])[
    0, :, list(tagger.classes_).index("burst")
]
fig, ax = plt.subplots(figsize=(7, 3), layout="constrained")
steps = np.arange(length)
ax.fill_between(
    steps, -2, 2, where=y_test[i] == "burst", color="C1", alpha=0.2, label="true burst"
)
ax.plot(steps, X_test[i], color="C0", lw=1, label="signal")
ax.plot(steps, 4 * proba - 2, color="C3", lw=1.5, label="P(burst), scaled to the axis")
ax.set_xlabel("time step")
ax.set_ylim(-2.2, 2.2)
ax.legend(loc="upper right", fontsize="small")
plt.show()
