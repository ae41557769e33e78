"""polars frames: the long, nested and wide layouts, read and written back."""

import numpy as np
import pandas as pd
import pytest

from sklearn_seqae import (
    LSTMAnomalyDetector,
    LSTMAutoencoderTransformer,
    Seq2SeqClassifier,
    Seq2SeqRegressor,
    TimestepClassifier,
    TimestepRegressor,
    from_sequence_list,
    to_sequence_list,
)
from sklearn_seqae._sequences import check_sequences

pl = pytest.importorskip("polars")


def _long_rows(seed=0, lengths=(4, 6, 3, 5, 6, 4)):
    """Rows (instance, time, x, y) of ragged sequences, shuffled."""
    rng = np.random.default_rng(seed)
    rows = [
        (f"s{i}", t, float(rng.normal()), float(rng.normal()))
        for i, n in enumerate(lengths)
        for t in range(n)
    ]
    return [rows[i] for i in rng.permutation(len(rows))]


def _pandas_long(rows):
    frame = pd.DataFrame(rows, columns=["instance", "time", "x", "y"])
    return frame.set_index(["instance", "time"])


def _polars_long(rows):
    return pl.DataFrame(rows, schema=["instance", "time", "x", "y"], orient="row")


def _frames(layout, seed=0):
    """The same sequences as an equal pandas and polars frame."""
    if layout == "long":
        rows = _long_rows(seed)
        return _pandas_long(rows), _polars_long(rows)
    rng = np.random.default_rng(seed)
    if layout == "wide":
        values = rng.normal(size=(6, 5))
        names = [f"t{j}" for j in range(5)]
        return pd.DataFrame(values, columns=names), pl.DataFrame(
            values, schema=names, orient="row"
        )
    cells = [rng.normal(size=n) for n in (4, 6, 3, 5, 6, 4)]
    return (
        pd.DataFrame({"x": pd.Series(cells, dtype=object)}),
        pl.DataFrame({"x": [c.tolist() for c in cells]}),
    )


# ---------------------------------------------------------------------------
# reading
# ---------------------------------------------------------------------------


@pytest.mark.no_model
@pytest.mark.parametrize("layout", ["long", "nested", "wide"])
def test_polars_frame_reads_like_the_equal_pandas_frame(layout):
    pandas_frame, polars_frame = _frames(layout)
    a = check_sequences(pandas_frame, dtype=np.float64)
    b = check_sequences(polars_frame, dtype=np.float64)
    assert b.layout == a.layout
    assert b.frame_library == "polars" and a.frame_library == "pandas"
    np.testing.assert_array_equal(b.lengths, a.lengths)
    np.testing.assert_array_equal(b.values, a.values)


@pytest.mark.no_model
def test_long_frame_keeps_first_appearance_and_sorts_time():
    frame = pl.DataFrame(
        {"instance": ["b", "a", "b", "a"], "time": [1, 0, 0, 1], "v": [2, 3, 1, 4]}
    )
    assert [s.tolist() for s in to_sequence_list(frame)] == [[1, 2], [3, 4]]


@pytest.mark.no_model
def test_long_frame_with_string_times_keeps_their_order():
    frame = pl.DataFrame(
        {"instance": [0, 0, 0], "time": ["t2", "t10", "t1"], "v": [1, 2, 3]}
    )
    assert to_sequence_list(frame)[0].tolist() == [1, 2, 3]


@pytest.mark.no_model
def test_long_frame_with_datetime_times_sorts_them():
    days = pl.Series(["2024-01-03", "2024-01-01", "2024-01-02"]).str.to_date()
    frame = pl.DataFrame({"instance": [7, 7, 7], "time": days, "v": [3.0, 1.0, 2.0]})
    assert to_sequence_list(frame)[0].tolist() == [1.0, 2.0, 3.0]


@pytest.mark.no_model
def test_nested_frame_of_fixed_width_arrays():
    frame = pl.DataFrame(
        {"x": [[1.0, 2.0], [3.0, 4.0]]}, schema={"x": pl.Array(pl.Float64, 2)}
    )
    np.testing.assert_array_equal(to_sequence_list(frame), [[1, 2], [3, 4]])


# ---------------------------------------------------------------------------
# writing
# ---------------------------------------------------------------------------


