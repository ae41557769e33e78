"""Which Keras graph does a config dict describe?

Estimators describe their network with a plain dict (ints, floats, strings,
tuples: JSON-able, comparable, saved with the estimator) and get Keras
models back from here. They never touch Keras layers themselves.

Every network is an encoder that returns a *memory*
(:class:`~sklearn_seqae._layers.SequenceEncoder`: per-step outputs, last
state, final states, code) followed by heads that read it: decoders start
from the code. Importing this module imports Keras.

The config keys common to every ``kind``:

``n_features``, ``units`` (tuple), ``bidirectional``, ``dropout``, ``seed``.

``kind="autoencoder"`` adds ``patch_size`` (the encoder reads, and the
reconstruction decoder emits, patches of that many steps: ``n_features *
patch_size`` values per input step; absent means 1), ``code`` (how the
code is read from the memory), ``conditional``, ``decoders`` (names among
``"reconstruction"`` and ``"future"``), ``n_future``, ``mask_fraction``, ``noise``,
``contrastive_weight`` and ``crop`` (training objectives; ``crop`` below 1
contrasts the whole sequence with a random crop of at least that fraction
of it; absent means 1, no crop) and ``patch_stats`` (each patch also
carries per-feature statistics of its steps).

``kind="seq2seq"`` adds ``n_tokens_in``, ``embedding_dim``,
``conditional``, ``n_outputs``, ``n_steps``, ``target_shape``, ``masked``
(variable-length targets), ``feedback`` (``"values"`` or ``"tokens"``).

``kind="timestep"`` adds ``n_tokens_in``, ``embedding_dim``, ``n_outputs``
and ``targets`` (``"classes"`` or ``"values"``): a head maps the encoder's
output at every step to that step's prediction.

Every kind may set ``freeze_encoder`` (transfer from an autoencoder).
"""

import keras

from . import _layers, _objectives
from ._decoding import Decoding

__all__ = [
    "build_network",
    "compile_network",
    "decoding_model",
    "encoder_model",
    "step_model",
]


def _encoder(config, name="encoder"):
    encoder = _layers.SequenceEncoder(
        config["units"],
        bidirectional=config["bidirectional"],
        dropout=config["dropout"],
        n_tokens=config.get("n_tokens_in"),
        embedding_dim=config.get("embedding_dim"),
        code=config.get("code", "last"),
        seed=config["seed"],
        name=name,
    )
    # A frozen encoder (transfer from an autoencoder) keeps its weights.
    encoder.trainable = not config.get("freeze_encoder", False)
    return encoder


def _sequence_inputs(config):
    if config.get("n_tokens_in") is not None:
        sequences = keras.Input((None,), dtype="int32", name="sequences")
    else:
        size = config["n_features"] * config.get("patch_size", 1)
        if config.get("patch_stats"):
            size += config["n_features"] * 4
        sequences = keras.Input((None, size), name="sequences")
    return sequences, keras.Input((None,), dtype="bool", name="mask")


def _decoder_units(encoder, config):
    # The decoder mirrors the encoder: its first layer is as wide as the
    # encoder's per-step output.
    return (encoder.output_size, *reversed(config["units"][:-1]))


def _given_loss(y_true, y_pred):
    """A loss computed inside the network (InfoNCE): pass it through."""
    return y_pred


def build_network(config):
    """The training model described by ``config``: ``(model, losses, weights)``.

    ``losses`` and ``weights`` map each named output to its loss and its
    weight in the total, ready for :func:`compile_network`.
    """
    if config["kind"] == "autoencoder":
        return _autoencoder(config)
    if config["kind"] == "seq2seq":
        return _seq2seq(config)
    if config["kind"] == "timestep":
        return _timestep(config)
    raise ValueError(f"unknown network kind {config['kind']!r}")


