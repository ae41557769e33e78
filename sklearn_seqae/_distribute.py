"""Data-parallel training: one model, each batch split over several devices.

The estimators' ``devices`` parameter asks for it; :func:`data_parallel`
returns a :class:`Replicas` whose ``scope()`` the model is built and trained
in, and whose ``n_devices`` every training batch must be a multiple of:

- JAX: Keras' own :class:`keras.distribution.DataParallel`. The step is
  one global program, sharded: each device computes the gradient of its
  share of the batch, and one update is applied with their mean. Terms
  that look across the batch (the autoencoder's contrastive loss) still
  see the whole batch, so the result is that of one device, up to the order
  of float32 sums.
- TensorFlow: not supported, for two reasons measured with a
  :class:`tf.distribute.MirroredStrategy` on 2 logical CPUs. Its
  ``train_on_batch`` hands the whole batch to every replica (both saw all
  8 samples), repeating the work instead of dividing it. Giving each replica
  its own slice (``experimental_distribute_values_from_function`` into
  Keras' compiled train function, as ``fit`` does with a distributed
  dataset) divides it, but each replica then computes its own loss: the
  contrastive term sees half the batch and the codes differ from one
  device's by 1.5e-2 after 20 steps, and the token estimators fail in the
  gradient all-reduce (the embedding's sparse gradients differ in shape
  between replicas).
"""

import numbers
from contextlib import nullcontext

from ._keras import backend_name, import_keras

__all__ = ["Replicas", "data_parallel"]


class Replicas:
    """Where a model trains: one device (the default) or several."""

    n_devices = 1

    def scope(self):
        return nullcontext()


class _JaxReplicas(Replicas):
    def __init__(self, devices):
        keras = import_keras()
        self.n_devices = len(devices)
        self._distribution = keras.distribution.DataParallel(devices=devices)

    def scope(self):
        return self._distribution.scope()


def data_parallel(devices, batch_size):
    """The :class:`Replicas` for the ``devices`` parameter.

    None is one device, as Keras places it; an int takes the first devices
    of :func:`keras.distribution.list_devices` (GPUs when there are any),
    "all" takes them all, a list names them. Raises a ValueError naming
    the problem for devices this process lacks, for a ``batch_size`` that
    does not split evenly, and on a backend other than JAX.
    """
    if devices is None:
        return Replicas()
    backend = backend_name()
    if backend != "jax":
        raise ValueError(
            f"devices={devices!r} asks for data-parallel training, which needs the "
            f"JAX backend; Keras runs on {backend!r}. Set KERAS_BACKEND=jax before "
            "Python starts (see the 'Scaling out' page), or use devices=None."
        )
    keras = import_keras()
    available = keras.distribution.list_devices()
    if devices == "all":
        chosen = available
    elif isinstance(devices, numbers.Integral):
        devices = int(devices)  # a NumPy integer, say from a grid's np.arange
        if devices > len(available):
            raise ValueError(
                f"devices={devices}, but this process sees {len(available)} "
                f"device(s): {available}."
            )
        chosen = available[:devices]
    else:
        chosen = [str(d).lower() for d in devices]
        unknown = [d for d in chosen if d not in available]
        if unknown or not chosen:
            raise ValueError(
                f"devices={devices!r} names devices this process does not have "
                f"({unknown or 'none given'}); available: {available}."
            )
        if len(set(chosen)) < len(chosen):
            raise ValueError(
                f"devices={devices!r} names a device more than once; each "
                "device holds one replica."
            )
    if batch_size % len(chosen):
        raise ValueError(
            f"batch_size={batch_size} does not split evenly over {len(chosen)} "
            f"devices; use a multiple of {len(chosen)}."
        )
    return _JaxReplicas(chosen)
