"""LSTMAnomalyDetector: thresholds, per-step scores, streams, bad input."""

import pickle

import numpy as np
import pandas as pd
import pytest

import sklearn_seqae._anomaly as anomaly_module
from sklearn_seqae import LSTMAnomalyDetector, load


def _tiny(**params):
    return LSTMAnomalyDetector(
        **{**dict(units=4, epochs=2, batch_size=16, random_state=0), **params}
    )


def _stream(n=3000, seed=0):
    rng = np.random.default_rng(seed)
    t = np.arange(n)
    return np.sin(2 * np.pi * t / 40) + 0.05 * rng.normal(size=n)


@pytest.fixture(scope="module")
def stream_detector():
    return _tiny(window=40, stride=10, units=8, epochs=10).fit(_stream())


# ---------------------------------------------------------------------------
# the threshold
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("contamination", [0.05, 0.2])
def test_predict_marks_about_contamination_of_the_training_sequences(contamination):
    X = np.sin(np.linspace(0, 6, 12))[None, :] + np.random.default_rng(0).normal(
        0, 0.3, size=(200, 12)
    )
    detector = _tiny(contamination=contamination).fit(X)
    flagged = np.mean(detector.predict(X) == -1)
    assert abs(flagged - contamination) <= 0.02
    np.testing.assert_allclose(
        detector.decision_function(X), detector.score_samples(X) - detector.offset_
    )


def test_auto_threshold_is_the_box_plot_fence_of_log_training_errors():
    X = np.random.default_rng(1).normal(size=(100, 8))
    detector = _tiny().fit(X)
    q1, q3 = np.percentile(np.log(-detector.score_samples(X)), [25, 75])
    assert detector.offset_ == pytest.approx(-np.exp(q3 + 1.5 * (q3 - q1)))


def test_auto_threshold_flags_a_spike_in_a_stream(stream_detector):
    test = _stream(seed=1)
    test[1500] += 3.0
    labels = stream_detector.predict(test)
    assert labels[1500] == -1
    # Located to within a window (40 points) of the spike.
    assert np.argmin(stream_detector.score_samples(test)) in range(1461, 1540)
    assert np.mean(labels == -1) < 0.1


# ---------------------------------------------------------------------------
# where, not only whether
# ---------------------------------------------------------------------------


