"""scikit-learn compatible LSTM autoencoders and sequence-to-sequence models.

Importing the package does not import TensorFlow or Keras; they are loaded
the first time an estimator builds its model.
"""

from ._anomaly import LSTMAnomalyDetector
from ._autoencoder import LSTMAutoencoderTransformer
from ._file_format import FileFormatError
from ._persistence import load
from ._seq2seq_classifier import Seq2SeqClassifier
from ._seq2seq_regressor import Seq2SeqRegressor
from ._sequences import SequenceLayoutWarning, from_sequence_list, to_sequence_list
from ._timestep_classifier import TimestepClassifier
from ._timestep_regressor import TimestepRegressor
from ._training import TrainingInterruptedWarning
from ._version import __version__

__all__ = [
    "FileFormatError",
    "LSTMAnomalyDetector",
    "LSTMAutoencoderTransformer",
    "Seq2SeqClassifier",
    "Seq2SeqRegressor",
    "SequenceLayoutWarning",
    "TimestepClassifier",
    "TimestepRegressor",
    "TrainingInterruptedWarning",
    "__version__",
    "from_sequence_list",
    "load",
    "to_sequence_list",
]
