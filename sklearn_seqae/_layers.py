"""Keras layers of the encoder-decoder models.

Only ``keras.layers`` and ``keras.ops`` are used, so the models run on any
Keras 3 backend. This module imports Keras at import time: the estimators
import it lazily, on first use (see :func:`sklearn_seqae._keras.get_layers`).

Shapes: ``B`` batch, ``T`` time steps, ``F`` features, ``C`` code size.
"""

import keras
from keras import layers, ops

_PACKAGE = "sklearn_seqae"


def _initializers(seed):
    """Seeded initializers, so that no global random state is involved."""
    return dict(
        kernel_initializer=keras.initializers.GlorotUniform(seed=seed),
        recurrent_initializer=keras.initializers.Orthogonal(seed=seed + 1),
    )


def _lstm(units, seed, dropout, **kwargs):
    # Default activations, no recurrent dropout and no unrolling keep the
    # fused cuDNN kernel available on GPUs.
    return layers.LSTM(
        units, dropout=dropout, seed=seed + 2, **_initializers(seed), **kwargs
    )


def _embed_tokens(embedding, n_tokens, ids):
    """Embedding lookup, or an in-graph one-hot when ``embedding`` is None."""
    if embedding is not None:
        return embedding(ids)
    return ops.one_hot(ops.cast(ids, "int32"), n_tokens)


@keras.saving.register_keras_serializable(package=_PACKAGE)
class SequenceEncoder(layers.Layer):
    """Stacked (optionally bidirectional) LSTM returning a fixed-length code.

    The code is the last layer's final hidden state (both directions
    concatenated when bidirectional), read at each sequence's last real step
    thanks to the mask, so padding never changes it.

    Parameters
    ----------
    units : tuple of int
        Units of each stacked layer.
    bidirectional : bool
    dropout : float
        Dropout on each layer's inputs.
    n_tokens : int or None
        When set, inputs are integer token ids ``(B, T)`` below ``n_tokens``.
    embedding_dim : int or None
        Token embedding size; None one-hot encodes tokens inside the graph.
    seed : int
    """

    def __init__(
        self,
        units,
        bidirectional=False,
        dropout=0.0,
        n_tokens=None,
        embedding_dim=None,
        seed=0,
        **kwargs,
    ):
        super().__init__(**kwargs)
        self.units = tuple(int(u) for u in units)
        self.bidirectional = bool(bidirectional)
        self.dropout = float(dropout)
        self.n_tokens = n_tokens
        self.embedding_dim = embedding_dim
        self.seed = int(seed)
        self.supports_masking = True
        self.embedding = None
        if n_tokens is not None and embedding_dim is not None:
            self.embedding = layers.Embedding(
                n_tokens,
                embedding_dim,
                embeddings_initializer=keras.initializers.RandomUniform(
                    -0.05, 0.05, seed=seed
                ),
            )
        self.rnns = []
        for i, n_units in enumerate(self.units):
            last = i == len(self.units) - 1
            rnn = _lstm(
                n_units, seed + 10 * (i + 1), dropout, return_sequences=not last
            )
            if self.bidirectional:
                rnn = layers.Bidirectional(rnn, merge_mode="concat")
            self.rnns.append(rnn)

    @property
    def code_size(self):
        return self.units[-1] * (2 if self.bidirectional else 1)

    def call(self, inputs, mask=None, training=None):
        x = inputs
        if self.n_tokens is not None:
            x = _embed_tokens(self.embedding, self.n_tokens, inputs)
        for rnn in self.rnns:
            x = rnn(x, mask=mask, training=training)
        return x

    def compute_mask(self, inputs, mask=None):
        return None

    def get_config(self):
        config = super().get_config()
        config.update(
            units=self.units,
            bidirectional=self.bidirectional,
            dropout=self.dropout,
            n_tokens=self.n_tokens,
            embedding_dim=self.embedding_dim,
            seed=self.seed,
        )
        return config