def _autoencoder(config):
    seed = config["seed"]
    sequences, mask = _sequence_inputs(config)
    encoder = _encoder(config)
    corrupt = config["mask_fraction"] > 0 or config["noise"] > 0
    outputs, losses, weights = {}, {}, {}

    def view(index):
        if not corrupt:
            return sequences
        noise = _objectives.TrainingNoise(
            config["mask_fraction"],
            config["noise"],
            seed=seed + 50 + index,
            name=f"training_noise_{index}",
        )
        return noise(sequences)

    memory = encoder(view(0), mask=mask)
    if config["contrastive_weight"] > 0:
        other_mask = mask
        if config.get("crop", 1.0) < 1.0:
            other_mask = _objectives.RandomCrop(
                config["crop"], seed=seed + 70, name="random_crop"
            )(mask)
        other = encoder(view(1), mask=other_mask)
        outputs["contrastive"] = _objectives.ContrastiveLoss(
            seed=seed + 60, name="contrastive_head"
        )(memory["code"], other["code"])
        losses["contrastive"] = _given_loss
        weights["contrastive"] = config["contrastive_weight"]
    code = memory["code"]
    inputs = [sequences, mask]
    for i, name in enumerate(config["decoders"]):
        # The reconstruction is emitted patch by patch, as the encoder read it;
        # the future step by step.
        n_outputs = config["n_features"]
        if name == "reconstruction":
            n_outputs *= config.get("patch_size", 1)
        decoder = _layers.SequenceDecoder(
            _decoder_units(encoder, config),
            n_outputs,
            conditional=config["conditional"],
            dropout=config["dropout"],
            seed=seed + 1000 * (i + 1),
            name=f"{name}_decoder",
        )
        n_steps = config["n_future"] if name == "future" else None
        targets = None
        if config["conditional"]:
            targets = keras.Input((n_steps, n_outputs), name=f"{name}_target")
            inputs.append(targets)
        outputs[name] = decoder(
            code,
            targets=targets,
            target_mask=mask if name == "reconstruction" else None,
            n_steps=n_steps,
        )
        losses[name], weights[name] = "mse", 1.0
    model = keras.Model(inputs, outputs, name="lstm_autoencoder")
    return model, losses, weights


def _seq2seq(config):
    sequences, mask = _sequence_inputs(config)
    encoder = _encoder(config)
    memory = encoder(sequences, mask=mask)
    feedback = config["feedback"]
    decoder = _layers.SequenceDecoder(
        _decoder_units(encoder, config),
        config["n_outputs"],
        conditional=config["conditional"],
        feedback=feedback,
        n_tokens=config["n_outputs"] + 1 if feedback == "tokens" else None,
        embedding_dim=config["embedding_dim"],
        dropout=config["dropout"],
        attention=config.get("attention"),
        memory_size=encoder.output_size,
        seed=config["seed"] + 1000,
        name="decoder",
    )
    inputs = [sequences, mask]
    targets = target_mask = None
    if config["conditional"]:
        dtype = "int32" if feedback == "tokens" else "float32"
        # Any number of target steps: the weights do not depend on it.
        shape = (None, *config["target_shape"])
        targets = keras.Input(shape, dtype=dtype, name="targets")
        inputs.append(targets)
    if config["masked"]:
        target_mask = keras.Input((None,), dtype="bool", name="target_mask")
        inputs.append(target_mask)
    outputs = decoder(
        memory["code"],
        targets=targets,
        target_mask=target_mask,
        n_steps=config["n_steps"],
        memory=memory["outputs"],
        source_mask=mask,
    )
    model = keras.Model(inputs, {"outputs": outputs}, name="seq2seq")
    loss = _loss("classes" if feedback == "tokens" else "values")
    return model, {"outputs": loss}, {"outputs": 1.0}


def _loss(kind):
    if kind == "classes":
        return keras.losses.SparseCategoricalCrossentropy(from_logits=True)
    return "mse"


def _timestep(config):
    sequences, mask = _sequence_inputs(config)
    memory = _encoder(config)(sequences, mask=mask)
    head = _layers.StepHead(
        config["n_outputs"], seed=config["seed"] + 1000, name="step_head"
    )
    outputs = head(memory["outputs"], mask=mask)
    model = keras.Model([sequences, mask], {"outputs": outputs}, name="timestep")
    return model, {"outputs": _loss(config["targets"])}, {"outputs": 1.0}


