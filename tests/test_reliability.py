"""Persistence, failure atomicity, faults during training, sklearn plumbing."""

import copy
import functools
import pickle
import subprocess
import sys
import textwrap
import zipfile

import joblib
import numpy as np
import pytest
from sklearn.base import clone, is_classifier
from sklearn.model_selection import GridSearchCV, StratifiedKFold, check_cv
from sklearn.utils import estimator_html_repr

import sklearn_seqae
from sklearn_seqae import (
    FileFormatError,
    LSTMAutoencoderTransformer,
    Seq2SeqClassifier,
    Seq2SeqRegressor,
    TimestepRegressor,
    TrainingInterruptedWarning,
    load,
)
from sklearn_seqae.datasets import make_labelled_waves, make_reversed_prefix

# Training results and reproducibility: checked on the compiled path users run.
pytestmark = pytest.mark.graph


@functools.cache
def _fitted_estimators():
    """Four small fitted estimators, built once per test process."""
    X, labels = make_labelled_waves(30, length=8, random_state=0)
    tokens, prefix = make_reversed_prefix(30, random_state=0)
    ragged = [x[: 4 + i % 4] for i, x in enumerate(X)]
    kw = dict(units=4, epochs=1, random_state=0)
    return [
        (LSTMAutoencoderTransformer(reverse=True, **kw).fit(ragged), ragged),
        (Seq2SeqRegressor(**kw).fit(X, X[:, :2]), X),
        (Seq2SeqClassifier(**kw).fit(X, labels), X),
        (Seq2SeqClassifier(input_type="tokens", **kw).fit(tokens, prefix), tokens),
    ]


def _outputs(estimator, X):
    if isinstance(estimator, LSTMAutoencoderTransformer):
        return [estimator.transform(X), *estimator.reconstruct(X)]
    out = [np.asarray(estimator.predict(X))]
    if isinstance(estimator, Seq2SeqClassifier):
        out.append(estimator.predict_proba(X))
    return out


@pytest.mark.parametrize("index", range(4))
def test_save_load_round_trip_is_bit_identical(tmp_path, index):
    estimator, X = _fitted_estimators()[index]
    path = tmp_path / "model.seqae"
    estimator.save(path)
    assert zipfile.ZipFile(path).namelist() == ["estimator.json", "model.weights.h5"]
    loaded = load(path)
    assert type(loaded) is type(estimator)
    assert loaded.get_params() == estimator.get_params()
    for a, b in zip(_outputs(loaded, X), _outputs(estimator, X), strict=True):
        np.testing.assert_array_equal(np.asarray(a), np.asarray(b))


_FRESH = textwrap.dedent(
    """
    import numpy as np, sklearn_seqae
    X = [np.sin(np.linspace(0, 3, 7 - i % 3) + i / 3) for i in range(30)]
    ae = sklearn_seqae.LSTMAutoencoderTransformer(
        units=5, epochs=3, dropout=0.1, batch_size=8, code="last_mean_max",
        mask_fraction=0.2, noise=0.1, contrastive_weight=1.0,
        standardize="per_sequence", random_state=7)
    np.save("{out}/codes.npy", ae.fit(X).transform(X))
    clf = sklearn_seqae.load("{out}/../clf.seqae")
    np.save("{out}/proba.npy", clf.predict_proba(np.load("{out}/../X.npy")))
    import joblib, pickle
    with open("{out}/../clf.pkl", "rb") as f:
        np.save("{out}/pickled.npy", pickle.load(f).predict_proba(
            np.load("{out}/../X.npy")))
    np.save("{out}/joblibbed.npy", joblib.load("{out}/../clf.joblib").predict_proba(
        np.load("{out}/../X.npy")))
    """
)


