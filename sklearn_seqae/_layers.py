"""Keras layers of the package's networks.

Only ``keras.layers`` and ``keras.ops`` are used, so the layers run on any
Keras 3 backend. This module imports Keras at import time; the estimators
reach it lazily through :mod:`sklearn_seqae._networks`.

Shapes: ``B`` batch, ``T`` time steps, ``F`` features, ``H`` encoder outputs
per step, ``C`` code size.
"""

import keras
from keras import layers, ops

_CODE_PARTS = ("last", "mean", "max")


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


def masked_mean(outputs, mask):
    """Mean over the real steps of ``outputs`` ``(B, T, H)``; all steps if no mask."""
    if mask is None:
        return ops.mean(outputs, axis=1)
    weights = ops.expand_dims(ops.cast(mask, outputs.dtype), -1)
    total = ops.sum(outputs * weights, axis=1)
    return total / ops.maximum(ops.sum(weights, axis=1), 1.0)


def masked_max(outputs, mask):
    """Maximum over the real steps of ``outputs`` ``(B, T, H)``."""
    if mask is None:
        return ops.max(outputs, axis=1)
    real = ops.expand_dims(mask, -1)
    # LSTM outputs lie in (-1, 1), so -2 is below every real value.
    return ops.max(ops.where(real, outputs, ops.full_like(outputs, -2.0)), axis=1)


def read_code(memory, mask, code):
    """The code named by ``code`` ("last", "mean", "max", or several joined
    by "_", concatenated in that order) from a memory."""
    parts = {
        "last": lambda: memory["last"],
        "mean": lambda: masked_mean(memory["outputs"], mask),
        "max": lambda: masked_max(memory["outputs"], mask),
    }
    pieces = [parts[name]() for name in code.split("_")]
    return pieces[0] if len(pieces) == 1 else ops.concatenate(pieces, axis=-1)


class SequenceEncoder(layers.Layer):
    """Stacked (optionally bidirectional) LSTM that returns a *memory*.

    :meth:`call` returns a dict that every consumer reads from:

    ``outputs``
        the last layer's output at every step ``(B, T, H)`` (attention,
        per-step heads, pooled codes);
    ``last``
        the last layer's hidden state after each sequence's last real step
        ``(B, H)`` (both directions concatenated when bidirectional);
    ``states``
        the final ``[h, c]`` of every layer and direction;
    ``code``
        the fixed-length code, read from ``outputs``/``last`` as ``code``
        says.

    The mask is the caller's: padded steps never change ``last``, and the
    pooled codes skip them, so padding never changes a code.

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
    code : str
        How the code is read from the outputs: ``"last"``, ``"mean"``,
        ``"max"``, or several joined by ``"_"`` (the estimator's ``code``).
    seed : int
    """

    def __init__(
        self,
        units,
        bidirectional=False,
        dropout=0.0,
        n_tokens=None,
        embedding_dim=None,
        code="last",
        seed=0,
        **kwargs,
    ):
        super().__init__(**kwargs)
        if not set(code.split("_")) <= set(_CODE_PARTS):
            raise ValueError(f"unknown code {code!r}")
        self.units = tuple(int(u) for u in units)
        self.bidirectional = bool(bidirectional)
        self.dropout = float(dropout)
        self.n_tokens = n_tokens
        self.embedding_dim = embedding_dim
        self.code = code
        self.seed = int(seed)
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
            rnn = _lstm(
                n_units,
                seed + 10 * (i + 1),
                dropout,
                return_sequences=True,
                return_state=True,
            )
            if self.bidirectional:
                rnn = layers.Bidirectional(rnn, merge_mode="concat")
            self.rnns.append(rnn)

    @property
    def output_size(self):
        """``H``: features per step of ``outputs`` (and of ``last``)."""
        return self.units[-1] * (2 if self.bidirectional else 1)

    @property
    def code_size(self):
        return self.output_size * len(self.code.split("_"))

    def call(self, inputs, mask=None, training=None):
        x = inputs
        if self.n_tokens is not None:
            x = _embed_tokens(self.embedding, self.n_tokens, inputs)
        states = []
        for rnn in self.rnns:
            x, *layer_states = rnn(x, mask=mask, training=training)
            states.extend(layer_states)
        # Forward (and backward) hidden states of the last layer.
        last_h = states[-4::2] if self.bidirectional else states[-2:-1]
        last = last_h[0] if len(last_h) == 1 else ops.concatenate(last_h, axis=-1)
        memory = {"outputs": x, "last": last, "states": states}
        memory["code"] = read_code(memory, mask, self.code)
        return memory

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
            code=self.code,
            seed=self.seed,
        )
        return config


class StepHead(layers.Layer):
    """One prediction per time step from the encoder's per-step outputs.

    The mask passes through, so the loss averages over real steps only.
    """

    def __init__(self, n_outputs, seed=0, **kwargs):
        super().__init__(**kwargs)
        self.n_outputs = int(n_outputs)
        self.seed = int(seed)
        self.dense = layers.Dense(
            n_outputs, kernel_initializer=keras.initializers.GlorotUniform(seed)
        )

    def call(self, outputs, mask=None):
        return self.dense(outputs)

    def compute_mask(self, outputs, mask=None):
        return mask

    def get_config(self):
        config = super().get_config()
        config.update(n_outputs=self.n_outputs, seed=self.seed)
        return config


