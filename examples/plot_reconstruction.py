"""
LSTM autoencoder: reconstruction, forecasting and composite modes
=================================================================

The smallest LSTM autoencoder problem: one sequence, ``[0.1, 0.2, ..., 0.9]``,
encoded into a fixed-length vector and rebuilt from it. The three modes of
:class:`~sklearn_seqae.LSTMAutoencoderTransformer` train a decoder that
rebuilds the input, one that predicts what follows, or both.
"""

# %%
import matplotlib.pyplot as plt
import numpy as np

from sklearn_seqae import LSTMAutoencoderTransformer

sequence = np.linspace(0.1, 0.9, 9).reshape(1, 9)

# The tutorial's model: the last state as the code, plain reconstruction,
# 300 epochs. (The defaults' masking, noise, contrastive term and
# per-sequence scaling make codes for classifiers; with one sequence there
# is nothing to contrast.)
TUTORIAL = dict(
    units=32,
    code="last",
    standardize="global",
    mask_fraction=0.0,
    noise=0.0,
    contrastive_weight=0.0,
    epochs=300,
    max_steps=300,
    n_iter_no_change=None,
    learning_rate=0.01,
    random_state=0,
)

# %%
# Reconstruction
# --------------
ae = LSTMAutoencoderTransformer(**TUTORIAL).fit(sequence)
rebuilt = ae.reconstruct(sequence)
print("reconstruction:", np.round(rebuilt, 3))
print("max absolute error:", float(np.abs(rebuilt - sequence).max()))

# %%
# The standalone encoder gives the fixed-length vector.
code = ae.transform(sequence)
print("code shape:", code.shape)

# %%
# Forecasting and composite modes
# --------------------------------
# In ``"forecast"`` mode the encoder reads the first 8 steps and a decoder
# predicts the 9th; ``"composite"`` trains both decoders on one encoder.
for mode in ("forecast", "composite"):
    model = LSTMAutoencoderTransformer(mode=mode, n_future=1, **TUTORIAL).fit(sequence)
    print(mode, "next step after 0.1..0.8:", model.forecast(sequence[:, :8]).ravel())

# %%
fig, ax = plt.subplots(figsize=(5, 3), layout="constrained")
ax.plot(sequence.ravel(), "o-", label="input")
ax.plot(rebuilt.ravel(), "x--", label="reconstruction")
ax.set_xlabel("time step")
ax.legend()
plt.show()