def test_fresh_processes_reproduce_seeded_fits_and_load_files(tmp_path):
    estimator, X = _fitted_estimators()[3]
    estimator.save(tmp_path / "clf.seqae")
    (tmp_path / "clf.pkl").write_bytes(pickle.dumps(estimator))
    joblib.dump(estimator, tmp_path / "clf.joblib")
    np.save(tmp_path / "X.npy", X)
    results = []
    for name in ("first", "second"):
        out = tmp_path / name
        out.mkdir()
        script = _FRESH.format(out=out.as_posix())
        subprocess.run([sys.executable, "-c", script], check=True)
        names = ("codes", "proba", "pickled", "joblibbed")
        results.append({f: np.load(out / f"{f}.npy") for f in names})
    # The same int seed gives bit-identical codes in two fresh processes, on
    # ragged input with every training objective on...
    np.testing.assert_array_equal(results[0]["codes"], results[1]["codes"])
    # ...and in this worker, which has fitted many models before.
    X_ae = [np.sin(np.linspace(0, 3, 7 - i % 3) + i / 3) for i in range(30)]
    params = dict(
        units=5,
        epochs=3,
        dropout=0.1,
        batch_size=8,
        code="last_mean_max",
        mask_fraction=0.2,
        noise=0.1,
        contrastive_weight=1.0,
        standardize="per_sequence",
    )
    same = LSTMAutoencoderTransformer(**params, random_state=7).fit(X_ae)
    np.testing.assert_array_equal(results[0]["codes"], same.transform(X_ae))
    other = LSTMAutoencoderTransformer(**params, random_state=8).fit(X_ae)
    assert not np.allclose(results[0]["codes"], other.transform(X_ae))
    # Saved, pickled and joblib files load in a fresh process and predict
    # bit-identically.
    expected = estimator.predict_proba(X)
    for name in ("proba", "pickled", "joblibbed"):
        np.testing.assert_array_equal(results[0][name], expected)


def test_pickle_and_joblib_round_trips_in_process(tmp_path):
    for estimator, X in _fitted_estimators():
        joblib.dump(estimator, tmp_path / "e.joblib")
        for restored in (
            pickle.loads(pickle.dumps(estimator)),
            joblib.load(tmp_path / "e.joblib"),
        ):
            for a, b in zip(_outputs(restored, X), _outputs(estimator, X), strict=True):
                np.testing.assert_array_equal(np.asarray(a), np.asarray(b))


def test_training_goes_on_after_pickle_and_load_as_it_would_have(tmp_path):
    # Adam's moments and the random generators of masking, noise and dropout
    # travel with the weights: continuing a restored estimator gives exactly
    # what continuing the original gives.
    X, labels = make_labelled_waves(24, length=8, random_state=0)
    for estimator, y, outputs in (
        (
            LSTMAutoencoderTransformer(units=4, epochs=2, batch_size=8),
            None,
            lambda e: e.transform(X),
        ),
        (
            Seq2SeqClassifier(units=4, epochs=2, batch_size=8, dropout=0.3),
            labels,
            lambda e: e.predict_proba(X),
        ),
    ):
        estimator.set_params(random_state=0).fit(X, y)
        estimator.save(tmp_path / "e.seqae")
        copies = [
            pickle.loads(pickle.dumps(estimator)),
            copy.deepcopy(estimator),
            load(tmp_path / "e.seqae"),
        ]
        for restored in [estimator, *copies]:
            restored.partial_fit(X, y)
        for restored in copies:
            np.testing.assert_array_equal(outputs(restored), outputs(estimator))


def test_metadata_requests_are_saved(tmp_path):
    import sklearn

    X, labels = make_labelled_waves(16, length=6, random_state=0)
    with sklearn.config_context(enable_metadata_routing=True):
        clf = Seq2SeqClassifier(units=2, epochs=1, random_state=0)
        clf.set_fit_request(sample_weight=True).set_score_request(sample_weight="w")
        clf.fit(X, labels, sample_weight=np.ones(16)).save(tmp_path / "c.seqae")
        loaded = load(tmp_path / "c.seqae")
        assert loaded.get_metadata_routing().fit.requests == {"sample_weight": True}
        assert loaded.get_metadata_routing().score.requests == {"sample_weight": "w"}
    np.testing.assert_array_equal(loaded.predict_proba(X), clf.predict_proba(X))


def test_a_parameter_the_file_cannot_hold_is_named(tmp_path):
    import keras

    X, labels = make_labelled_waves(16, length=6, random_state=0)
    ae = LSTMAutoencoderTransformer(units=2, epochs=1, random_state=0).fit(X)
    clf = Seq2SeqClassifier(units=2, epochs=1, encoder_init=ae).fit(X, labels)
    with pytest.raises(
        TypeError, match="parameter encoder_init is of type LSTMAutoencoderTransformer"
    ):
        clf.save(tmp_path / "c.seqae")
    clf.set_params(encoder_init=None).save(tmp_path / "c.seqae")
    np.testing.assert_array_equal(
        load(tmp_path / "c.seqae").predict_proba(X), clf.predict_proba(X)
    )
    stopper = keras.callbacks.EarlyStopping(monitor="loss")
    clf.set_params(callbacks=[stopper])
    with pytest.raises(
        TypeError, match="parameter callbacks holds an item of type EarlyStopping"
    ):
        clf.save(tmp_path / "c.seqae")


