"""scikit-learn compatible LSTM autoencoders and sequence-to-sequence models.

Importing the package does not import TensorFlow or Keras; they are loaded
the first time an estimator builds its model.
"""

from ._autoencoder import LSTMAutoencoderTransformer
from ._base import TrainingInterruptedWarning
from ._persistence import FileFormatError, load
from ._seq2seq import Seq2SeqClassifier, Seq2SeqRegressor
from ._version import __version__

__all__ = [
    "FileFormatError",
    "LSTMAutoencoderTransformer",
    "Seq2SeqClassifier",
    "Seq2SeqRegressor",
    "TrainingInterruptedWarning",
    "__version__",
    "load",
]
