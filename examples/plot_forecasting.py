"""
Multi-step forecasting
======================

:class:`~sklearn_seqae.Seq2SeqRegressor` reads 30 steps of a sine wave of
random phase and frequency and predicts the next 20. ``predict(X, n_steps=k)``
can decode further than the training horizon; the plot shows how the forecast
degrades past it.
"""

# %%
import os

import matplotlib.pyplot as plt
import numpy as np

from sklearn_seqae import Seq2SeqRegressor
from sklearn_seqae.datasets import make_sine_continuation

small = os.environ.get("SEQAE_GALLERY_SMALL") == "1"
horizon = 20
X, y = make_sine_continuation(
    2000 if small else 3000, length=30, horizon=horizon, random_state=0
)
X_new, y_new = make_sine_continuation(200, length=30, horizon=40, random_state=1)

# A fixed number of epochs, without early stopping: the defaults stop when
# the training loss levels off, before the forecast is as good as it gets
# (user guide, "Training").
reg = Seq2SeqRegressor(
    units=32,
    epochs=40 if small else 60,
    max_steps=None,
    n_iter_no_change=None,
    batch_size=64,
    random_state=0,
).fit(X, y)
print(
    f"R^2, mean over the {horizon} trained steps: "
    f"{reg.score(X_new, y_new[:, :horizon]):.3f}"
)
further = reg.predict(X_new, n_steps=40)
error = np.abs(further - y_new).mean(axis=0)
print(
    f"mean absolute error, steps 1-{horizon}: {error[:horizon].mean():.3f}; "
    f"steps {horizon + 1}-40: {error[horizon:].mean():.3f}"
)

# %%
fig, axes = plt.subplots(1, 3, figsize=(11, 3.2), sharey=True, layout="constrained")
for ax, i in zip(axes, range(3)):
    ax.plot(np.arange(30), X_new[i], "k-", label="observed")
    ax.plot(np.arange(30, 70), y_new[i], "g-", label="truth")
    ax.plot(np.arange(30, 70), further[i], "r--", label="forecast")
    ax.axvline(29.5 + horizon, color="grey", lw=0.5)
    ax.set_xlabel("time step")
axes[0].legend(fontsize="small")
axes[0].set_title("grey line: end of the trained horizon", fontsize="small", loc="left")
plt.show()
