"""Long sequences read as patches; the objectives' "auto" settings; budgets."""

import numpy as np
import pytest

from sklearn_seqae import LSTMAutoencoderTransformer
from sklearn_seqae._patches import (
    PATCH_STATS,
    auto_patch_size,
    from_patches,
    patch_lengths,
    to_patches,
)


def _ragged(n=10, n_features=2, seed=0):
    rng = np.random.RandomState(seed)
    return [rng.normal(size=(rng.randint(5, 40), n_features)) for _ in range(n)]


def _padded(sequences):
    t = max(len(s) for s in sequences)
    values = np.zeros((len(sequences), t, sequences[0].shape[1]), np.float32)
    mask = np.zeros((len(sequences), t), bool)
    for i, s in enumerate(sequences):
        values[i, : len(s)], mask[i, : len(s)] = s, True
    return values, mask


@pytest.mark.no_model
def test_auto_patch_size_keeps_at_most_96_patches():
    assert auto_patch_size([1]) == auto_patch_size([96, 96]) == 1
    assert auto_patch_size([97]) == 2
    assert auto_patch_size([1460] * 3) == 16
    for length in (1, 50, 97, 1460, 5000):
        assert patch_lengths([length], auto_patch_size([length]))[0] <= 96


@pytest.mark.no_model
def test_auto_patches_follow_the_median_length_and_bound_the_longest():
    # A few long sequences do not coarsen the patches of all the others...
    assert auto_patch_size([300] * 9 + [1344]) == 4
    assert auto_patch_size([50] * 9 + [400]) == 2
    # ... and the longest is still read in at most 384 patches.
    lengths = [40] * 99 + [10_000]
    size = auto_patch_size(lengths)
    assert size == 27
    assert patch_lengths(lengths, size).max() <= 384


@pytest.mark.no_model
@pytest.mark.parametrize("stats", [False, True])
def test_patches_do_not_depend_on_the_padding_around_a_sequence(stats):
    sequences = _ragged()
    values, mask = _padded(sequences)
    patches, patch_mask = to_patches(values, mask, 3, stats)
    assert (
        patch_mask.sum(axis=1).tolist()
        == patch_lengths([len(s) for s in sequences], 3).tolist()
    )
    width = 3 * 2 + (len(PATCH_STATS) * 2 if stats else 0)
    assert patches.shape[2] == width
    for i, s in enumerate(sequences):
        # Alone, with more padding: the same real patches.
        alone, alone_mask = to_patches(*_padded([s, np.zeros((60, 2))]), 3, stats)
        n = patch_mask[i].sum()
        np.testing.assert_array_equal(alone_mask[0, :n], True)
        np.testing.assert_array_equal(alone[0, :n], patches[i, :n])
        np.testing.assert_array_equal(patches[i, n:], 0.0)


@pytest.mark.no_model
def test_patch_statistics_are_those_of_the_real_steps():
    s = np.arange(5, dtype=np.float32).reshape(5, 1)  # patches [0 1 2] [3 4 -]
    patches, _ = to_patches(*_padded([s]), 3, stats=True)
    mean, std, low, high = patches[0, 1, 3:]
    assert (mean, low, high) == (3.5, 3.0, 4.0)
    assert std == pytest.approx(0.5)


@pytest.mark.no_model
def test_from_patches_undoes_to_patches():
    values, mask = _padded(_ragged())
    patches, _ = to_patches(values, mask, 4)
    back = from_patches(patches, 4, 2)[:, : values.shape[1]]
    np.testing.assert_array_equal(back, values)


def test_patched_codes_ignore_padding_and_reconstruct_every_step():
    X = _ragged()
    ae = LSTMAutoencoderTransformer(
        units=3, patch_size=4, epochs=2, batch_size=4, random_state=0
    ).fit(X)
    assert ae.patch_size_ == 4
    codes = ae.transform(X)
    alone = np.stack([ae.transform([x])[0] for x in X])
    np.testing.assert_allclose(codes, alone, atol=1e-5)
    rebuilt = ae.reconstruct(X)
    assert [r.shape for r in rebuilt] == [x.shape for x in X]
    assert ae.inverse_transform(codes).shape == (len(X), ae.n_timesteps_, 2)
    assert np.isfinite(ae.score_samples(X)).all()


