"""Decoding strategies: how outputs are generated step by step at inference.

A strategy drives a decoder's one-step function (``decoder.step``) for the
whole batch inside one compiled loop (``keras.ops.fori_loop``), never one
``predict`` call per step or per sample:

- :func:`greedy_decode` feeds back the most likely output at every step;
- :func:`beam_decode` keeps the ``beam_width`` most likely sequences of
  every sample, all samples' beams in one batch, and returns the best by
  log-probability per step (length-normalised when sequences end at an end
  marker).

Imports Keras at import time, like :mod:`sklearn_seqae._layers`.
"""

from keras import layers, ops


def greedy_decode(decoder, code, n_steps, memory=None, source_mask=None):
    """``(outputs (B, n_steps, out), attention (B, n_steps, T) or None)``."""
    if not decoder.conditional:
        # The input never depends on earlier outputs: run the whole sequence
        # through the trained layers at once.
        return decoder(
            code,
            n_steps=n_steps,
            memory=memory,
            source_mask=source_mask,
            training=False,
            return_attention=True,
        )
    batch_size = ops.shape(code)[0]
    outputs = ops.zeros((batch_size, n_steps, decoder.n_outputs), dtype=code.dtype)
    carry = [decoder.start_inputs(code), decoder.initial_states(code), outputs]
    if decoder.attention is not None:
        # Only an attending decoder carries its weights through the loop.
        carry.append(ops.zeros((batch_size, n_steps, ops.shape(memory)[1]), code.dtype))

    def body(t, carry):
        inputs, states, outputs, *attention = carry
        y, states, weights = decoder.step(inputs, states, memory, source_mask)
        outputs = ops.slice_update(outputs, (0, t, 0), ops.expand_dims(y, 1))
        if attention:
            update = ops.expand_dims(ops.cast(weights, outputs.dtype), 1)
            attention = [ops.slice_update(attention[0], (0, t, 0), update)]
        emitted = ops.argmax(y, axis=-1) if decoder.feedback == "tokens" else y
        return [decoder.next_inputs(emitted, code), states, outputs, *attention]

    _, _, outputs, *attention = ops.fori_loop(0, n_steps, body, carry)
    return outputs, (attention[0] if attention else None)


def _take(tree, index):
    """Rows ``index`` of every tensor in a (nested list) state."""
    if isinstance(tree, (list, tuple)):
        return [_take(item, index) for item in tree]
    return ops.take(tree, index, axis=0)


def _repeat(tree, k):
    if isinstance(tree, (list, tuple)):
        return [_repeat(item, k) for item in tree]
    return ops.repeat(tree, k, axis=0)