def test_step_scores_have_each_sequences_own_length_and_ignore_padding():
    rng = np.random.default_rng(0)
    X = [rng.normal(size=n) for n in (5, 9, 7, 9, 6, 8)]
    detector = _tiny().fit(X)
    steps = detector.score_steps(X)
    assert [len(s) for s in steps] == [5, 9, 7, 9, 6, 8]
    alone = detector.score_steps([X[0]])[0]
    np.testing.assert_allclose(steps[0], alone, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(
        detector.score_samples(X)[0], detector.score_samples([X[0]])[0], rtol=1e-5
    )
    np.testing.assert_allclose(
        detector.score_samples(X), [s.mean() for s in steps], rtol=1e-5
    )


def test_step_scores_point_at_the_fault():
    X = np.tile(np.sin(np.linspace(0, 6, 20)), (64, 1))
    X += np.random.default_rng(0).normal(0, 0.02, size=X.shape)
    detector = _tiny(epochs=30, learning_rate=0.01).fit(X)
    faulty = X[:1].copy()
    faulty[0, 12] += 3.0
    assert np.argmin(detector.score_steps(faulty)[0]) == 12


# ---------------------------------------------------------------------------
# streams
# ---------------------------------------------------------------------------


def test_stream_scores_one_value_per_point(stream_detector):
    scores = stream_detector.score_samples(_stream(1234, seed=2))
    assert scores.shape == (1234,) and np.isfinite(scores).all()
    assert stream_detector.stride_ == 10


def test_stream_scored_whole_equals_scored_in_chunks(stream_detector, monkeypatch):
    test = _stream(1000, seed=3)
    whole = stream_detector.score_samples(test)
    monkeypatch.setattr(anomaly_module, "STREAM_CHUNK_WINDOWS", 7)
    np.testing.assert_allclose(
        stream_detector.score_samples(test), whole, rtol=1e-5, atol=1e-7
    )


def test_save_load_and_pickle_keep_scores_and_threshold(stream_detector, tmp_path):
    test = _stream(600, seed=4)
    path = tmp_path / "detector.seqae"
    stream_detector.save(path)
    for again in (load(path), pickle.loads(pickle.dumps(stream_detector))):
        assert isinstance(again, LSTMAnomalyDetector)
        assert again.get_params() == stream_detector.get_params()
        assert (again.offset_, again.stride_) == (
            stream_detector.offset_,
            stream_detector.stride_,
        )
        np.testing.assert_array_equal(
            again.score_samples(test), stream_detector.score_samples(test)
        )
    _tiny().save(path)
    assert not hasattr(load(path), "autoencoder_")


def test_pandas_stream_keeps_its_time_index(stream_detector):
    index = pd.date_range("2026-01-01", periods=500, freq="min")
    scores = stream_detector.score_samples(pd.Series(_stream(500), index=index))
    assert isinstance(scores, pd.Series) and scores.index.equals(index)


def test_multivariate_stream_and_its_feature_count():
    rng = np.random.default_rng(0)
    values = np.stack([_stream(800), 10 * _stream(800, seed=1)], axis=1)
    detector = _tiny(window=30).fit(values)
    assert detector.n_features_in_ == 2
    assert detector.score_samples(values + rng.normal(0, 0.01, values.shape)).shape == (
        800,
    )
    with pytest.raises(ValueError, match="2 features per point|fitted on 2"):
        detector.score_samples(values[:, :1])
    # A frame's columns are matched by name, as in scikit-learn.
    frame = pd.DataFrame(values, columns=["a", "b"])
    detector.fit(frame)
    np.testing.assert_array_equal(detector.feature_names_in_, ["a", "b"])
    assert detector.score_samples(frame).shape == (800,)
    for wrong in (frame[["b", "a"]], frame.rename(columns={"a": "z"})):
        with pytest.raises(ValueError, match="feature names should match"):
            detector.score_samples(wrong)


@pytest.mark.no_model
def test_short_wide_stream_warns_that_it_may_be_transposed():
    with pytest.warns(UserWarning, match="pass X.T"):
        with pytest.raises(ValueError, match="fewer than one window"):
            _tiny(window=20).fit(np.zeros((3, 100)))


# ---------------------------------------------------------------------------
# bad input, refused before Keras
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "params, X, error, match",
    [
        (dict(window=50), np.zeros(30), ValueError, "30 points, fewer than one window"),
        (
            dict(window=10),
            np.r_[np.zeros(20), np.nan],
            ValueError,
            "NaN or infinity at point 20",
        ),
        (dict(window=10, stride=11), np.zeros(100), ValueError, "stride=11 is larger"),
        (dict(window=1), np.zeros(100), ValueError, "'window' parameter"),
        (dict(window=10, stride=0), np.zeros(100), ValueError, "'stride' parameter"),
        (dict(contamination=0.7), np.zeros((5, 4)), ValueError, "'contamination'"),
        (
            dict(window=10),
            [np.zeros(20), np.zeros(30)],
            ValueError,
            "list of sequences",
        ),
        (dict(window=10), np.zeros((2, 20, 1)), ValueError, "one stream"),
        (dict(), np.array([[1.0, np.nan]]), ValueError, "NaN or infinity"),
    ],
)
@pytest.mark.no_model
def test_bad_input_gets_a_clear_error_before_keras(no_keras, params, X, error, match):
    with pytest.raises(error, match=match):
        _tiny(**params).fit(X)


def test_score_steps_refuses_a_stream(stream_detector):
    with pytest.raises(ValueError, match="score_steps reads sequences"):
        stream_detector.score_steps(_stream(100))


def test_default_budget_is_the_detectors_own_1000_steps():
    # The transformer's "auto" budget is 600 steps; the detector's defaults
    # were chosen (and benchmarked) at 1,000.
    X = np.sin(np.linspace(0, 3, 6) + np.arange(16)[:, None])
    detector = LSTMAnomalyDetector(units=2, batch_size=16, random_state=0).fit(X)
    assert detector.autoencoder_.n_steps_ == 1000
    assert _tiny().fit(X).autoencoder_.n_iter_ == 2  # epochs set: epochs trained


def test_a_fit_that_raises_leaves_the_fitted_detector_as_it_was():
    X = np.sin(np.linspace(0, 3, 8) + np.arange(12)[:, None])
    detector = _tiny().fit(X)
    before = detector.score_samples(X)
    with pytest.raises(ValueError):
        detector.set_params(units=(3, 0)).fit(X)
    np.testing.assert_array_equal(detector.score_samples(X), before)