def test_auto_patches_are_chosen_once_and_kept_by_partial_fit():
    rng = np.random.RandomState(0)
    ae = LSTMAutoencoderTransformer(units=2, random_state=0)
    ae.partial_fit(rng.normal(size=(4, 200)))
    assert ae.patch_size_ == auto_patch_size([200] * 4) == 3
    # Longer sequences later: the fitted patches stay.
    ae.partial_fit(rng.normal(size=(4, 400)))
    assert ae.patch_size_ == 3
    assert ae.transform(rng.normal(size=(2, 50))).shape == (2, ae.code_size_)


@pytest.mark.parametrize("mode", ["predict", "composite"])
def test_patches_with_the_future_decoder(mode):
    X = _ragged()
    ae = LSTMAutoencoderTransformer(
        units=3,
        patch_size=2,
        mode=mode,
        n_future=2,
        conditional=True,
        reverse=True,
        epochs=2,
        random_state=0,
    ).fit(X)
    assert ae.forecast(X).shape == (len(X), 2, 2)
    if mode == "composite":
        assert [r.shape for r in ae.reconstruct(X)] == [x.shape for x in X]


def test_files_of_version_0_2_read_step_by_step():
    X = _ragged()
    ae = LSTMAutoencoderTransformer(
        units=3, patch_size=1, crop_fraction=1.0, epochs=1, random_state=0
    ).fit(X)
    state = ae.__getstate__()
    for name in ("patch_size", "patch_size_", "crop_fraction"):
        del state[name]
    old = LSTMAutoencoderTransformer.__new__(LSTMAutoencoderTransformer)
    old.__setstate__(state)
    assert old.get_params()["patch_size"] == 1 and old.patch_size_ == 1
    np.testing.assert_array_equal(old.transform(X), ae.transform(X))


def test_a_saved_patched_model_loads_with_its_patches(tmp_path):
    from sklearn_seqae import load

    X = _ragged()
    ae = LSTMAutoencoderTransformer(
        units=3, patch_size=4, crop_fraction=0.7, epochs=1, random_state=0
    ).fit(X)
    ae.save(tmp_path / "ae.seqae")
    again = load(tmp_path / "ae.seqae")
    assert again.get_params()["patch_size"] == 4 and again.patch_size_ == 4
    assert again.get_params()["crop_fraction"] == 0.7
    np.testing.assert_array_equal(again.transform(X), ae.transform(X))


@pytest.mark.parametrize("n, on", [(3, False), (8, True)])
def test_auto_objectives_switch_off_on_a_handful_of_sequences(n, on):
    X = np.sin(np.arange(n * 6).reshape(n, 6) / 3.0)
    ae = LSTMAutoencoderTransformer(units=2, epochs=1, random_state=0).fit(X)
    objectives = {k: ae._config[k] for k in ("mask_fraction", "noise")}
    objectives["contrastive_weight"] = ae._config["contrastive_weight"]
    expected = {"mask_fraction": 0.2, "noise": 0.1, "contrastive_weight": 1.0}
    assert objectives == (expected if on else dict.fromkeys(expected, 0.0))
    assert ("contrastive" in ae.history_ or "contrastive_loss" in ae.history_) == on
    # Values you set are used as given, however few the sequences.
    ae.set_params(contrastive_weight=0.5, noise=0.0).fit(X)
    assert ae._config["contrastive_weight"] == 0.5 and ae._config["noise"] == 0.0


@pytest.mark.no_model
@pytest.mark.parametrize(
    "params, budget",
    [
        ({}, (None, 600)),
        ({"epochs": 300}, (300, None)),
        ({"epochs": 300, "max_steps": 50}, (300, 50)),
        ({"max_steps": 70}, (None, 70)),
    ],
)
def test_a_set_epochs_is_honoured_and_the_default_budget_is_in_steps(params, budget):
    assert LSTMAutoencoderTransformer(**params)._training_budget() == budget


def test_no_budget_at_all_is_refused_before_keras():
    ae = LSTMAutoencoderTransformer(epochs=None, max_steps=None)
    with pytest.raises(ValueError, match="epochs and max_steps cannot both be None"):
        ae.fit(np.zeros((4, 5)))
    assert not hasattr(ae, "model_")


def test_epochs_none_trains_max_steps():
    X = np.sin(np.arange(20 * 6).reshape(20, 6) / 3.0)
    ae = LSTMAutoencoderTransformer(units=2, batch_size=8, max_steps=7, random_state=0)
    ae.fit(X)
    # 3 batches per epoch: 3 epochs are cut at the 7th step.
    assert (ae.n_steps_, ae.n_iter_) == (7, 3)