@keras.saving.register_keras_serializable(package=_PACKAGE)
class SequenceDecoder(layers.Layer):
    """Stacked LSTM decoder started from a code, built around :meth:`step`.

    The code sets every layer's initial state through learned projections, so
    a code alone (as returned by ``transform``) is enough to decode.

    - Unconditioned (``conditional=False``): every step's input is the code.
    - Conditional: every step's input is the previous output, a start marker
      at the first step. :meth:`call` feeds the true previous target (teacher
      forcing); :meth:`decode` feeds back the decoder's own outputs.

    Parameters
    ----------
    units : tuple of int
        Units of each stacked layer.
    n_outputs : int
        Output size per step: features (values) or classes (logits).
    conditional : bool
    feedback : {"values", "tokens"}
        What a conditional decoder feeds back: the output values, or the
        argmax class as a token id (embedded like the encoder's tokens).
    n_tokens : int or None
        For token feedback, ids below ``n_tokens``; the start marker is
        ``n_tokens - 1``.
    embedding_dim : int or None
    dropout : float
    seed : int
    """

    def __init__(
        self,
        units,
        n_outputs,
        conditional=False,
        feedback="values",
        n_tokens=None,
        embedding_dim=None,
        dropout=0.0,
        seed=0,
        **kwargs,
    ):
        super().__init__(**kwargs)
        self.units = tuple(int(u) for u in units)
        self.n_outputs = int(n_outputs)
        self.conditional = bool(conditional)
        self.feedback = feedback
        self.n_tokens = n_tokens
        self.embedding_dim = embedding_dim
        self.dropout = float(dropout)
        self.seed = int(seed)
        init = keras.initializers.GlorotUniform
        self.state_projections = [
            (
                layers.Dense(u, activation="tanh", kernel_initializer=init(seed + i)),
                layers.Dense(u, kernel_initializer=init(seed + 100 + i)),
            )
            for i, u in enumerate(self.units)
        ]
        self.rnns = [
            _lstm(u, seed + 10 * (i + 1), dropout, return_sequences=True)
            for i, u in enumerate(self.units)
        ]
        self.embedding = None
        if feedback == "tokens" and embedding_dim is not None:
            self.embedding = layers.Embedding(
                n_tokens,
                embedding_dim,
                embeddings_initializer=keras.initializers.RandomUniform(
                    -0.05, 0.05, seed=seed + 7
                ),
            )
        self.output_layer = layers.Dense(n_outputs, kernel_initializer=init(seed + 3))

    # -- pieces shared by training and decoding ---------------------------
    def initial_states(self, code):
        return [[h(code), c(code)] for h, c in self.state_projections]

    def _feedback_inputs(self, previous):
        """Step inputs from previous outputs: values, or token ids."""
        if self.feedback == "tokens":
            return _embed_tokens(self.embedding, self.n_tokens, previous)
        batch_shape = ops.shape(previous)[:-1]
        flag = ops.zeros((*batch_shape, 1), dtype=previous.dtype)
        return ops.concatenate([previous, flag], axis=-1)

    def _start_inputs(self, batch_size, dtype):
        if self.feedback == "tokens":
            start = ops.full((batch_size,), self.n_tokens - 1, dtype="int32")
            return _embed_tokens(self.embedding, self.n_tokens, start)
        zeros = ops.zeros((batch_size, self.n_outputs), dtype=dtype)
        return ops.concatenate([zeros, ops.ones((batch_size, 1), dtype=dtype)], -1)

    def step(self, inputs, states):
        """One decoding step for the whole batch: ``(B, in) -> (B, n_outputs)``."""
        x = inputs
        new_states = []
        for rnn, state in zip(self.rnns, states, strict=True):
            x, state = rnn.cell(x, state, training=False)
            new_states.append(list(state))
        return self.output_layer(x), new_states

    def next_inputs(self, outputs):
        """What a conditional decoder feeds back after emitting ``outputs``."""
        if self.feedback == "tokens":
            return self._feedback_inputs(ops.argmax(outputs, axis=-1))
        return self._feedback_inputs(outputs)

    # -- training: the whole sequence at once -----------------------------
    def call(self, code, targets=None, target_mask=None, n_steps=None, training=None):
        """Decode with teacher forcing (conditional) or from the code alone.

        ``targets`` (conditional) are the true outputs ``(B, T, F)`` or token
        ids ``(B, T)``; the decoder sees them shifted by one step. Otherwise the
        number of steps comes from ``target_mask`` ``(B, T)`` or ``n_steps``.
        """
        batch_size = ops.shape(code)[0]
        if self.conditional:
            if targets is None:
                raise ValueError("A conditional decoder needs targets in training.")
            start = ops.expand_dims(self._start_inputs(batch_size, code.dtype), 1)
            shifted = self._feedback_inputs(targets[:, :-1])
            x = ops.concatenate([start, ops.cast(shifted, start.dtype)], axis=1)
        else:
            if target_mask is not None:
                steps = ops.ones_like(ops.cast(target_mask, code.dtype))
            else:
                steps = ops.ones((batch_size, n_steps), dtype=code.dtype)
            x = ops.expand_dims(steps, -1) * ops.expand_dims(code, 1)
        for rnn, state in zip(self.rnns, self.initial_states(code), strict=True):
            x = rnn(x, initial_state=state, mask=target_mask, training=training)
        return self.output_layer(x)

    def compute_mask(self, code, targets=None, target_mask=None, **kwargs):
        # Attaching the target mask makes Keras' losses average over real
        # steps only, so padding never changes the loss.
        return target_mask

    # -- inference: greedy decoding in one graph ---------------------------
    def decode(self, code, n_steps):
        """Greedy decoding of ``n_steps`` for the whole batch, in one graph."""
        if not self.conditional:
            return self.call(code, n_steps=n_steps, training=False)
        batch_size = ops.shape(code)[0]
        outputs = ops.zeros((batch_size, n_steps, self.n_outputs), dtype=code.dtype)

        def body(t, carry):
            inputs, states, outputs = carry
            y, states = self.step(inputs, states)
            outputs = ops.slice_update(outputs, (0, t, 0), ops.expand_dims(y, 1))
            return self.next_inputs(y), states, outputs

        carry = (
            self._start_inputs(batch_size, code.dtype),
            self.initial_states(code),
            outputs,
        )
        return ops.fori_loop(0, n_steps, body, carry)[2]

    def get_config(self):
        config = super().get_config()
        config.update(
            units=self.units,
            n_outputs=self.n_outputs,
            conditional=self.conditional,
            feedback=self.feedback,
            n_tokens=self.n_tokens,
            embedding_dim=self.embedding_dim,
            dropout=self.dropout,
            seed=self.seed,
        )
        return config


@keras.saving.register_keras_serializable(package=_PACKAGE)
class GreedyDecoding(layers.Layer):
    """Inference wrapper: decodes ``n_steps`` from a code with a shared decoder."""

    def __init__(self, decoder, n_steps, output="raw", **kwargs):
        super().__init__(**kwargs)
        self.decoder = decoder
        self.n_steps = int(n_steps)
        # "ids" and "proba" reduce the (B, T, classes) logits inside the
        # graph, so predict never returns an array the size of the vocabulary.
        self.reduce_to = output

    def call(self, code):
        outputs = self.decoder.decode(code, self.n_steps)
        if self.reduce_to == "ids":
            return ops.cast(ops.argmax(outputs, axis=-1), "int32")
        if self.reduce_to == "proba":
            return ops.softmax(outputs, axis=-1)
        return outputs

    def get_config(self):
        config = super().get_config()
        config.update(
            decoder=keras.saving.serialize_keras_object(self.decoder),
            n_steps=self.n_steps,
            output=self.reduce_to,
        )
        return config

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        config["decoder"] = keras.saving.deserialize_keras_object(config["decoder"])
        return cls(**config)
