"""Saving and loading estimators: ``save``, ``load`` and the class registry.

A Keras model neither pickles nor deep-copies reliably, so every route goes
through the model's weights: the estimator's state dict holds them as
arrays (pickle, deepcopy) or as a Keras weights file (``save``), and the
estimator's ``_restore`` builds the network again from its own config. The
file format itself lives in :mod:`sklearn_seqae._file_format`, which knows
no estimator class; this module knows the classes only through
:func:`register`, which the estimators' base class calls for every
concrete estimator (and the anomaly detector, which wraps one, for itself),
so it never imports them. An estimator names the Keras model whose weights
are saved with ``_saved_model()``.
"""

import copy
import inspect
import os
import tempfile

from . import _file_format
from ._file_format import FileFormatError
from ._keras import model_lock
from ._version import __version__
from ._warnings import warn

__all__ = [
    "load",
    "portable",
    "register",
    "restore_training_state",
    "save",
    "training_state",
]

_ESTIMATORS = {}


def register(cls):
    """Make a concrete, public estimator class loadable by its name."""
    if not cls.__name__.startswith("_") and not inspect.isabstract(cls):
        _ESTIMATORS[cls.__name__] = cls


def portable(callback):
    """``callback``, or a copy without the attributes that cannot be copied.

    After a fit, Keras callbacks may hold resources that neither pickle nor
    deep-copy (CSVLogger's closed file, TensorBoard's writers); they are
    opened again at the next ``on_train_begin``.
    """
    try:
        return copy.deepcopy(callback)
    except Exception:
        duplicate = copy.copy(callback)
        for name, value in vars(callback).items():
            try:
                setattr(duplicate, name, copy.deepcopy(value))
            except Exception:
                setattr(duplicate, name, None)
        return duplicate


def _seed_variables(model):
    """The random generators' states: variables of ``model`` beyond its weights."""
    weights = {id(v) for v in model.weights}
    return [v for v in model.variables if id(v) not in weights]


def training_state(model):
    """What training goes on from besides the weights, as arrays.

    ``seeds``: the states of the random generators behind dropout, masking
    and noise; ``optimizer``: Adam's moments and step count. With them, a
    restored estimator continues training exactly as the original would.
    """
    from ._keras import import_keras

    to_numpy = import_keras().ops.convert_to_numpy
    return {
        "seeds": [to_numpy(v) for v in _seed_variables(model)],
        "optimizer": [to_numpy(v) for v in model.optimizer.variables],
    }


def restore_training_state(model, state):
    """Put a :func:`training_state` back into a model of the same network."""
    for name, variables in (
        ("seeds", _seed_variables(model)),
        ("optimizer", model.optimizer.variables),
    ):
        values = state.get(name)
        if values is None:
            continue  # a file keeps the optimizer in its weights member
        shapes = [tuple(v.shape) for v in variables]
        if [tuple(getattr(v, "shape", ())) for v in values] != shapes:
            raise ValueError(f"the saved {name} state does not fit the network")
        for variable, value in zip(variables, values, strict=True):
            variable.assign(value)


def _portable_state(state):
    """``state`` as the file holds it: no optimizer arrays, plain requests.

    The weights member already holds the optimizer; a metadata request
    (``set_fit_request``) is kept as a mapping of method to requests.
    """
    state = dict(state)
    training = state.get("_training_state")
    if isinstance(training, dict):
        state["_training_state"] = {"seeds": training.get("seeds", [])}
    inner = state.get("_autoencoder_state")
    if isinstance(inner, dict):
        state["_autoencoder_state"] = _portable_state(inner)
    request = state.pop("_metadata_request", None)
    if request is not None:
        from sklearn.utils._metadata_requests import SIMPLE_METHODS

        requests = {}
        for method in SIMPLE_METHODS:
            asked = dict(getattr(getattr(request, method, None), "requests", {}))
            if asked:
                requests[method] = asked
        state["_metadata_requests"] = requests
    return state


def _apply_requests(estimator, requests):
    """Ask for metadata again as ``set_{method}_request`` did before saving."""
    import sklearn

    with sklearn.config_context(enable_metadata_routing=True):
        for method, asked in requests.items():
            setter = getattr(estimator, f"set_{method}_request", None)
            if setter is None:
                raise FileFormatError(f"requests for an unknown method {method!r}")
            setter(**asked)


def _check_params(estimator, params):
    """Refuse parameters the file cannot hold, naming them and the way out."""
    for name, value in params.items():
        try:
            _file_format.check_value(value)
        except TypeError:
            what = f"is of type {type(value).__name__}"
            if isinstance(value, (list, tuple)):
                for item in value:
                    try:
                        _file_format.check_value(item)
                    except TypeError:
                        what = f"holds an item of type {type(item).__name__}"
                        break
            hint = (
                " (the fitted weights already hold what the autoencoder gave)"
                if name == "encoder_init"
                else ""
            )
            raise TypeError(
                f"cannot save {type(estimator).__name__}: its parameter {name} "
                f"{what}, and the file holds plain values (numbers, strings, "
                "arrays), not objects. Pickle or joblib the estimator instead, or "
                f"set_params({name}=None) before saving if you no longer need "
                f"it{hint}."
            ) from None