class SequenceDecoder(layers.Layer):
    """Stacked LSTM decoder started from a code, built around :meth:`step`.

    The code sets every layer's initial state through learned projections, so
    a code alone (as returned by ``transform``) is enough to decode, whatever
    ``code`` produced it.

    - Unconditioned (``conditional=False``): every step's input is the code.
    - Conditional: every step's input is the previous output, a start marker
      at the first step. :meth:`call` feeds the true previous target (teacher
      forcing); decoding strategies (:mod:`sklearn_seqae._decoding`) feed
      back the decoder's own outputs through :meth:`step`.
    - With ``attention`` (Luong's global attention), each step also reads a
      context: the encoder's per-step outputs (the memory) weighted by how
      well they match the step's state, padding masked out; the output layer
      sees ``tanh(W [state; context])``. The step's state does not depend on
      earlier contexts, so teacher forcing still runs the whole sequence at
      once, and :meth:`call` and :meth:`step` share every layer.

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
    attention : {None, "dot", "additive"}
        Luong's multiplicative ("general") score or Bahdanau's additive one,
        through ``keras.layers.Attention`` / ``AdditiveAttention``.
    memory_size : int or None
        Features per step of the memory, with ``attention``.
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
        attention=None,
        memory_size=None,
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
        self.attention = attention
        self.memory_size = memory_size
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
        if attention is not None:
            # Both scores compare vectors of the memory's size.
            self.query = layers.Dense(
                memory_size, use_bias=False, kernel_initializer=init(seed + 4)
            )
            if attention == "dot":
                self.scorer = layers.Attention(score_mode="dot")
            else:
                self.scorer = layers.AdditiveAttention()
            self.attentional = layers.Dense(
                self.units[-1], activation="tanh", kernel_initializer=init(seed + 5)
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

    def start_inputs(self, code):
        """The first step's input: the code, or the start marker."""
        batch_size = ops.shape(code)[0]
        if not self.conditional:
            return code
        if self.feedback == "tokens":
            start = ops.full((batch_size,), self.n_tokens - 1, dtype="int32")
            return _embed_tokens(self.embedding, self.n_tokens, start)
        zeros = ops.zeros((batch_size, self.n_outputs), dtype=code.dtype)
        return ops.concatenate([zeros, ops.ones((batch_size, 1), dtype=code.dtype)], -1)

    def _attend(self, x, memory, source_mask):
        """``(x with its context, weights)`` for states ``x`` ``(B, T, U)``."""
        context, weights = self.scorer(
            [self.query(x), memory],
            mask=[None, source_mask],
            return_attention_scores=True,
        )
        return self.attentional(ops.concatenate([x, context], axis=-1)), weights

    def step(self, inputs, states, memory=None, source_mask=None):
        """One decoding step for the whole batch.

        Returns ``(outputs (B, n_outputs), states, attention weights (B, T)
        or None)``.
        """
        x = inputs
        new_states = []
        for rnn, state in zip(self.rnns, states, strict=True):
            x, state = rnn.cell(x, state, training=False)
            new_states.append(list(state))
        weights = None
        if self.attention is not None:
            x, weights = self._attend(ops.expand_dims(x, 1), memory, source_mask)
            x, weights = x[:, 0], weights[:, 0]
        return self.output_layer(x), new_states, weights

    def next_inputs(self, emitted, code):
        """The next step's input after emitting ``emitted``.

        ``emitted`` are output values, or token ids with token feedback; an
        unconditioned decoder reads the code at every step.
        """
        if not self.conditional:
            return code
        return self._feedback_inputs(emitted)

    # -- training: the whole sequence at once -----------------------------
    def call(
        self,
        code,
        targets=None,
        target_mask=None,
        n_steps=None,
        memory=None,
        source_mask=None,
        training=None,
        return_attention=False,
    ):
        """Decode with teacher forcing (conditional) or from the code alone.

        ``targets`` (conditional) are the true outputs ``(B, T, F)`` or token
        ids ``(B, T)``; the decoder sees them shifted by one step. Otherwise the
        number of steps comes from ``target_mask`` ``(B, T)`` or ``n_steps``.
        ``memory`` ``(B, T_in, H)`` and ``source_mask`` (its real steps) feed
        the attention. (Not ``memory_mask``: Keras would fill an argument of
        that name with the memory tensor's own mask.)
        """
        batch_size = ops.shape(code)[0]
        if self.conditional:
            if targets is None:
                raise ValueError("A conditional decoder needs targets in training.")
            start = ops.expand_dims(self.start_inputs(code), 1)
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
        weights = None
        if self.attention is not None:
            x, weights = self._attend(x, memory, source_mask)
        outputs = self.output_layer(x)
        return (outputs, weights) if return_attention else outputs

    def compute_mask(self, code, targets=None, target_mask=None, **kwargs):
        # Attaching the target mask makes Keras' losses average over real
        # steps only, so padding never changes the loss.
        return target_mask

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
            attention=self.attention,
            memory_size=self.memory_size,
            seed=self.seed,
        )
        return config
