"""How the code is read from the encoder, and the objectives that shape it."""

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from sklearn_seqae import LSTMAutoencoderTransformer, load
from sklearn_seqae._sequences import check_sequences
from sklearn_seqae.datasets import make_labelled_waves

# Training results and reproducibility: checked on the compiled path users run.
pytestmark = pytest.mark.graph

CODES = ["last", "mean", "max", "mean_max", "last_mean_max"]


def _ragged(seed=0, n=8, n_features=2):
    rng = np.random.RandomState(seed)
    return [rng.normal(size=(3 + 4 * (i % 2), n_features)) for i in range(n)]


def _small(**params):
    defaults = dict(units=3, epochs=2, batch_size=4, random_state=0)
    return LSTMAutoencoderTransformer(**{**defaults, **params})


@pytest.mark.parametrize(
    "code, standardize",
    [
        ("last", "global"),
        ("mean", "per_sequence"),
        ("max", "global"),
        ("mean_max", "per_sequence"),
        ("last_mean_max", "global"),
    ],
)
def test_code_shape_names_padding_and_save_load(code, standardize, tmp_path):
    X = _ragged()
    ae = _small(code=code, standardize=standardize, bidirectional=True).fit(X)
    n_parts = len(code.split("_"))
    stats = 2 * 2 if standardize == "per_sequence" else 0
    assert ae.code_size_ == 2 * 3 * n_parts + stats
    codes = ae.transform(X)
    assert codes.shape == (len(X), ae.code_size_)
    names = ae.get_feature_names_out()
    assert len(names) == ae.code_size_ == len(set(names))
    parts = code.split("_")
    assert [n.split("_", 1)[1].rstrip("0123456789") for n in names[:6]] == [
        parts[0]
    ] * 6
    if standardize == "per_sequence":
        assert names[-1] == "lstmautoencodertransformer_log_scale1"
    # Padding never changes a code: each sequence alone, and in a batch.
    alone = np.stack([ae.transform([x])[0] for x in X])
    np.testing.assert_allclose(codes, alone, atol=1e-5)
    path = tmp_path / "ae.seqae"
    ae.save(path)
    np.testing.assert_array_equal(load(path).transform(X), codes)
    assert ae.inverse_transform(codes).shape == (len(X), ae.n_timesteps_, 2)
    # The names describe the fitted network until the next fit.
    ae.set_params(code="last" if code != "last" else "mean_max")
    np.testing.assert_array_equal(ae.get_feature_names_out(), names)


def test_pooled_codes_are_the_mean_and_max_of_the_encoder_outputs():
    import keras

    X = _ragged(n=4)
    ae = _small(code="mean_max", units=4, standardize="global").fit(X)
    encoder = ae.model_.get_layer("encoder")
    sequences = keras.Input((None, 2))
    outputs = keras.Model(sequences, encoder(sequences)["outputs"])
    codes = ae.transform(X)
    for i, x in enumerate(X):
        scaled = ((x - ae.feature_mean_) / ae.feature_scale_)[None].astype("f4")
        steps = outputs.predict(scaled, verbose=0)[0]
        np.testing.assert_allclose(codes[i, :4], steps.mean(axis=0), atol=1e-5)
        np.testing.assert_allclose(codes[i, 4:], steps.max(axis=0), atol=1e-5)


def test_per_sequence_scaling_keeps_level_and_scale_and_undoes_them():
    rng = np.random.RandomState(0)
    base = np.sin(np.linspace(0, 6, 20))
    X = np.stack([a * base + b for a, b in rng.uniform(1, 5, size=(12, 2))])
    ae = _small(standardize="per_sequence", units=8).fit(X)
    codes = ae.transform(X)
    np.testing.assert_allclose(codes[:, -2], X.mean(axis=1), rtol=1e-5)
    np.testing.assert_allclose(np.exp(codes[:, -1]), X.std(axis=1), rtol=1e-4)
    # The network sees only the shape: sequences that differ by an affine
    # map get the same network code.
    shifted = 3 * X + 7
    np.testing.assert_allclose(ae.transform(shifted)[:, :-2], codes[:, :-2], atol=1e-5)
    # Reconstructions come back in each sequence's own units.
    recon = ae.reconstruct(X)
    assert np.abs(recon.mean(axis=1) - X.mean(axis=1)).max() < 0.5 * X.std()