@pytest.mark.no_model
@pytest.mark.parametrize("layout", ["long", "nested", "wide"])
def test_from_sequence_list_returns_a_polars_frame(layout):
    pandas_frame, polars_frame = _frames(layout)
    doubled = [2 * s for s in to_sequence_list(polars_frame)]
    out = from_sequence_list(doubled, like=polars_frame)
    assert isinstance(out, pl.DataFrame)
    expected = from_sequence_list(doubled, like=pandas_frame)
    if layout == "long":
        expected = expected.reset_index()
        assert out.columns == ["instance", "time", "x", "y"]
        assert out["instance"].to_list() == expected["instance"].tolist()
        assert out["time"].to_list() == expected["time"].tolist()
        np.testing.assert_array_equal(
            out.select("x", "y").to_numpy(), expected[["x", "y"]]
        )
    elif layout == "nested":
        assert out.columns == ["x"]
        for got, want in zip(out["x"].to_list(), expected["x"], strict=True):
            np.testing.assert_array_equal(got, want)
    else:
        assert out.columns == list(expected.columns)
        np.testing.assert_array_equal(out.to_numpy(), expected.to_numpy())


@pytest.mark.no_model
def test_long_output_of_other_lengths_numbers_the_steps():
    _, frame = _frames("long")
    out = from_sequence_list(
        [np.ones(2)] * 6, like=frame.select("instance", "time", "x")
    )
    assert out["time"].to_list() == [0, 1] * 6


# ---------------------------------------------------------------------------
# every estimator: a polars frame and the equal pandas frame agree bit for bit
# ---------------------------------------------------------------------------


def _tiny(estimator):
    return estimator.set_params(units=3, epochs=2, batch_size=4, random_state=0)


def test_autoencoder_codes_and_reconstructions_are_identical():
    pandas_frame, polars_frame = _frames("long")
    a = _tiny(LSTMAutoencoderTransformer()).fit(pandas_frame)
    b = _tiny(LSTMAutoencoderTransformer()).fit(polars_frame)
    np.testing.assert_array_equal(b.transform(polars_frame), a.transform(pandas_frame))
    np.testing.assert_array_equal(b.transform(pandas_frame), a.transform(pandas_frame))
    recon = b.reconstruct(polars_frame)
    assert isinstance(recon, pl.DataFrame)
    expected = a.reconstruct(pandas_frame).reset_index()
    np.testing.assert_array_equal(
        recon.select("x", "y").to_numpy(), expected[["x", "y"]]
    )
    assert list(b.feature_names_in_) == ["x", "y"]


@pytest.mark.parametrize("output", ["polars", "pandas"])
def test_autoencoder_set_output(output):
    _, polars_frame = _frames("long")
    est = _tiny(LSTMAutoencoderTransformer()).fit(polars_frame)
    plain = est.transform(polars_frame)
    codes = est.set_output(transform=output).transform(polars_frame)
    kind = pl.DataFrame if output == "polars" else pd.DataFrame
    assert isinstance(codes, kind)
    assert list(codes.columns) == list(est.get_feature_names_out())
    np.testing.assert_array_equal(np.asarray(codes), plain)


@pytest.mark.parametrize("layout", ["long", "nested", "wide"])
@pytest.mark.parametrize(
    "make", [Seq2SeqClassifier, Seq2SeqRegressor], ids=["classifier", "regressor"]
)
def test_seq2seq_predictions_are_identical(make, layout):
    pandas_frame, polars_frame = _frames(layout)
    n = check_sequences(pandas_frame).n_samples
    y = np.arange(n) % 2 if make is Seq2SeqClassifier else np.linspace(0, 1, n)
    a = _tiny(make()).fit(pandas_frame, y)
    b = _tiny(make()).fit(polars_frame, y)
    np.testing.assert_array_equal(b.predict(polars_frame), a.predict(pandas_frame))


@pytest.mark.parametrize("layout", ["long", "nested"])
def test_timestep_classifier_predictions_are_identical(layout):
    pandas_frame, polars_frame = _frames(layout)
    labels = [
        (np.arange(len(s)) % 2).astype(float) for s in to_sequence_list(pandas_frame)
    ]
    a = _tiny(TimestepClassifier()).fit(pandas_frame, labels)
    b = _tiny(TimestepClassifier()).fit(polars_frame, labels)
    got, want = b.predict(polars_frame), a.predict(pandas_frame)
    assert isinstance(got, pl.DataFrame)
    assert got.columns[-1] == "prediction"
    flat = got["prediction"].to_list()
    if layout == "nested":
        flat = [v for row in flat for v in row]
        # Named after what is predicted in both libraries, not after X's "x".
        assert want.columns.tolist() == ["prediction"]
        want = [v for row in want["prediction"] for v in row]
    np.testing.assert_array_equal(flat, np.asarray(want))
    assert b.score(polars_frame, labels) == a.score(pandas_frame, labels)
    if layout == "long":
        assert b.score(polars_frame, got) == 1.0
    proba_b = b.predict_proba(polars_frame)
    proba_a = a.predict_proba(pandas_frame)
    assert proba_a.columns.tolist() == [0.0, 1.0]  # classes_, not X's columns
    assert proba_b.columns[-2:] == ["0.0", "1.0"]
    if layout == "long":
        np.testing.assert_array_equal(
            proba_b.select(proba_b.columns[2:]).to_numpy(), proba_a.to_numpy()
        )


