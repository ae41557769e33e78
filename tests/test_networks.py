"""The network module: the encoder's memory, layer configs, compilation."""

import numpy as np
import pytest

from sklearn_seqae._networks import build_network, compile_network, encoder_model


def _encoder(**params):
    from sklearn_seqae._layers import SequenceEncoder

    return SequenceEncoder(**{**dict(units=(5, 3), seed=0), **params})


@pytest.mark.parametrize("bidirectional", [False, True])
def test_memory_holds_outputs_last_state_states_and_code(bidirectional):
    encoder = _encoder(bidirectional=bidirectional, code="last_mean_max")
    x = np.random.RandomState(0).normal(size=(4, 7, 2)).astype("float32")
    mask = np.arange(7)[None, :] < np.array([7, 5, 3, 1])[:, None]
    memory = encoder(x, mask=mask)
    width = 3 * (2 if bidirectional else 1)
    assert encoder.output_size == width and encoder.code_size == 3 * width
    assert tuple(memory["outputs"].shape) == (4, 7, width)
    assert tuple(memory["last"].shape) == (4, width)
    # [h, c] per layer and direction.
    assert len(memory["states"]) == 2 * 2 * (2 if bidirectional else 1)
    code = np.asarray(memory["code"])
    np.testing.assert_allclose(code[:, :width], np.asarray(memory["last"]))
    outputs = np.asarray(memory["outputs"])
    for i, n in enumerate([7, 5, 3, 1]):
        np.testing.assert_allclose(
            code[i, width : 2 * width], outputs[i, :n].mean(0), atol=1e-6
        )
        np.testing.assert_allclose(
            code[i, 2 * width :], outputs[i, :n].max(0), atol=1e-6
        )
    if not bidirectional:
        # The forward direction's last state is its output at the last real step.
        for i, n in enumerate([7, 5, 3, 1]):
            np.testing.assert_allclose(code[i, :width], outputs[i, n - 1], atol=1e-6)


def test_unknown_code_is_refused():
    with pytest.raises(ValueError, match="unknown code"):
        _encoder(code="mean_median")


def _layers():
    from sklearn_seqae import _layers, _objectives

    return [
        _layers.SequenceEncoder((4, 3), bidirectional=True, code="mean_max"),
        _layers.SequenceDecoder((3,), 2, conditional=True, dropout=0.1, seed=3),
        _layers.SequenceDecoder(
            (3,), 5, conditional=True, feedback="tokens", n_tokens=6, embedding_dim=2
        ),
        _objectives.TrainingNoise(mask_fraction=0.2, noise=0.1, seed=4),
        _objectives.ContrastiveLoss(projection_size=8, temperature=0.5, seed=5),
    ]


@pytest.mark.parametrize("index", range(5))
def test_every_layer_round_trips_through_its_config(index):
    layer = _layers()[index]
    config = layer.get_config()
    again = type(layer).from_config(config)
    assert again.get_config() == config


def test_compile_network_builds_the_loss_before_any_batch():
    config = dict(
        kind="autoencoder",
        n_features=2,
        units=(4,),
        bidirectional=False,
        dropout=0.0,
        code="mean_max",
        conditional=False,
        decoders=("reconstruction",),
        n_future=1,
        mask_fraction=0.2,
        noise=0.1,
        contrastive_weight=0.5,
        seed=0,
    )
    model = compile_network(*build_network(config), learning_rate=1e-3)
    # The package's one use of Keras' private _compile_loss: if a Keras
    # release changes it, this fails here rather than silently slowing fits.
    assert model._compile_loss.built
    assert model.optimizer.built
    x = np.random.RandomState(0).normal(size=(8, 6, 2)).astype("float32")
    mask = np.ones((8, 6), bool)
    logs = model.train_on_batch(
        {"sequences": x, "mask": mask},
        {"reconstruction": x, "contrastive": np.zeros(8, "float32")},
        return_dict=True,
    )
    assert set(logs) == {"loss", "reconstruction_loss", "contrastive_loss"}
    # Training noise is off at inference: the encoder model is deterministic.
    encoder = encoder_model(model, config)
    a = encoder.predict({"sequences": x, "mask": mask}, verbose=0)
    b = encoder.predict({"sequences": x, "mask": mask}, verbose=0)
    np.testing.assert_array_equal(a, b)
    assert a.shape == (8, 8)
