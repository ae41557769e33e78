"""Layers that exist only for training objectives: corruption and InfoNCE.

They shape what the encoder learns and are left out of every inference
model (``transform`` never corrupts or projects). Imports Keras.
"""

import keras
from keras import layers, ops


class TrainingNoise(layers.Layer):
    """Corrupts standardized sequences while training; identity otherwise.

    Each real time step is hidden (set to 0, the training mean) with
    probability ``mask_fraction``, then Gaussian noise of standard deviation
    ``noise`` is added. Draws come from the layer's own seeded generator, so
    a seeded fit is reproducible and touches no global random state.
    """

    def __init__(self, mask_fraction=0.0, noise=0.0, seed=0, **kwargs):
        super().__init__(**kwargs)
        self.mask_fraction = float(mask_fraction)
        self.noise = float(noise)
        self.seed = int(seed)
        self.generator = keras.random.SeedGenerator(seed)

    def call(self, inputs, training=None):
        if not training:
            return inputs
        x = inputs
        shape = ops.shape(x)
        if self.mask_fraction > 0:
            draw = keras.random.uniform((shape[0], shape[1], 1), seed=self.generator)
            x = x * ops.cast(draw >= self.mask_fraction, x.dtype)
        if self.noise > 0:
            x = x + self.noise * keras.random.normal(shape, seed=self.generator)
        return x

    def get_config(self):
        config = super().get_config()
        config.update(
            mask_fraction=self.mask_fraction, noise=self.noise, seed=self.seed
        )
        return config


class RandomCrop(layers.Layer):
    """A random window of each sequence's real steps, as a mask; training only.

    Each sequence keeps a contiguous crop of ``min_fraction`` to all of its
    real steps, at a random place (T-Loss and TS2Vec contrast crops: a code
    that must match a crop's code has to describe the whole sequence, not
    where it starts). Returns the crop's mask; outside training, the mask.
    """

    def __init__(self, min_fraction=0.5, seed=0, **kwargs):
        super().__init__(**kwargs)
        self.min_fraction = float(min_fraction)
        self.seed = int(seed)
        self.generator = keras.random.SeedGenerator(seed)

    def call(self, mask, training=None):
        if not training:
            return mask
        shape = ops.shape(mask)
        lengths = ops.sum(ops.cast(mask, "float32"), axis=1, keepdims=True)
        draws = keras.random.uniform((shape[0], 2), seed=self.generator)
        fraction = self.min_fraction + (1.0 - self.min_fraction) * draws[:, :1]
        size = ops.maximum(ops.ceil(fraction * lengths), 1.0)
        start = ops.floor(draws[:, 1:] * (lengths - size + 1.0))
        steps = ops.cast(ops.arange(shape[1]), "float32")[None, :]
        return ops.logical_and(
            mask, ops.logical_and(steps >= start, steps < start + size)
        )

    def compute_mask(self, mask, previous_mask=None):
        return None

    def get_config(self):
        config = super().get_config()
        config.update(min_fraction=self.min_fraction, seed=self.seed)
        return config


class ContrastiveLoss(layers.Layer):
    """In-batch InfoNCE between the codes of two views of each sequence.

    A small projection head maps both codes to unit vectors; each sequence's
    other view must be picked out among the batch's (symmetric
    cross-entropy over cosine similarities divided by ``temperature``, as in
    SimCLR and TS2Vec). Returns the per-sequence loss ``(B,)``; the head is
    used only in training, never by ``transform``.
    """

    def __init__(self, projection_size=64, temperature=0.2, seed=0, **kwargs):
        super().__init__(**kwargs)
        self.projection_size = int(projection_size)
        self.temperature = float(temperature)
        self.seed = int(seed)
        init = keras.initializers.GlorotUniform
        self.hidden = layers.Dense(
            projection_size, activation="relu", kernel_initializer=init(seed)
        )
        self.projection = layers.Dense(
            projection_size, kernel_initializer=init(seed + 1)
        )

    def _project(self, code):
        z = self.projection(self.hidden(code))
        return z / ops.sqrt(ops.sum(z * z, axis=-1, keepdims=True) + 1e-12)

    def call(self, code_a, code_b):
        a, b = self._project(code_a), self._project(code_b)
        logits = ops.matmul(a, ops.transpose(b)) / self.temperature
        targets = ops.arange(ops.shape(logits)[0])
        loss_ab = keras.losses.sparse_categorical_crossentropy(
            targets, logits, from_logits=True
        )
        loss_ba = keras.losses.sparse_categorical_crossentropy(
            targets, ops.transpose(logits), from_logits=True
        )
        return 0.5 * (loss_ab + loss_ba)

    def get_config(self):
        config = super().get_config()
        config.update(
            projection_size=self.projection_size,
            temperature=self.temperature,
            seed=self.seed,
        )
        return config
