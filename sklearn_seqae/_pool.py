"""Compiled models kept for the next fit of the same network.

Tracing a model's train step costs about 3 s on 2 CPU cores even for a tiny
LSTM, far more than a small fit's arithmetic, and a search fits the same
network again and again: every fold, and every value of a parameter that
leaves the network as it is (``learning_rate``, ``epochs``,
``batch_size``...). So when an estimator lets go of its model (it is
garbage-collected, or refitted), the model goes back to a small pool, keyed
by the network's config without its seed. The next fit of that config takes
it and overwrites its whole state (weights, random generators' states,
optimizer) with that of a model freshly built from the new seed: the fit
then gives exactly what a fit on a new model would, while the traced train,
test and predict functions are reused.

A model belongs to one estimator at a time: an estimator holds a
:class:`Lease`, and only a lease that nobody holds any more returns its
model. Keep ``estimator.model_``, not a model taken out of it, after the
estimator is gone.
"""

import threading
import weakref

from ._keras import import_keras, import_networks

__all__ = ["Lease", "checkout"]

# Free models kept per network config, and configs kept in all.
_FREE_PER_CONFIG = 2
_CONFIGS = 8

_free = {}
_lock = threading.Lock()


class _Entry:
    __slots__ = ("model", "encoder", "inference")

    def __init__(self, model, encoder):
        self.model, self.encoder, self.inference = model, encoder, {}


class Lease:
    """An estimator's hold on one pooled model; dropping it frees the model."""

    __slots__ = ("entry", "__weakref__")

    def __init__(self, entry):
        self.entry = entry


def _key(config):
    return repr(sorted((k, v) for k, v in config.items() if k != "seed"))


def _release(key, entry):
    with _lock:
        free = _free.pop(key, [])
        if len(free) < _FREE_PER_CONFIG:
            free.append(entry)
        _free[key] = free  # most recently used last
        while len(_free) > _CONFIGS:
            del _free[next(iter(_free))]


def _take(key):
    with _lock:
        free = _free.get(key)
        return free.pop() if free else None


def checkout(config, learning_rate):
    """A :class:`Lease` on a compiled model for ``config``, as if new.

    The model is freshly built when no free one matches; otherwise a free
    one gets the state of a fresh build with ``config["seed"]``.
    """
    networks = import_networks()
    model, losses, weights = networks.build_network(config)
    # Models laid out over devices (data-parallel training) are not shared.
    pooled = import_keras().distribution.distribution() is None
    key = _key(config)
    entry = _take(key) if pooled else None
    if entry is None:
        model = networks.compile_network(model, losses, weights, learning_rate)
        entry = _Entry(model, networks.encoder_model(model, config))
    else:
        _reset(entry.model, model, learning_rate)
    lease = Lease(entry)
    if pooled:
        finalizer = weakref.finalize(lease, _release, key, entry)
        finalizer.atexit = False  # nothing to keep for a process that ends
    return lease


def _reset(model, fresh, learning_rate):
    """Give ``model`` the weights, seeds and optimizer state of a new one."""
    keras = import_keras()
    for target, source in zip(model.variables, fresh.variables, strict=True):
        target.assign(source)
    for variable in model.optimizer.variables:
        variable.assign(keras.ops.zeros(variable.shape, variable.dtype))
    model.optimizer.learning_rate.assign(learning_rate)
