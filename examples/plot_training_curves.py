"""
Training curves and early stopping
==================================

``history_`` holds the loss of every epoch. With ``validation_fraction`` and
``n_iter_no_change``, training stops when the validation loss stops improving
and the best weights are restored.
"""

# %%
import matplotlib.pyplot as plt

from sklearn_seqae import LSTMAutoencoderTransformer
from sklearn_seqae.datasets import make_labelled_waves
from sklearn_seqae.plotting import ReconstructionDisplay, TrainingCurveDisplay

X, _ = make_labelled_waves(300, length=30, random_state=0)
ae = LSTMAutoencoderTransformer(
    units=16,
    epochs=200,
    learning_rate=0.005,
    validation_fraction=0.2,
    n_iter_no_change=5,
    tol=1e-3,
    random_state=0,
).fit(X)
print(f"stopped after {ae.n_iter_} of 200 epochs")
print(f"best validation loss: {min(ae.history_['val_loss']):.4f}")

# %%
TrainingCurveDisplay.from_estimator(ae)
plt.show()

# %%
ReconstructionDisplay.from_estimator(ae, X, n_sequences=3)
plt.show()
