"""Lazy access to Keras, so that ``import sklearn_seqae`` stays light.

TensorFlow takes seconds to import; the estimators call :func:`import_keras`
the first time they build a model.
"""

import os

__all__ = ["import_keras", "import_networks"]


def import_keras():
    """Import and return :mod:`keras`, with TensorFlow's C++ log noise off."""
    # Only a default: a user's own setting wins.
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    import keras

    return keras


def import_networks():
    """Import and return the package's network module (it imports Keras)."""
    import_keras()
    from . import _networks

    return _networks