def step_model(model, config, *, output="raw", masked=True):
    """``sequences`` (and ``mask``) -> one prediction per step, in one graph.

    ``output``: ``"raw"`` values or logits, ``"ids"`` or ``"proba"``.
    """
    sequences, mask = _sequence_inputs(config)
    memory = model.get_layer("encoder")(sequences, mask=mask if masked else None)
    y = model.get_layer("step_head")(memory["outputs"])
    if output == "ids":
        y = keras.ops.cast(keras.ops.argmax(y, axis=-1), "int32")
    elif output == "proba":
        y = keras.ops.softmax(y, axis=-1)
    inputs = [sequences, mask] if masked else sequences
    return keras.Model(inputs, y, name="timestep_predict")


def compile_network(model, losses, weights, learning_rate):
    """Compile with Adam and build the loss and optimizer before any data.

    Keras would build the compiled loss with a symbolic pass over the whole
    model on the first fit, which for small models costs as much as tracing
    the training step itself; the loss only needs the output structure. The
    one use of Keras' private ``_compile_loss`` is here, with a fallback:
    if it is missing, Keras builds the loss on the first batch as usual.
    """
    # Clipping keeps LSTM training stable when a batch has a large gradient.
    optimizer = keras.optimizers.Adam(learning_rate=learning_rate, clipnorm=1.0)
    model.compile(optimizer=optimizer, loss=losses, loss_weights=weights)
    compiled_loss = getattr(model, "_compile_loss", None)
    if compiled_loss is not None and not getattr(compiled_loss, "built", True):
        y_true = keras.tree.map_structure(
            lambda t: keras.KerasTensor(t.shape, t.dtype), model.output
        )
        compiled_loss.build(y_true, model.output)
    optimizer.build(model.trainable_variables)
    return model


def encoder_model(model, config, *, masked=True):
    """``sequences`` (and ``mask``) -> code, sharing ``model``'s encoder.

    Without padding the mask changes nothing, and the LSTM runs about 15%
    faster without it (``bench/overhead.py``): ``masked=False`` leaves it out.
    """
    sequences, mask = _sequence_inputs(config)
    encoder = model.get_layer("encoder")
    if masked:
        code = encoder(sequences, mask=mask)["code"]
        return keras.Model([sequences, mask], code, name="encoder")
    return keras.Model(sequences, encoder(sequences)["code"], name="encoder_unmasked")


def decoding_model(
    model,
    config,
    n_steps,
    *,
    decoder="decoder",
    output="raw",
    from_code=False,
    masked=True,
    beam_width=1,
    end_id=None,
):
    """A model that decodes ``n_steps`` with ``model``'s layers.

    ``from_code=True``: its input is a code (the autoencoder's
    ``inverse_transform``); otherwise sequences (and a mask, when
    ``masked``), encoded first, all in one graph. ``output`` and
    ``beam_width`` as in :class:`~sklearn_seqae._decoding.Decoding`.
    """
    trained_decoder = model.get_layer(decoder)
    decoding = Decoding(
        trained_decoder, n_steps, output=output, beam_width=beam_width, end_id=end_id
    )
    if from_code:
        size = model.get_layer("encoder").code_size
        code = keras.Input((size,), name="code")
        return keras.Model(code, decoding(code), name=f"{decoder}_decoding")
    sequences, mask = _sequence_inputs(config)
    encoder = model.get_layer("encoder")
    memory = encoder(sequences, mask=mask if masked else None)
    inputs = [sequences, mask] if masked else sequences
    if trained_decoder.attention is None:
        decoded = decoding(memory["code"])
    else:
        decoded = decoding(memory["code"], memory["outputs"], mask if masked else None)
    return keras.Model(inputs, decoded, name=f"{decoder}_decoding")