def beam_decode(
    decoder, code, n_steps, beam_width, end_id=None, memory=None, source_mask=None
):
    """Token ids ``(B, n_steps)`` of the best of ``beam_width`` beams.

    Every sample's beams run as rows of one batch ``(B * k)``. A beam that
    emitted ``end_id`` is finished: it keeps its score and emits ``end_id``
    from then on. The best beam maximises the sum of its tokens'
    log-probabilities divided by its length (up to and including the end
    marker); without ``end_id`` all lengths are equal. The greedy sequence
    competes too, so a wider beam never returns a less likely sequence.
    """
    k = beam_width
    batch_size = ops.shape(code)[0]
    n_classes = decoder.n_outputs
    code_k = _repeat(code, k)
    if memory is not None:
        memory = _repeat(memory, k)
        source_mask = None if source_mask is None else _repeat(source_mask, k)
    neg_inf = -1e9
    # Only the first beam of each sample is alive at the start.
    scores = ops.tile(
        ops.concatenate([ops.zeros((1, 1)), ops.full((1, k - 1), neg_inf)], axis=1),
        (batch_size, 1),
    )
    tokens = ops.zeros((batch_size * k, n_steps), dtype="int32")
    finished = ops.zeros((batch_size * k,), dtype="bool")
    lengths = ops.zeros((batch_size * k,), dtype="float32")
    offsets = ops.expand_dims(ops.arange(batch_size) * k, 1)
    # A finished beam may only repeat the end marker, at no cost.
    if end_id is not None:
        stay = ops.where(ops.arange(n_classes) == end_id, 0.0, neg_inf)
    states = decoder.initial_states(code_k)
    inputs = decoder.start_inputs(code_k)

    def body(t, carry):
        inputs, states, scores, tokens, finished, lengths = carry
        logits, states, _ = decoder.step(inputs, states, memory, source_mask)
        logp = ops.log_softmax(ops.cast(logits, "float32"), axis=-1)
        if end_id is not None:
            logp = ops.where(ops.expand_dims(finished, 1), stay, logp)
        total = ops.reshape(scores, (-1, 1)) + logp
        top_scores, top_index = ops.top_k(
            ops.reshape(total, (batch_size, k * n_classes)), k
        )
        parent = ops.reshape(offsets + top_index // n_classes, (-1,))
        token = ops.cast(ops.reshape(top_index % n_classes, (-1,)), "int32")
        states = _take(states, parent)
        tokens = ops.take(tokens, parent, axis=0)
        tokens = ops.slice_update(tokens, (0, t), ops.expand_dims(token, 1))
        was_finished = ops.take(finished, parent, axis=0)
        lengths = ops.take(lengths, parent, axis=0) + ops.cast(
            ops.logical_not(was_finished), "float32"
        )
        if end_id is not None:
            finished = ops.logical_or(was_finished, token == end_id)
        inputs = decoder.next_inputs(token, code_k)
        return inputs, states, top_scores, tokens, finished, lengths

    carry = (inputs, states, scores, tokens, finished, lengths)
    _, _, scores, tokens, _, lengths = ops.fori_loop(0, n_steps, body, carry)
    normalised = scores / ops.reshape(ops.maximum(lengths, 1.0), (batch_size, k))
    best = ops.reshape(offsets, (-1,)) + ops.cast(ops.argmax(normalised, 1), "int32")
    beam_tokens = ops.take(tokens, best, axis=0)
    beam_score = ops.max(normalised, axis=1)
    # The greedy sequence, scored the same way, as one more candidate.
    logits, _ = greedy_decode(
        decoder, code, n_steps, _first(memory, k), _first(source_mask, k)
    )
    greedy_tokens = ops.cast(ops.argmax(logits, axis=-1), "int32")
    greedy_score = _normalised_score(logits, greedy_tokens, end_id)
    use_greedy = ops.expand_dims(greedy_score > beam_score, 1)
    return ops.where(use_greedy, greedy_tokens, beam_tokens)


def _first(tree, k):
    """Undo :func:`_repeat`: the first copy of every sample's rows."""
    if tree is None:
        return None
    return tree[::k]


def _normalised_score(logits, tokens, end_id):
    """Mean log-probability per token up to and including the end marker."""
    logp = ops.log_softmax(ops.cast(logits, "float32"), axis=-1)
    chosen = ops.take_along_axis(logp, ops.expand_dims(tokens, -1), axis=-1)[..., 0]
    if end_id is None:
        return ops.mean(chosen, axis=1)
    is_end = ops.cast(tokens == end_id, "int32")
    # Steps up to and including the first end marker count.
    before_end = ops.cumsum(is_end, axis=1) - is_end == 0
    keep = ops.cast(before_end, "float32")
    return ops.sum(chosen * keep, axis=1) / ops.maximum(ops.sum(keep, axis=1), 1.0)


class Decoding(layers.Layer):
    """Inference wrapper: decodes ``n_steps`` with a trained decoder.

    ``output`` says what leaves the graph: ``"raw"`` values or logits,
    ``"ids"`` (argmax, or the best beam with ``beam_width > 1``),
    ``"proba"`` (softmax) or ``"attention"`` (the attention weights
    ``(B, n_steps, T_in)``). Reducing inside the graph means predict never
    returns an array the size of the vocabulary when only ids are wanted.
    """

    def __init__(
        self, decoder, n_steps, output="raw", beam_width=1, end_id=None, **kwargs
    ):
        super().__init__(**kwargs)
        self.decoder = decoder
        self.n_steps = int(n_steps)
        self.reduce_to = output
        self.beam_width = int(beam_width)
        self.end_id = end_id

    def call(self, code, memory=None, source_mask=None):
        if self.reduce_to == "ids" and self.beam_width > 1:
            return beam_decode(
                self.decoder,
                code,
                self.n_steps,
                self.beam_width,
                self.end_id,
                memory,
                source_mask,
            )
        outputs, attention = greedy_decode(
            self.decoder, code, self.n_steps, memory, source_mask
        )
        if self.reduce_to == "ids":
            return ops.cast(ops.argmax(outputs, axis=-1), "int32")
        if self.reduce_to == "proba":
            return ops.softmax(outputs, axis=-1)
        if self.reduce_to == "attention":
            return attention
        return outputs
