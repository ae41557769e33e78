"""
Multi-step forecasting
======================

:class:`~sklearn_seqae.Seq2SeqRegressor` reads 30 steps of a sine wave of
random phase and frequency and predicts the next 10. ``predict(X, n_steps=k)``
decodes further than the training horizon.
"""

# %%
import os

import matplotlib.pyplot as plt
import numpy as np

from sklearn_seqae import Seq2SeqRegressor
from sklearn_seqae.datasets import make_sine_continuation

small = os.environ.get("SEQAE_GALLERY_SMALL") == "1"
X, y = make_sine_continuation(
    600 if small else 1500, length=30, horizon=10, random_state=0
)
X_new, y_new = make_sine_continuation(200, length=30, horizon=20, random_state=1)

reg = Seq2SeqRegressor(
    units=32, epochs=15 if small else 30, learning_rate=0.005, random_state=0
).fit(X, y)
print(f"R^2, 10 steps ahead: {reg.score(X_new, y_new[:, :10]):.3f}")
further = reg.predict(X_new, n_steps=20)

# %%
fig, axes = plt.subplots(1, 3, figsize=(11, 3), sharey=True)
for ax, i in zip(axes, range(3)):
    ax.plot(np.arange(30), X_new[i], "k-", label="observed")
    ax.plot(np.arange(30, 50), y_new[i], "g-", label="truth")
    ax.plot(np.arange(30, 50), further[i], "r--", label="forecast")
    ax.axvline(39.5, color="grey", lw=0.5)
axes[0].legend(fontsize="small")
plt.show()
