"""Pickling, cloning, deep copies and ``save`` of a fitted estimator.

A Keras model neither pickles nor deep-copies reliably, so every route goes
through the model's weights: the state dict holds them as arrays (pickle,
deepcopy) or as a Keras weights file (``save``), and :meth:`_restore` builds
the network again from the estimator's own config. The file format itself
lives in :mod:`sklearn_seqae._persistence`, which knows no estimator class.
A fit that raises puts the previous state back (:meth:`_restore_on_error`).
"""

import copy
import os
import tempfile
from contextlib import contextmanager

from sklearn.base import _clone_parametrized

from . import _persistence
from ._version import __version__

__all__ = ["StateMixin"]


def _portable(callback):
    """``callback``, or a copy without the attributes that cannot be copied.

    After a fit, Keras callbacks may hold resources that neither pickle nor
    deep-copy (CSVLogger's closed file, TensorBoard's writers); they are
    opened again at the next ``on_train_begin``.
    """
    try:
        return copy.deepcopy(callback)
    except Exception:
        portable = copy.copy(callback)
        for name, value in vars(callback).items():
            try:
                setattr(portable, name, copy.deepcopy(value))
            except Exception:
                setattr(portable, name, None)
        return portable


class StateMixin:
    """Persistence for estimators with a ``model_`` built by ``_build_network``."""

    @contextmanager
    def _restore_on_error(self):
        """A fit that raises leaves a previously fitted estimator as it was."""
        saved = copy.copy(self.__dict__)
        saved_history = copy.deepcopy(saved.get("history_"))
        weights = self.model_.get_weights() if self._is_warm() else None
        try:
            yield
        except BaseException:
            self.__dict__.clear()
            self.__dict__.update(saved)
            if saved_history is not None:
                self.history_ = saved_history
            if weights is not None:
                self.model_.set_weights(weights)
            raise

    def save(self, path):
        """Save the estimator to one file; read it back with ``load(path)``.

        The file holds the parameters and fitted state as JSON and the weights
        in Keras' weights format; loading it runs no code from the file.

        Parameters
        ----------
        path : str or path-like
        """
        state = self.__getstate__()
        weights = state.pop("_weights", None)
        params = self.get_params(deep=False)
        for name in params:
            state.pop(name, None)
        with tempfile.TemporaryDirectory() as tmp:
            weights_file = None
            if weights is not None:
                weights_file = os.path.join(tmp, "model.weights.h5")
                self.model_.save_weights(weights_file)
            _persistence.write_file(
                path,
                class_name=type(self).__name__,
                version=__version__,
                params=params,
                state=state,
                weights_file=weights_file,
            )

    def __getstate__(self):
        state = self.__dict__.copy()
        if state.get("callbacks"):
            state["callbacks"] = [_portable(cb) for cb in state["callbacks"]]
        model = state.pop("model_", None)
        state.pop("encoder_", None)
        state.pop("_inference_models", None)
        state.pop("_lease", None)
        if model is not None:
            state["_weights"] = model.get_weights()
        return state

    def __setstate__(self, state):
        state = dict(state)
        self._restore(state, state.pop("_weights", None))

    def _restore(self, state, weights):
        """Rebuild from a state dict; the one path for unpickling and ``load``.

        ``weights`` is a list of arrays (pickle), a Keras weights file
        (``load``), or None for an unfitted estimator.
        """
        self.__dict__.update(state)
        self._inference_models = {}
        if weights is None:
            return
        self._build_network(self._config)
        if isinstance(weights, list):
            self.model_.set_weights(weights)
        else:
            self.model_.load_weights(weights)

    def __sklearn_clone__(self):
        # Callbacks that hold a closed file or a writer after a fit cannot be
        # deep-copied: the clone gets copies without those; and a fitted
        # encoder_init stays the fitted one, not an unfitted copy (only its
        # weights are read).
        given = self.callbacks
        try:
            if given:
                self.callbacks = [_portable(cb) for cb in given]
            clone = _clone_parametrized(self)
        finally:
            self.callbacks = given
        if getattr(self, "encoder_init", None) is not None:
            clone.encoder_init = self.encoder_init
        return clone

    def __deepcopy__(self, memo):
        # Keras models do not deep-copy; go through weights like pickle does.
        clone = type(self).__new__(type(self))
        clone.__setstate__(copy.deepcopy(self.__getstate__(), memo))
        return clone