@pytest.mark.parametrize(
    "objective, loss, drop",
    [
        (dict(crop_fraction=1.0), "loss", 0.8),
        (dict(crop_fraction=1.0, mask_fraction=0.3), "loss", 0.8),
        (dict(crop_fraction=1.0, noise=0.2), "loss", 0.8),
        (
            dict(contrastive_weight=1.0, mask_fraction=0.2, noise=0.1, crop_fraction=1),
            "contrastive_loss",
            0.8,
        ),
        # A crop's code is harder to match than a second corruption's: at the
        # defaults the contrastive loss falls more slowly.
        (dict(), "contrastive_loss", 0.9),
    ],
)
def test_each_objective_trains_and_lowers_its_loss(objective, loss, drop):
    X, _ = make_labelled_waves(64, length=16, random_state=0)
    ae = LSTMAutoencoderTransformer(
        units=8,
        code="mean_max",
        epochs=40,
        batch_size=16,
        learning_rate=0.01,
        random_state=0,
        **objective,
    ).fit(X)
    curve = np.asarray(ae.history_[loss])
    assert len(curve) == 40
    assert curve[-5:].mean() < drop * curve[:3].mean()


def test_training_noise_is_used_in_fit_only():
    X, _ = make_labelled_waves(20, length=10, random_state=0)
    ae = _small(mask_fraction=0.5, noise=1.0).fit(X)
    np.testing.assert_array_equal(ae.transform(X), ae.transform(X))
    # In training mode the corruption layers change the reconstruction.
    inputs, _ = ae._training_arrays(check_sequences(X), None)
    a = ae.model_(inputs, training=True)["reconstruction"]
    b = ae.model_(inputs, training=False)["reconstruction"]
    assert not np.allclose(np.asarray(a), np.asarray(b))


def test_default_codes_separate_sine_from_square():
    # The central promise, small: default settings, 120 training sequences.
    params = dict(
        length=60, periods=(1.0, 4.0), amplitude=(0.5, 2.0), shapes=("sine", "square")
    )
    X, y = make_labelled_waves(120, random_state=0, **params)
    X_test, y_test = make_labelled_waves(200, random_state=1, **params)
    pipe = make_pipeline(
        LSTMAutoencoderTransformer(random_state=0),
        StandardScaler(),
        LogisticRegression(max_iter=2000),
    ).fit(X, y)
    accuracy = pipe.score(X_test, y_test)
    nearest = KNeighborsClassifier(1).fit(X, y).score(X_test, y_test)
    assert accuracy >= 0.9
    assert accuracy > nearest


def test_level_and_scale_columns_take_the_feature_names():
    import pandas as pd

    rng = np.random.RandomState(0)
    index = pd.MultiIndex.from_product([range(6), range(5)])
    X = pd.DataFrame(rng.normal(size=(30, 2)), index, columns=["volts", "amps"])
    ae = _small().fit(X)
    names = ae.get_feature_names_out()
    assert names[-4:].tolist() == [
        "lstmautoencodertransformer_level_volts",
        "lstmautoencodertransformer_level_amps",
        "lstmautoencodertransformer_log_scale_volts",
        "lstmautoencodertransformer_log_scale_amps",
    ]
    np.testing.assert_array_equal(ae.get_feature_names_out(["volts", "amps"]), names)
    with pytest.raises(ValueError, match="not equal to feature_names_in_"):
        ae.get_feature_names_out(["amps", "volts"])
    unnamed = _small().fit(X.to_numpy().reshape(6, 5, 2))
    assert (
        unnamed.get_feature_names_out()[-1] == "lstmautoencodertransformer_log_scale1"
    )
    assert unnamed.get_feature_names_out(["a", "b"])[-1].endswith("_log_scale_b")
    with pytest.raises(ValueError, match="length equal to n_features_in_"):
        unnamed.get_feature_names_out(["a", "b", "c"])