def test_timestep_regressor_predictions_are_identical():
    pandas_frame, polars_frame = _frames("long")
    targets = [s[:, :1] * 2 for s in to_sequence_list(pandas_frame)]
    y_pd = from_sequence_list(targets, like=pandas_frame[["x"]])
    y_pl = from_sequence_list(
        targets, like=polars_frame.select("instance", "time", "x")
    )
    a = _tiny(TimestepRegressor()).fit(pandas_frame, y_pd)
    b = _tiny(TimestepRegressor()).fit(polars_frame, y_pl)
    got, want = b.predict(polars_frame), a.predict(pandas_frame)
    assert isinstance(got, pl.DataFrame)
    np.testing.assert_array_equal(
        got.select(got.columns[2:]).to_numpy(), np.asarray(want)
    )
    assert b.score(polars_frame, y_pl) == a.score(pandas_frame, y_pd)


def test_anomaly_detector_scores_are_identical():
    pandas_frame, polars_frame = _frames("long")
    a = _tiny(LSTMAnomalyDetector()).fit(pandas_frame)
    b = _tiny(LSTMAnomalyDetector()).fit(polars_frame)
    np.testing.assert_array_equal(
        b.score_samples(polars_frame), a.score_samples(pandas_frame)
    )
    assert b.offset_ == a.offset_
    for got, want in zip(
        b.score_steps(polars_frame), a.score_steps(pandas_frame), strict=True
    ):
        np.testing.assert_array_equal(got, want)


def test_anomaly_detector_reads_a_polars_stream():
    values = np.sin(np.arange(600) / 5.0)
    a = _tiny(LSTMAnomalyDetector(window=30)).fit(values)
    b = _tiny(LSTMAnomalyDetector(window=30)).fit(pl.DataFrame({"v": values}))
    np.testing.assert_array_equal(
        b.score_samples(pl.Series("v", values)), a.score_samples(values)
    )
    assert list(b.feature_names_in_) == ["v"]


def test_a_long_y_with_string_times_is_matched_by_time_label():
    rng = np.random.default_rng(0)
    X = pl.DataFrame(
        {
            "instance": np.repeat(list("abcd"), 3),
            "time": ["t0", "t1", "t2"] * 4,
            "x": rng.normal(size=12),
        }
    )
    y = X.select("instance", "time", (pl.col("x") * 2).alias("y"))
    reg = TimestepRegressor(units=4, epochs=2, random_state=0).fit(X, y)
    pred = reg.predict(X)
    assert reg.score(X, pred.sample(fraction=1.0, shuffle=True, seed=1)) == 1.0
    renamed = pred.with_columns(pl.col("time").str.replace("t2", "t9"))
    with pytest.raises(ValueError, match="has time 't2', which y lacks"):
        reg.score(X, renamed)


def test_wide_predictions_keep_the_step_columns_and_score():
    rng = np.random.default_rng(0)
    X = pl.DataFrame(rng.normal(size=(10, 5)), schema=[f"t{i}" for i in range(5)])
    y = rng.integers(0, 2, size=(10, 5))
    clf = _tiny(TimestepClassifier()).fit(X, y)
    pred = clf.predict(X)
    assert pred.columns == X.columns and pred.shape == (10, 5)
    assert clf.score(X, pred) == 1.0


def test_classes_named_like_the_id_columns_leave_the_ids_alone():
    values = np.random.default_rng(0).normal(size=24)
    X = pl.DataFrame(
        {
            "instance": np.repeat(np.arange(6), 4),
            "time": np.tile(np.arange(4), 6),
            "f": values,
        }
    )
    y = np.where(values > 0, "time", "other").reshape(6, 4)
    proba = _tiny(TimestepClassifier()).fit(X, y).predict_proba(X)
    assert proba.columns == ["instance", "time", "0", "1"]
    assert proba["time"].to_list() == X["time"].to_list()