def save(estimator, path):
    """Write ``estimator`` to one file (see :mod:`sklearn_seqae._file_format`)."""
    state = _portable_state(estimator.__getstate__())
    weights = state.pop("_weights", None)
    params = estimator.get_params(deep=False)
    _check_params(estimator, params)
    for name in params:
        state.pop(name, None)
    with tempfile.TemporaryDirectory() as tmp:
        weights_file = None
        if weights is not None:
            weights_file = os.path.join(tmp, "model.weights.h5")
            model = estimator._saved_model()
            with model_lock(model):
                model.save_weights(weights_file)
        _file_format.write_file(
            path,
            class_name=type(estimator).__name__,
            version=__version__,
            params=params,
            state=state,
            weights_file=weights_file,
        )


def load(path):
    """Read an estimator written by its ``save`` method.

    The Keras model is rebuilt by the package's own code from the file's
    description, then the weights are read: nothing in the file is executed.

    Parameters
    ----------
    path : str or path-like
        The file ``save`` wrote.

    Returns
    -------
    estimator : a sklearn_seqae estimator
        Fitted (or unfitted) as it was saved.

    Raises
    ------
    FileFormatError
        (a ValueError) when the file is not a complete sklearn_seqae file.

    Examples
    --------
    >>> import os, tempfile
    >>> import numpy as np
    >>> from sklearn_seqae import LSTMAutoencoderTransformer, load
    >>> X = np.sin(np.linspace(0, 6, 40 * 8)).reshape(40, 8)
    >>> ae = LSTMAutoencoderTransformer(units=4, max_steps=2, random_state=0).fit(X)
    >>> path = os.path.join(tempfile.mkdtemp(), "ae.seqae")
    >>> ae.save(path)
    >>> again = load(path)
    >>> np.array_equal(again.transform(X), ae.transform(X))
    True
    """
    with tempfile.TemporaryDirectory() as tmp:
        weights_file = os.path.join(tmp, "model.weights.h5")
        name, version, params, state, has_weights = _file_format.read_file(
            path, weights_file
        )
        return _build(path, name, version, params, state, has_weights and weights_file)


def _check_state(path, state):
    """Sizes in the state must agree with the network they claim to describe."""
    inner = state.get("_autoencoder_state")
    if inner is not None:  # the anomaly detector's autoencoder
        if not isinstance(inner, dict):
            raise FileFormatError(
                f"{os.fspath(path)!r}: the autoencoder's state is not a mapping."
            )
        n_features = state.get("n_features_in_")
        if inner.get("n_features_in_") not in (None, n_features):
            raise FileFormatError(
                f"{os.fspath(path)!r}: n_features_in_={n_features} disagrees with "
                f"its autoencoder's n_features_in_={inner.get('n_features_in_')}."
            )
        _check_state(path, inner)
    config = state.get("_config")
    if config is None:
        return
    if not isinstance(config, dict):
        raise FileFormatError(
            f"{os.fspath(path)!r}: the network description is not a mapping."
        )
    n_features = state.get("n_features_in_")
    if n_features is not None and config.get("n_features") not in (None, n_features):
        raise FileFormatError(
            f"{os.fspath(path)!r}: n_features_in_={n_features} disagrees with the "
            f"network's n_features={config.get('n_features')}."
        )
    for name in ("feature_mean_", "feature_scale_"):
        value = state.get(name)
        if (
            value is not None
            and n_features is not None
            and (getattr(value, "shape", None) != (n_features,))
        ):
            raise FileFormatError(
                f"{os.fspath(path)!r}: {name} has shape "
                f"{getattr(value, 'shape', None)}, not ({n_features},) as "
                "n_features_in_ says."
            )


def _build(path, name, version, params, state, weights_file):
    cls = _ESTIMATORS.get(name)
    if cls is None:
        raise FileFormatError(f"unknown estimator class {name!r}.")
    _check_state(path, state)
    if version != __version__:
        warn(
            f"{os.fspath(path)!r} was saved by sklearn_seqae {version}; this is "
            f"{__version__}. It may load incorrectly; refit the estimator if "
            "results look wrong.",
            UserWarning,
        )
    try:
        estimator = cls(**params)
    except TypeError as exc:
        raise FileFormatError(
            f"{os.fspath(path)!r} names parameters {cls.__name__} does not have: {exc}"
        ) from None
    try:
        # The constraints fit checks: a value no fit would take is no saved one.
        estimator._validate_params()
    except (TypeError, ValueError) as exc:
        raise FileFormatError(
            f"{os.fspath(path)!r} holds a parameter value {cls.__name__} refuses: {exc}"
        ) from None
    requests = state.pop("_metadata_requests", None)
    if requests:
        try:
            _apply_requests(estimator, requests)
        except (TypeError, ValueError, AttributeError) as exc:
            raise FileFormatError(
                f"{os.fspath(path)!r}: its metadata requests cannot be set: {exc}"
            ) from None
    if not weights_file:
        if "_config" in state or "_autoencoder_state" in state:
            raise FileFormatError(
                f"{os.fspath(path)!r} describes a fitted network but holds no "
                "weights (its weights member is missing)."
            )
        estimator._restore(state, None)
        return estimator
    try:
        estimator._restore(state, weights_file)
    except Exception as exc:  # h5py and Keras raise many kinds
        raise FileFormatError(
            f"the weights in {os.fspath(path)!r} could not be read: {exc}"
        ) from None
    return estimator
