"""Decoding strategies: how outputs are generated step by step at inference.

A strategy drives a decoder's one-step function (``decoder.step``) for the
whole batch inside one compiled loop (``keras.ops.fori_loop``), never one
``predict`` call per step. Imports Keras at import time, like
:mod:`sklearn_seqae._layers`.
"""

from keras import layers, ops


def greedy_decode(decoder, code, n_steps):
    """Feed back the most likely output at every step: ``(B, n_steps, out)``."""
    if not decoder.conditional:
        # The input never depends on earlier outputs: run the whole sequence
        # through the trained layers at once.
        return decoder(code, n_steps=n_steps, training=False)
    batch_size = ops.shape(code)[0]
    outputs = ops.zeros((batch_size, n_steps, decoder.n_outputs), dtype=code.dtype)

    def body(t, carry):
        inputs, states, outputs = carry
        y, states = decoder.step(inputs, states)
        outputs = ops.slice_update(outputs, (0, t, 0), ops.expand_dims(y, 1))
        emitted = ops.argmax(y, axis=-1) if decoder.feedback == "tokens" else y
        return decoder.next_inputs(emitted, code), states, outputs

    carry = (decoder.start_inputs(code), decoder.initial_states(code), outputs)
    return ops.fori_loop(0, n_steps, body, carry)[2]


class Decoding(layers.Layer):
    """Inference wrapper: decodes ``n_steps`` from a code with a trained decoder.

    ``output`` says what leaves the graph: ``"raw"`` values or logits,
    ``"ids"`` (argmax) or ``"proba"`` (softmax). Reducing inside the graph
    means predict never returns an array the size of the vocabulary when
    only ids are wanted.
    """

    def __init__(self, decoder, n_steps, output="raw", **kwargs):
        super().__init__(**kwargs)
        self.decoder = decoder
        self.n_steps = int(n_steps)
        self.reduce_to = output

    def call(self, code):
        outputs = greedy_decode(self.decoder, code, self.n_steps)
        if self.reduce_to == "ids":
            return ops.cast(ops.argmax(outputs, axis=-1), "int32")
        if self.reduce_to == "proba":
            return ops.softmax(outputs, axis=-1)
        return outputs