@pytest.mark.no_model
def test_unfitted_estimator_saves_its_parameters(tmp_path):
    est = Seq2SeqClassifier(units=(3, 2), input_type="tokens", random_state=5)
    est.save(tmp_path / "e.seqae")
    assert load(tmp_path / "e.seqae").get_params() == est.get_params()


def test_bytes_tokens_save_and_load(tmp_path):
    rng = np.random.RandomState(0)
    X = np.array([b"ab", b"cd", b"ef"], dtype=object)[rng.randint(0, 3, (20, 4))]
    y = np.arange(20) % 2
    clf = Seq2SeqClassifier(input_type="tokens", units=3, epochs=1, random_state=0)
    clf.fit(X, y).save(tmp_path / "b.seqae")
    loaded = load(tmp_path / "b.seqae")
    assert loaded.vocabulary_ == {b"ab": 0, b"cd": 1, b"ef": 2}
    np.testing.assert_array_equal(loaded.predict_proba(X), clf.predict_proba(X))


def test_corrupt_truncated_and_foreign_files(tmp_path):
    estimator, _ = _fitted_estimators()[0]
    good = tmp_path / "good.seqae"
    estimator.save(good)
    data = good.read_bytes()
    (tmp_path / "truncated").write_bytes(data[: len(data) // 2])
    (tmp_path / "garbage").write_bytes(b"not a zip at all")
    with zipfile.ZipFile(tmp_path / "foreign", "w") as archive:
        archive.writestr("estimator.json", '{"format": "other"}')
    for name in ("truncated", "garbage"):
        with pytest.raises(FileFormatError, match="corrupt or truncated"):
            load(tmp_path / name)
    with pytest.raises(FileFormatError, match="not a sklearn_seqae"):
        load(tmp_path / "foreign")
    assert issubclass(FileFormatError, ValueError)


def test_version_mismatch_warns(tmp_path, monkeypatch):
    estimator, X = _fitted_estimators()[1]
    estimator.save(tmp_path / "old.seqae")
    monkeypatch.setattr(sklearn_seqae._persistence, "__version__", "99.0")
    saved = sklearn_seqae.__version__
    with pytest.warns(
        UserWarning, match=f"saved by sklearn_seqae {saved}; this is 99.0"
    ):
        load(tmp_path / "old.seqae")


def test_failed_fit_leaves_fitted_estimator_unchanged():
    X, y = make_reversed_prefix(40, random_state=0)
    clf = Seq2SeqClassifier(input_type="tokens", units=4, epochs=1, random_state=0)
    clf.fit(X, y)
    before = clf.predict_proba(X)
    state = dict(clf.__dict__)
    with pytest.raises(ValueError, match="samples"):
        clf.fit(X, y[:-1])
    clf.set_params(warm_start=True)
    with pytest.raises(ValueError, match="partial_fit cannot continue.*token 1"):
        clf.partial_fit(X + 100, y)
    assert clf.__dict__.keys() == state.keys()
    np.testing.assert_array_equal(clf.predict_proba(X), before)


def test_non_finite_loss_stops_and_restores_finite_weights():
    X = np.sin(np.arange(40 * 6).reshape(40, 6))
    ae = LSTMAutoencoderTransformer(
        units=4, epochs=5, learning_rate=1e30, random_state=0
    )
    with pytest.warns(TrainingInterruptedWarning, match="loss became"):
        ae.fit(X)
    assert ae.n_iter_ < 5
    assert all(np.isfinite(w).all() for w in ae.model_.get_weights())
    assert np.isfinite(ae.transform(X)).all()


def test_keyboard_interrupt_keeps_last_epoch(monkeypatch):
    import keras

    X = np.sin(np.arange(40 * 6).reshape(40, 6))
    params = dict(units=4, batch_size=16, random_state=0)  # 3 batches per epoch
    two_epochs = LSTMAutoencoderTransformer(epochs=2, **params).fit(X).transform(X)
    original = keras.Model.train_on_batch
    calls = []

    def interrupted(self, *args, **kwargs):
        calls.append(1)
        if len(calls) == 8:  # the second batch of the third epoch
            raise KeyboardInterrupt
        return original(self, *args, **kwargs)

    monkeypatch.setattr(keras.Model, "train_on_batch", interrupted)
    ae = LSTMAutoencoderTransformer(epochs=10, **params)
    with pytest.warns(TrainingInterruptedWarning, match="after 2 completed"):
        ae.fit(X)
    assert ae.n_iter_ == 2 and len(ae.history_["loss"]) == 2
    np.testing.assert_allclose(ae.transform(X), two_epochs, rtol=1e-6)


def test_random_state_instances_and_unseeded_fits_differ():
    X = np.sin(np.arange(30 * 5).reshape(30, 5) / 4)

    def codes(random_state):
        ae = LSTMAutoencoderTransformer(units=3, epochs=1, random_state=random_state)
        return ae.fit(X).transform(X)

    np.testing.assert_array_equal(
        codes(np.random.RandomState(1)), codes(np.random.RandomState(1))
    )
    codes(5)  # a seeded fit leaves no global seed behind...
    assert not np.allclose(codes(None), codes(None))  # ...unseeded fits differ


@pytest.mark.no_model
def test_classifier_cross_validation_is_stratified():
    _, y = make_labelled_waves(30, random_state=0)
    clf = Seq2SeqClassifier()
    assert is_classifier(clf)
    assert isinstance(check_cv(3, y, classifier=is_classifier(clf)), StratifiedKFold)


def test_grid_search_with_two_processes():
    X, y = make_labelled_waves(60, length=8, random_state=0)
    search = GridSearchCV(
        Seq2SeqClassifier(epochs=2, random_state=0),
        {"units": [2, 4]},
        cv=2,
        n_jobs=2,
    ).fit(X, y)
    assert search.best_params_["units"] in (2, 4)
    assert search.predict(X).shape == (60,)


@pytest.mark.no_model
def test_clone_keeps_settings_nested_params_and_html_repr():
    from sklearn.pipeline import make_pipeline

    est = Seq2SeqRegressor(units=(5, 3), dropout=0.1, epochs=7, random_state=3)
    assert clone(est).get_params() == est.get_params()
    pipe = make_pipeline(LSTMAutoencoderTransformer(units=3), est)
    pipe.set_params(
        seq2seqregressor__epochs=9, lstmautoencodertransformer__reverse=True
    )
    params = pipe.get_params()
    assert params["seq2seqregressor__epochs"] == 9
    assert params["lstmautoencodertransformer__reverse"] is True
    html = estimator_html_repr(pipe)
    assert "Seq2SeqRegressor" in html and "LSTMAutoencoderTransformer" in html


@pytest.mark.parametrize(
    "make, legacy",
    [
        (
            lambda X: LSTMAutoencoderTransformer(units=2, epochs=1).fit(X),
            {"_fit_2d": True},
        ),
        (
            lambda X: Seq2SeqClassifier(units=2, epochs=1).fit(X, np.arange(8) % 2),
            {"_single_label": True},
        ),
        (
            lambda X: Seq2SeqRegressor(units=2, epochs=1).fit(X, X[:, 0]),
            {"_target_ndim": 1},
        ),
        (
            lambda X: TimestepRegressor(units=2, epochs=1).fit(X, 2 * X),
            {"_squeeze_output": True},
        ),
    ],
    ids=["autoencoder", "classifier", "regressor", "per-step"],
)
def test_a_state_saved_by_0_2_keeps_its_output_layout(make, legacy):
    # 0.2 recorded the output layout in four differently named attributes.
    X = np.sin(np.arange(8 * 5).reshape(8, 5) / 3.0)
    estimator = make(X)
    method = "inverse_transform" if hasattr(estimator, "transform") else "predict"
    argument = estimator.transform(X) if method == "inverse_transform" else X
    state = estimator.__getstate__()
    assert state.pop("_dropped_axes") != ()
    old = type(estimator).__new__(type(estimator))
    old.__setstate__({**state, **legacy})
    expected = getattr(estimator, method)(argument)
    got = getattr(old, method)(argument)
    assert got.shape == expected.shape
    np.testing.assert_array_equal(got, expected)


def test_a_state_saved_by_0_2_names_the_code_readout():
    X = np.sin(np.arange(8 * 5).reshape(8, 5) / 3.0)
    ae = LSTMAutoencoderTransformer(units=2, epochs=1, code="mean_max").fit(X)
    state = ae.__getstate__()
    config = dict(state["_config"])
    config["readout"] = config.pop("code")
    old = LSTMAutoencoderTransformer.__new__(LSTMAutoencoderTransformer)
    old.__setstate__({**state, "_config": config})
    assert old._config == ae._config
    np.testing.assert_array_equal(old.transform(X), ae.transform(X))
