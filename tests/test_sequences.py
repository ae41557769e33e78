"""Sequence input handling: accepted layouts, bad input, estimator checks."""

import re
import subprocess
import sys
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
from conftest import KerasReached
from sklearn.exceptions import NotFittedError
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import cross_val_score
from sklearn.pipeline import make_pipeline

from sklearn_seqae import (
    LSTMAutoencoderTransformer,
    SequenceLayoutWarning,
    from_sequence_list,
    to_sequence_list,
)
from sklearn_seqae._sequences import SequenceBatch, check_sequences, validate_sequences

# No input in this file may look transposed by accident: the tests that want
# the warning ask for it with pytest.warns.
pytestmark = pytest.mark.filterwarnings("error::sklearn_seqae.SequenceLayoutWarning")

# ---------------------------------------------------------------------------
# helpers
# ---------------------------------------------------------------------------


def _shuffled_multiindex_frame():
    """Two instances, "b" appearing first, rows in no particular order.

    The values encode (instance, time) so ordering mistakes are visible:
    x = 10 * instance_number + time, y = -x; "b" is instance 1 and "a" is 2.
    """
    rows = [("b", 2), ("a", 1), ("b", 0), ("a", 0), ("b", 1), ("a", 3), ("a", 2)]
    number = {"b": 1, "a": 2}
    x = [10.0 * number[i] + t for i, t in rows]
    index = pd.MultiIndex.from_tuples(rows, names=["instance", "time"])
    return pd.DataFrame({"x": x, "y": [-v for v in x]}, index=index)


def _nested_frame():
    """Two instances as sktime's nested_univ: rows "p" (3 steps) and "q" (2).

    Row "p" has Series cells with time labels 10, 20, 30; row "q" has arrays.
    """
    return pd.DataFrame(
        {
            "x": [pd.Series([1.0, 2.0, 3.0], index=[10, 20, 30]), np.array([4.0, 5.0])],
            "y": [pd.Series([-1.0, -2.0, -3.0], index=[10, 20, 30]), [-4.0, -5.0]],
        },
        index=pd.Index(["p", "q"], name="case"),
    )


def _string_time_frame():
    """Two instances "a", "b" with time labels "t0" .. "t11"; x equals the step."""
    index = pd.MultiIndex.from_product(
        [["a", "b"], [f"t{i}" for i in range(12)]], names=["instance", "time"]
    )
    return pd.DataFrame({"x": np.tile(np.arange(12.0), 2)}, index=index)


def _tiny(**params):
    return LSTMAutoencoderTransformer(
        **{**dict(units=2, epochs=1, random_state=0), **params}
    )


@pytest.fixture(scope="module")
def fitted():
    """A tiny autoencoder fitted on 3-D input with 2 features per step."""
    rng = np.random.RandomState(0)
    X = rng.normal(size=(8, 5, 2))
    return _tiny(batch_size=4).fit(X)


# ---------------------------------------------------------------------------
# 1. accepted layouts
# ---------------------------------------------------------------------------


@pytest.mark.no_model
def test_array2d_layout():
    X = np.arange(12.0).reshape(3, 4)
    batch = check_sequences(X)
    assert isinstance(batch, SequenceBatch)
    assert batch.layout == "array2d"
    assert batch.values.shape == (3, 4, 1)
    assert batch.n_samples == 3 and batch.max_length == 4 and batch.n_features == 1
    assert batch.values.dtype == np.float32
    np.testing.assert_array_equal(batch.values[..., 0], X)
    np.testing.assert_array_equal(batch.lengths, [4, 4, 4])
    assert batch.mask.all()
    out = batch.to_layout(batch.values)
    assert out.shape == X.shape
    np.testing.assert_array_equal(out, X)


@pytest.mark.no_model
def test_array3d_layout():
    X = np.arange(30.0).reshape(2, 5, 3)
    batch = check_sequences(X)
    assert batch.layout == "array3d"
    assert batch.values.shape == (2, 5, 3)
    assert batch.n_features == 3
    np.testing.assert_array_equal(batch.values, X)
    np.testing.assert_array_equal(batch.lengths, [5, 5])
    out = batch.to_layout(batch.values)
    assert out.shape == X.shape
    np.testing.assert_array_equal(out, X)


@pytest.mark.no_model
def test_ragged_list_of_1d_arrays():
    X = [np.array([1.0, 2.0, 3.0]), np.array([4.0]), np.array([5.0, 6.0])]
    batch = check_sequences(X)
    assert batch.layout == "ragged"
    assert batch.values.shape == (3, 3, 1)
    np.testing.assert_array_equal(batch.lengths, [3, 1, 2])
    expected = np.array([[1.0, 2.0, 3.0], [4.0, 0.0, 0.0], [5.0, 6.0, 0.0]])
    np.testing.assert_array_equal(batch.values[..., 0], expected)
    np.testing.assert_array_equal(
        batch.mask,
        [[True, True, True], [True, False, False], [True, True, False]],
    )
    out = batch.to_layout(batch.values)
    assert isinstance(out, list) and len(out) == 3
    for got, want in zip(out, X, strict=True):
        assert got.shape == want.shape
        np.testing.assert_array_equal(got, want)


@pytest.mark.no_model
def test_ragged_list_of_2d_arrays():
    rng = np.random.RandomState(0)
    X = [rng.normal(size=(n, 2)) for n in (2, 4, 3)]
    batch = check_sequences(X)
    assert batch.layout == "ragged"
    assert batch.values.shape == (3, 4, 2)
    np.testing.assert_array_equal(batch.lengths, [2, 4, 3])
    for i, seq in enumerate(X):
        np.testing.assert_allclose(batch.values[i, : len(seq)], seq, rtol=1e-6)
        # padding is zeros
        assert (batch.values[i, len(seq) :] == 0).all()
    np.testing.assert_array_equal(
        batch.mask,
        [
            [True, True, False, False],
            [True, True, True, True],
            [True, True, True, False],
        ],
    )
    out = batch.to_layout(batch.values)
    assert [o.shape for o in out] == [(2, 2), (4, 2), (3, 2)]
    for got, want in zip(out, X, strict=True):
        np.testing.assert_allclose(got, want, rtol=1e-6)


@pytest.mark.no_model
def test_ragged_mixed_1d_and_single_feature_2d_keep_their_shapes():
    X = [np.arange(3.0), np.arange(4.0).reshape(4, 1)]
    batch = check_sequences(X)
    assert batch.layout == "ragged"
    assert batch.n_features == 1
    out = batch.to_layout(batch.values)
    assert [o.shape for o in out] == [(3,), (4, 1)]


@pytest.mark.no_model
def test_tuple_and_object_array_of_arrays_are_ragged():
    seqs = (np.arange(3.0), np.arange(5.0))
    obj = np.empty(2, dtype=object)
    obj[0], obj[1] = seqs
    for X in (seqs, obj):
        batch = check_sequences(X)
        assert batch.layout == "ragged"
        np.testing.assert_array_equal(batch.lengths, [3, 5])


@pytest.mark.no_model
def test_list_of_equal_length_lists_is_dense():
    X = [[1, 2, 3], [4, 5, 6]]
    batch = check_sequences(X)
    assert batch.layout == "array2d"
    assert batch.values.shape == (2, 3, 1)
    np.testing.assert_array_equal(batch.values[..., 0], X)
    out = batch.to_layout(batch.values)
    assert isinstance(out, np.ndarray) and out.shape == (2, 3)

    X3 = [[[1, 2], [3, 4]], [[5, 6], [7, 8]]]
    batch3 = check_sequences(X3)
    assert batch3.layout == "array3d"
    assert batch3.values.shape == (2, 2, 2)


@pytest.mark.no_model
def test_multiindex_dataframe_shuffled_rows():
    X = _shuffled_multiindex_frame()
    batch = check_sequences(X)
    assert batch.layout == "multiindex"
    # instances in order of first appearance: "b" then "a"
    assert list(batch.instance_index) == ["b", "a"]
    np.testing.assert_array_equal(batch.lengths, [3, 4])
    assert batch.values.shape == (2, 4, 2)
    # values ordered by time within each instance, zero padded
    np.testing.assert_array_equal(batch.values[0, :, 0], [10, 11, 12, 0])
    np.testing.assert_array_equal(batch.values[1, :, 0], [20, 21, 22, 23])
    np.testing.assert_array_equal(batch.values[0, :, 1], [-10, -11, -12, 0])
    np.testing.assert_array_equal(batch.mask[0], [True, True, True, False])
    assert list(batch.feature_names) == ["x", "y"]


@pytest.mark.no_model
def test_multiindex_round_trip():
    X = _shuffled_multiindex_frame()
    batch = check_sequences(X)
    out = batch.to_layout(batch.values)
    assert isinstance(out, pd.DataFrame)
    assert list(out.columns) == list(X.columns)
    assert list(out.index.names) == list(X.index.names)
    assert sorted(out.index.tolist()) == sorted(X.index.tolist())
    # each (instance, time) row carries its own values back
    np.testing.assert_array_equal(out.to_numpy(), X.loc[out.index].to_numpy())
    # instances grouped in order of first appearance, time sorted within
    assert out.index.tolist() == [
        ("b", 0),
        ("b", 1),
        ("b", 2),
        ("a", 0),
        ("a", 1),
        ("a", 2),
        ("a", 3),
    ]


@pytest.mark.no_model
def test_multiindex_non_string_columns_have_no_feature_names():
    X = _shuffled_multiindex_frame()
    X.columns = [0, 1]
    assert check_sequences(X).feature_names is None


@pytest.mark.no_model
def test_wide_dataframe():
    X = pd.DataFrame(
        np.arange(6.0).reshape(2, 3), index=["p", "q"], columns=["t0", "t1", "t2"]
    )
    batch = check_sequences(X)
    assert batch.layout == "wide"
    assert batch.values.shape == (2, 3, 1)
    np.testing.assert_array_equal(batch.values[..., 0], X.to_numpy())
    # the columns of a wide frame are time steps, not feature names
    assert batch.feature_names is None
    out = batch.to_layout(batch.values)
    assert isinstance(out, pd.DataFrame)
    pd.testing.assert_frame_equal(out, X, check_dtype=False)


@pytest.mark.no_model
def test_nested_dataframe_layout():
    X = _nested_frame()
    batch = check_sequences(X)
    assert batch.layout == "nested"
    assert batch.values.shape == (2, 3, 2)
    np.testing.assert_array_equal(batch.lengths, [3, 2])
    np.testing.assert_array_equal(batch.values[0], [[1, -1], [2, -2], [3, -3]])
    np.testing.assert_array_equal(batch.values[1], [[4, -4], [5, -5], [0, 0]])
    assert list(batch.feature_names) == ["x", "y"]
    est = _Stand()
    validate_sequences(est, X, reset=True)
    assert est.n_features_in_ == 2
    np.testing.assert_array_equal(est.feature_names_in_, ["x", "y"])


@pytest.mark.no_model
def test_nested_dataframe_round_trip():
    X = _nested_frame()
    batch = check_sequences(X)
    out = batch.to_layout(batch.values)
    assert isinstance(out, pd.DataFrame)
    assert out.index.equals(X.index) and list(out.columns) == ["x", "y"]
    for i in range(2):
        for column in ("x", "y"):
            cell = out[column].iloc[i]
            assert isinstance(cell, pd.Series)
            np.testing.assert_array_equal(
                cell.to_numpy(), np.asarray(X[column].iloc[i])
            )
    # Series cells keep their time labels; array cells get 0 .. T-1
    assert list(out["x"].iloc[0].index) == [10, 20, 30]
    assert list(out["y"].iloc[1].index) == [0, 1]
    # a different number of outputs gets default column names
    one = batch.to_layout(batch.values[..., :1])
    assert list(one.columns) == [0] and one.index.equals(X.index)
    np.testing.assert_array_equal(one[0].iloc[1].to_numpy(), [4.0, 5.0])


def test_nested_dataframe_through_an_estimator(fitted):
    X = _nested_frame()
    recon = fitted.reconstruct(X)
    assert isinstance(recon, pd.DataFrame) and recon.index.equals(X.index)
    assert [len(cell) for cell in recon["y"]] == [3, 2]
    assert fitted.transform(X).shape == (2, fitted.code_size_)


@pytest.mark.no_model
def test_multiindex_string_time_labels_keep_their_order():
    X = _string_time_frame()
    batch = check_sequences(X)
    # "t10" sorted as text would come before "t2"
    np.testing.assert_array_equal(batch.values[0, :, 0], np.arange(12))
    np.testing.assert_array_equal(batch.values[1, :, 0], np.arange(12))
    out = batch.to_layout(batch.values)
    assert out.index.equals(X.index)
    np.testing.assert_array_equal(out["x"].to_numpy(), X["x"].to_numpy())


@pytest.mark.no_model
def test_multiindex_string_time_labels_in_given_order_per_instance():
    rows = [("a", "late"), ("b", "z"), ("a", "early"), ("b", "y"), ("a", "mid")]
    X = pd.DataFrame(
        {"v": [0.0, 10.0, 1.0, 11.0, 2.0]}, index=pd.MultiIndex.from_tuples(rows)
    )
    batch = check_sequences(X)
    np.testing.assert_array_equal(batch.values[0, :, 0], [0, 1, 2])
    np.testing.assert_array_equal(batch.values[1, :2, 0], [10, 11])
    out = batch.to_layout(batch.values)
    assert out.index.tolist() == [
        ("a", "late"),
        ("a", "early"),
        ("a", "mid"),
        ("b", "z"),
        ("b", "y"),
    ]


@pytest.mark.no_model
def test_multiindex_datetime_time_level_is_sorted():
    days = pd.to_datetime(["2024-01-03", "2024-01-01", "2024-01-02"])
    X = pd.DataFrame(
        {"v": [3.0, 1.0, 2.0]}, index=pd.MultiIndex.from_arrays([[0, 0, 0], days])
    )
    batch = check_sequences(X)
    np.testing.assert_array_equal(batch.values[0, :, 0], [1, 2, 3])
    out = batch.to_layout(batch.values)
    assert list(out.index.get_level_values(1)) == sorted(days)


@pytest.mark.no_model
def test_multiindex_time_labels_kept_where_lengths_match():
    X = _string_time_frame()
    batch = check_sequences(X)
    out = batch.to_layout(batch.values[:, :12], lengths=[12, 3])
    assert list(out.loc["a"].index) == [f"t{i}" for i in range(12)]
    assert list(out.loc["b"].index) == [0, 1, 2]


@pytest.mark.no_model
def test_take_keeps_the_pandas_layout():
    X = _string_time_frame()
    sub = check_sequences(X).take(np.array([1]))
    out = sub.to_layout(sub.values)
    assert out.index.equals(X.loc[["b"]].index)
    nested = check_sequences(_nested_frame()).take(np.array([1]))
    assert list(nested.to_layout(nested.values).index) == ["q"]


@pytest.mark.no_model
def test_dtype_and_ints():
    batch = check_sequences(np.arange(6).reshape(2, 3), dtype=np.float64)
    assert batch.values.dtype == np.float64
    np.testing.assert_array_equal(batch.values[..., 0], [[0, 1, 2], [3, 4, 5]])


@pytest.mark.no_model
def test_ensure_finite_false_allows_nan():
    X = np.array([[1.0, np.nan]])
    batch = check_sequences(X, ensure_finite=False)
    assert np.isnan(batch.values[0, 1, 0])


# ---------------------------------------------------------------------------
# 2. catalogue of bad inputs
# ---------------------------------------------------------------------------

_multiindex3 = pd.DataFrame(
    {"a": np.arange(8.0)},
    index=pd.MultiIndex.from_product([[0, 1], [0, 1], [0, 1]]),
)

_nested_unequal = _nested_frame()
_nested_unequal.at["q", "y"] = np.array([-4.0, -5.0, -6.0])
_nested_string = _nested_frame()
_nested_string.at["q", "y"] = pd.Series([1.0, "x"], dtype=object)
_nested_scalar = _nested_frame()
_nested_scalar.at["q", "y"] = 3.0
_nested_2d = _nested_frame()
_nested_2d.at["q", "y"] = np.zeros((2, 2))

_mixed_obj_seq = np.empty(2, dtype=object)
_mixed_obj_seq[0], _mixed_obj_seq[1] = 1.0, np.zeros(2)

BAD_INPUTS = [
    pytest.param(
        np.array([[[1.0], [2.0]], [[3.0], [4.0]], [[5.0], [np.nan]]]),
        ValueError,
        r"NaN.*sequence 2 has NaN at time step 1",
        id="nan-dense",
    ),
    pytest.param(
        [np.zeros(3), np.zeros(4), np.array([1.0, 2.0, np.inf])],
        ValueError,
        r"sequence 2 has infinity at time step 2",
        id="inf-ragged",
    ),
    pytest.param(
        np.empty((0, 5)),
        ValueError,
        r"0 sample\(s\).*X is empty",
        id="empty-array",
    ),
    pytest.param(
        np.empty((0, 5, 2)),
        ValueError,
        r"0 sample\(s\)",
        id="empty-array-3d",
    ),
    pytest.param([], ValueError, r"empty list", id="empty-list"),
    pytest.param(
        [np.zeros(3), np.zeros(4), np.zeros(0)],
        ValueError,
        r"sequence 2 has length 0",
        id="zero-length-sequence",
    ),
    pytest.param(
        [np.zeros((3, 2)), np.zeros((0, 2))],
        ValueError,
        r"sequence 1 has length 0",
        id="zero-length-2d-sequence",
    ),
    pytest.param(
        np.empty((3, 0)),
        ValueError,
        r"0 feature\(s\).*length 0",
        id="zero-columns",
    ),
    pytest.param(
        np.empty((3, 4, 0)),
        ValueError,
        r"0 features per time step",
        id="zero-features-3d",
    ),
    pytest.param(
        [np.zeros((3, 0)), np.zeros((4, 0))],
        ValueError,
        r"0 features per time step",
        id="zero-features-ragged",
    ),
    pytest.param(
        np.arange(5.0),
        ValueError,
        r"1-D array.*Reshape your data",
        id="1d-array",
    ),
    pytest.param(
        np.zeros((2, 3, 4, 5)),
        ValueError,
        r"got a 4-D array of shape \(2, 3, 4, 5\)",
        id="4d-array",
    ),
    pytest.param(
        [1.0, 2.0, 3.0],
        ValueError,
        r"flat list of 3 numbers.*Reshape your data",
        id="flat-list",
    ),
    pytest.param(
        np.array([["a", "b"], ["c", "d"]]),
        ValueError,
        r"must contain numbers.*non-numeric",
        id="strings-in-array",
    ),
    pytest.param("abc", TypeError, r"X is a string", id="string-X"),
    pytest.param(b"abc", TypeError, r"X is a string", id="bytes-X"),
    pytest.param(
        [np.zeros((3, 2)), np.zeros((4, 2)), np.zeros((5, 3))],
        ValueError,
        r"sequence 2 has 3 features per time step, but sequence 0 has 2",
        id="ragged-feature-counts",
    ),
    pytest.param(
        [np.zeros(3), np.zeros(4), "abc"],
        TypeError,
        r"sequence 2 is a string",
        id="ragged-string-item",
    ),
    pytest.param(
        [np.zeros(3), np.zeros((2, 2, 2))],
        ValueError,
        r"sequence 1 has 3 dimensions",
        id="ragged-3d-item",
    ),
    pytest.param(
        [np.zeros(3), _mixed_obj_seq],
        ValueError,
        r"sequence 1 has steps of different shapes",
        id="object-array-mixed-shapes",
    ),
    pytest.param(
        [[1.0, 2.0, 3.0], [1.0, [2.0, 3.0]]],
        ValueError,
        r"sequence 1 is not a rectangular array",
        id="nested-list-mixed-shapes",
    ),
    pytest.param(
        np.array([[1 + 1j, 2.0]]),
        ValueError,
        r"Complex data not supported",
        id="complex-dense",
    ),
    pytest.param(
        [np.zeros(3), np.array([1 + 1j, 2.0])],
        ValueError,
        r"Complex data not supported.*sequence 1",
        id="complex-ragged",
    ),
    pytest.param(
        sp.csr_matrix(np.eye(3)), TypeError, r"sparse matrix", id="sparse-matrix"
    ),
    pytest.param(
        sp.csr_array(np.eye(3)), TypeError, r"sparse matrix", id="sparse-array"
    ),
    pytest.param(None, ValueError, r"X is None", id="none"),
    pytest.param(
        _multiindex3,
        ValueError,
        r"two-level MultiIndex.*3 levels",
        id="multiindex-3-levels",
    ),
    pytest.param(
        pd.DataFrame(
            {"a": [1.0, np.nan, 3.0]},
            index=pd.MultiIndex.from_tuples([(0, 0), (1, 0), (1, 1)]),
        ),
        ValueError,
        r"sequence 1 has NaN at time step 0",
        id="multiindex-nan",
    ),
    pytest.param(
        pd.DataFrame(
            {"a": ["x", "y", "z"]},
            index=pd.MultiIndex.from_tuples([(0, 0), (1, 0), (1, 1)]),
        ),
        ValueError,
        r"must contain numbers.*column 'a'",
        id="multiindex-string-column",
    ),
    pytest.param(
        _nested_unequal,
        ValueError,
        r"row 'q' \(sequence 1\) of the nested DataFrame has cells of different "
        r"lengths: column 'y' has 3 time steps, but column 'x' has 2",
        id="nested-unequal-row",
    ),
    pytest.param(
        _nested_string,
        ValueError,
        r"must contain numbers, but row 'q' \(sequence 1\), column 'y' holds a "
        r"non-numeric",
        id="nested-string-in-series",
    ),
    pytest.param(
        _nested_scalar,
        TypeError,
        r"row 'q' \(sequence 1\), column 'y' holds float 3.0; in a nested",
        id="nested-scalar-cell",
    ),
    pytest.param(
        _nested_2d,
        ValueError,
        r"column 'y' has shape \(2, 2\); in a nested DataFrame each cell is 1-D",
        id="nested-2d-cell",
    ),
    pytest.param(
        pd.DataFrame({"a": ["x", "y"], "b": ["z", "w"]}),
        ValueError,
        r"must contain numbers.*non-numeric",
        id="dataframe-of-strings",
    ),
    pytest.param(
        pd.DataFrame({"a": ["x", "y"], "b": ["z", "w"]}, dtype=object),
        ValueError,
        r"must contain numbers.*non-numeric",
        id="dataframe-of-string-objects",
    ),
    pytest.param(
        np.full((2, 3), 1e300),
        ValueError,
        r"too large for float32",
        id="too-large",
    ),
    pytest.param(
        [np.zeros(2), np.array([0.0, -1e300, 1.0])],
        ValueError,
        r"too large for float32",
        id="too-large-negative-ragged",
    ),
]


@pytest.mark.no_model
@pytest.mark.parametrize("X, error, match", BAD_INPUTS)
def test_check_sequences_rejects(X, error, match):
    with pytest.raises(error, match=match):
        check_sequences(X)


@pytest.mark.no_model
@pytest.mark.parametrize(
    "shape", [(5, 1, 3), (2, 3, 30), (1, 1, 2), (4, 2, 20)], ids=str
)
def test_transposed_looking_3d_array_warns_once(shape):
    with pytest.warns(SequenceLayoutWarning) as record:
        batch = check_sequences(np.zeros(shape))
    assert len(record) == 1
    n, t, f = shape
    assert str(record[0].message) == (
        f"X has shape {shape} and was read as {n} sequence(s) of {t} time step(s) "
        f"of {f} features: 3-D input is (n_samples, n_timesteps, n_features). If X "
        "is (n_samples, n_channels, n_timesteps), as sktime's numpy3D layout is, "
        "pass X.transpose(0, 2, 1)."
    )
    assert batch.values.shape == shape  # read as given, only warned about


@pytest.mark.no_model
@pytest.mark.parametrize(
    "X",
    [
        np.zeros((5, 1, 1)),
        np.zeros((5, 3, 29)),
        np.zeros((5, 2, 2)),
        np.zeros((5, 1)),
        [np.zeros((1, 3)), np.zeros((2, 3))],
        [np.zeros((1, 30))] * 2,
    ],
    ids=["1x1", "3x29", "2x2", "2d", "ragged", "ragged-equal"],
)
def test_other_inputs_do_not_warn(X):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        check_sequences(list(X) if isinstance(X, list) else X)


@pytest.mark.no_model
def test_transposed_warning_names_the_argument_and_fit_warns_once(no_keras):
    with pytest.warns(SequenceLayoutWarning, match=r"X_val.transpose\(0, 2, 1\)"):
        check_sequences(np.zeros((3, 1, 4)), name="X_val")
    with pytest.warns(SequenceLayoutWarning) as record:
        with pytest.raises(KerasReached):
            _tiny().fit(np.zeros((6, 1, 4)))
    assert len(record) == 1


@pytest.mark.no_model
def test_error_uses_the_given_name():
    with pytest.raises(ValueError, match=r"^Input X_val contains NaN"):
        check_sequences(np.array([[np.nan]]), name="X_val")
    with pytest.raises(ValueError, match=r"X_val: sequence 1 has length 0"):
        check_sequences([np.zeros(2), np.zeros(0)], name="X_val")


@pytest.mark.no_model
def test_ensure_finite_false_is_kept_for_series_of_arrays():
    X = pd.Series([np.array([1.0, np.nan]), np.array([1.0, 2.0, 3.0])])
    batch = check_sequences(X, ensure_finite=False)
    np.testing.assert_array_equal(batch.lengths, [2, 3])


@pytest.mark.no_model
def test_string_error_suggests_a_parameter_that_exists():
    from sklearn_seqae import Seq2SeqClassifier

    with pytest.raises(ValueError, match="must contain numbers") as excinfo:
        check_sequences(np.array([["a", "b"]]))
    assert "Seq2SeqClassifier(input_type='tokens')" in str(excinfo.value)
    assert "input_type" in Seq2SeqClassifier().get_params()


@pytest.mark.no_model
def test_multiindex_duplicate_rows_rejected():
    index = pd.MultiIndex.from_tuples([(0, 0), (0, 0), (1, 0)])
    X = pd.DataFrame({"a": [1.0, 2.0, 3.0]}, index=index)
    with pytest.raises(ValueError, match=re.compile("duplicate", re.I)):
        check_sequences(X)


@pytest.mark.no_model
def test_object_dtype_numeric_sequence_accepted():
    assert check_sequences(np.array([[1.0, 2.0]], dtype=object)).n_samples == 1
    X = [np.zeros(3), np.array([1.0, 2.0], dtype=object)]
    np.testing.assert_array_equal(check_sequences(X).lengths, [3, 2])


# ---------------------------------------------------------------------------
# 3. validate_sequences
# ---------------------------------------------------------------------------


class _Stand:
    """Minimal stand-in for a fitted estimator."""


@pytest.mark.no_model
def test_validate_sequences_reset_sets_n_features_in():
    est = _Stand()
    batch = validate_sequences(est, np.zeros((5, 7, 3)), reset=True)
    assert est.n_features_in_ == 3  # features per step, not time steps
    assert not hasattr(est, "feature_names_in_")
    assert batch.values.shape == (5, 7, 3)

    est2 = _Stand()
    validate_sequences(est2, np.zeros((5, 7)), reset=True)
    assert est2.n_features_in_ == 1


@pytest.mark.no_model
def test_validate_sequences_reset_sets_feature_names_in():
    est = _Stand()
    validate_sequences(est, _shuffled_multiindex_frame(), reset=True)
    assert est.n_features_in_ == 2
    np.testing.assert_array_equal(est.feature_names_in_, ["x", "y"])
    # refitting on data without names forgets the old names
    validate_sequences(est, np.zeros((2, 4, 2)), reset=True)
    assert not hasattr(est, "feature_names_in_")


@pytest.mark.no_model
def test_validate_sequences_feature_count_mismatch():
    est = _Stand()
    validate_sequences(est, np.zeros((5, 7, 3)), reset=True)
    with pytest.raises(
        ValueError, match=r"X has 2 features per time step.*_Stand.*expecting 3"
    ):
        validate_sequences(est, np.zeros((5, 7, 2)), reset=False)
    with pytest.raises(ValueError, match=r"4 features.*expecting 3"):
        validate_sequences(est, [np.zeros((2, 4)), np.zeros((3, 4))], reset=False)
    assert est.n_features_in_ == 3  # unchanged by reset=False


@pytest.mark.no_model
def test_validate_sequences_accepts_other_lengths_and_layouts():
    est = _Stand()
    validate_sequences(est, np.zeros((5, 7, 3)), reset=True)
    batch = validate_sequences(est, np.ones((2, 11, 3)), reset=False)
    assert batch.max_length == 11
    batch = validate_sequences(est, [np.ones((2, 3)), np.ones((9, 3))], reset=False)
    np.testing.assert_array_equal(batch.lengths, [2, 9])


@pytest.mark.no_model
def test_validate_sequences_feature_names_mismatch():
    est = _Stand()
    X = _shuffled_multiindex_frame()
    validate_sequences(est, X, reset=True)
    with pytest.raises(ValueError, match="feature names should match"):
        validate_sequences(est, X.rename(columns={"y": "z"}), reset=False)


@pytest.mark.no_model
def test_validate_sequences_propagates_input_errors():
    with pytest.raises(ValueError, match="sequence 1 has length 0"):
        validate_sequences(_Stand(), [np.zeros(2), np.zeros(0)], reset=True)


# ---------------------------------------------------------------------------
# 4. estimator level
# ---------------------------------------------------------------------------


@pytest.mark.no_model
@pytest.mark.parametrize("X, error, match", BAD_INPUTS)
def test_fit_rejects_bad_input_before_keras(no_keras, X, error, match):
    est = _tiny()
    with pytest.raises(error, match=match):
        est.fit(X)
    assert not hasattr(est, "model_")


@pytest.mark.no_model
@pytest.mark.parametrize(
    "X, error, match",
    [
        BAD_INPUTS[0],  # NaN
        pytest.param([], ValueError, "empty list", id="empty-list"),
        pytest.param(None, ValueError, "X is None", id="none"),
    ],
)
def test_partial_fit_rejects_bad_input_before_keras(no_keras, X, error, match):
    with pytest.raises(error, match=match):
        _tiny().partial_fit(X)


@pytest.mark.no_model
def test_predict_mode_too_short_sequence(no_keras):
    est = _tiny(mode="forecast", n_future=3)
    X = [np.arange(5.0), np.arange(3.0), np.arange(6.0)]
    with pytest.raises(ValueError, match=r"sequence 1 .*n_future=3"):
        est.fit(X)
    with pytest.raises(ValueError, match=r"sequence 0 .*n_future=3"):
        _tiny(mode="composite", n_future=3).fit(np.zeros((2, 3)))


@pytest.mark.parametrize(
    "params",
    [
        dict(units=0),
        dict(units=(4, 0)),
        dict(units=()),
        dict(units=-1),
        dict(mode="bogus"),
        dict(dropout=1.5),
        dict(dropout=-0.1),
        dict(epochs=0),
        dict(n_future=0),
        dict(batch_size=0),
        dict(learning_rate=0.0),
    ],
    ids=lambda p: ",".join(f"{k}={v!r}" for k, v in p.items()),
)
@pytest.mark.no_model
def test_invalid_parameters(no_keras, params):
    name = next(iter(params))
    with pytest.raises(ValueError, match=re.escape(name)):
        _tiny(**params).fit(np.zeros((4, 5)))


@pytest.mark.no_model
def test_transform_before_fit():
    with pytest.raises(NotFittedError):
        _tiny().transform(np.zeros((2, 5)))
    with pytest.raises(NotFittedError):
        _tiny().inverse_transform(np.zeros((2, 2)))


def test_fitted_model_attributes(fitted):
    assert fitted.n_features_in_ == 2
    # Mean and max of 2 units, then each feature's level and log scale.
    assert fitted.code_size_ == 2 * 2 + 2 * 2
    assert fitted.transform(np.zeros((3, 9, 2))).shape == (3, 8)


def test_transform_feature_count_mismatch(fitted):
    with pytest.raises(
        ValueError, match=r"3 features per time step.*expecting 2 features"
    ):
        fitted.transform(np.zeros((3, 5, 3)))
    with pytest.raises(ValueError, match=r"1 features per time step"):
        fitted.transform(np.zeros((3, 5)))


def test_transform_bad_input_before_model(fitted, monkeypatch):
    # The fitted model's inference models may be cached already: guard the
    # method that runs them.
    def encode(batch):
        raise KerasReached("transform reached the model")

    monkeypatch.setattr(fitted, "_encode", encode)
    with pytest.raises(ValueError, match=r"sequence 1 has NaN at time step 2"):
        X = np.zeros((2, 4, 2))
        X[1, 2, 0] = np.nan
        fitted.transform(X)
    with pytest.raises(ValueError, match=r"sequence 1 has NaN at time step 2"):
        fitted.transform([np.zeros((4, 2)), np.array([[0, 0], [0, 0], [np.nan, 0]])])
    with pytest.raises(TypeError, match="sparse"):
        fitted.transform(sp.csr_matrix(np.eye(2)))


def test_inverse_transform_wrong_code_width(fitted):
    assert fitted.inverse_transform(np.zeros((2, 8))).shape == (2, 5, 2)
    with pytest.raises(ValueError, match=r"3 columns.*code_size_=8"):
        fitted.inverse_transform(np.zeros((2, 3)))


# ---------------------------------------------------------------------------
# 5. lists of sequences
# ---------------------------------------------------------------------------


def _assert_same(a, b):
    if isinstance(a, pd.DataFrame):
        assert isinstance(b, pd.DataFrame)
        assert a.index.equals(b.index) and a.columns.equals(b.columns)
        for (_, left), (_, right) in zip(a.iterrows(), b.iterrows(), strict=True):
            for u, v in zip(left, right, strict=True):
                if isinstance(u, pd.Series):
                    assert u.index.equals(v.index)
                np.testing.assert_array_equal(np.asarray(u), np.asarray(v))
    elif isinstance(a, list):
        assert isinstance(b, list) and len(a) == len(b)
        for u, v in zip(a, b, strict=True):
            assert np.shape(u) == np.shape(v)
            np.testing.assert_array_equal(u, v)
    else:
        assert isinstance(b, np.ndarray) and np.shape(a) == b.shape
        np.testing.assert_array_equal(a, b)


_LAYOUTS = {
    "array2d": lambda: np.arange(12.0).reshape(3, 4),
    "array3d": lambda: np.arange(24.0).reshape(3, 4, 2),
    "array3d-one-feature": lambda: np.arange(12.0).reshape(3, 4, 1),
    "ragged-1d": lambda: [np.arange(3.0), np.arange(5.0)],
    "ragged-2d": lambda: [np.ones((3, 2)), np.zeros((1, 2))],
    "multiindex": _shuffled_multiindex_frame,
    "multiindex-string-time": _string_time_frame,
    "nested": _nested_frame,
    "wide": lambda: pd.DataFrame(
        np.arange(6.0).reshape(2, 3), index=["p", "q"], columns=["t0", "t1", "t2"]
    ),
}


@pytest.mark.no_model
@pytest.mark.parametrize("layout", list(_LAYOUTS))
def test_sequence_list_round_trip(layout):
    X = _LAYOUTS[layout]()
    sequences = to_sequence_list(X)
    batch = check_sequences(X, dtype=np.float64)
    assert isinstance(sequences, list) and len(sequences) == batch.n_samples
    for i, seq in enumerate(sequences):
        assert isinstance(seq, np.ndarray) and seq.dtype == np.float64
        n = batch.lengths[i]
        expected = (
            batch.values[i, :n, 0] if batch.n_features == 1 else batch.values[i, :n]
        )
        assert seq.shape == expected.shape
        np.testing.assert_array_equal(seq, expected)
    back = from_sequence_list(sequences, like=X)
    if layout == "multiindex":
        # rows come back grouped by instance, sorted by time
        _assert_same(X.loc[back.index], back)
    else:
        _assert_same(X, back)


@pytest.mark.no_model
def test_to_sequence_list_shapes():
    assert [s.shape for s in to_sequence_list(_nested_frame())] == [(3, 2), (2, 2)]
    univariate = [np.zeros((3, 1)), np.zeros((2, 1))]
    assert [s.shape for s in to_sequence_list(univariate)] == [(3,), (2,)]
    assert [s.shape for s in to_sequence_list(np.zeros((2, 5)))] == [(5,), (5,)]


@pytest.mark.no_model
def test_from_sequence_list_other_lengths_and_outputs():
    X = _string_time_frame()
    out = from_sequence_list([np.ones((12, 3)), np.ones((2, 3))], like=X)
    assert list(out.columns) == [0, 1, 2] and out.index.names == ["instance", "time"]
    assert list(out.loc["a"].index) == [f"t{i}" for i in range(12)]
    assert list(out.loc["b"].index) == [0, 1]
    nested = from_sequence_list([np.ones(3), np.ones(4)], like=_nested_frame())
    assert list(nested.columns) == [0] and list(nested.index) == ["p", "q"]
    assert list(nested[0].iloc[0].index) == [10, 20, 30]
    assert list(nested[0].iloc[1].index) == [0, 1, 2, 3]
    # arrays and lists: an array when lengths are equal, else a list
    equal = from_sequence_list([np.ones(2), np.ones(2)], like=[np.ones(3), np.ones(5)])
    assert isinstance(equal, np.ndarray) and equal.shape == (2, 2)
    ragged = from_sequence_list([np.ones(2), np.ones(3)], like=np.zeros((2, 4)))
    assert [r.shape for r in ragged] == [(2,), (3,)]
    wide = _LAYOUTS["wide"]()
    assert isinstance(from_sequence_list([np.ones(2), np.ones(1)], like=wide), list)


@pytest.mark.no_model
def test_from_sequence_list_count_mismatch():
    with pytest.raises(ValueError, match="sequences has 1 sequences, but like has 2"):
        from_sequence_list([np.ones(3)], like=_nested_frame())
    with pytest.raises(TypeError, match="sequences must be a list of arrays"):
        from_sequence_list(iter([np.ones(3)]), like=_nested_frame())


def test_cross_val_score_on_a_multiindex_frame_via_a_sequence_list():
    rng = np.random.RandomState(0)
    y = np.arange(12) % 2
    frames = {
        f"s{i}": pd.DataFrame(
            {"v": np.sin(np.arange(6) * (1 + label)) + rng.normal(size=6) / 10}
        )
        for i, label in enumerate(y)
    }
    frame = pd.concat(frames, names=["instance", "time"])
    X = to_sequence_list(frame)
    assert len(X) == 12
    pipe = make_pipeline(
        LSTMAutoencoderTransformer(units=2, max_steps=2, random_state=0),
        LogisticRegression(),
    )
    scores = cross_val_score(pipe, X, y, cv=3)
    assert scores.shape == (3,) and np.isfinite(scores).all()


@pytest.mark.no_model
def test_import_stays_free_of_keras_and_sequences_of_pandas():
    code = (
        "import sys, sklearn_seqae, sklearn_seqae._sequences as s;"
        "assert not {'tensorflow', 'keras'} & set(sys.modules), 'keras imported';"
        "assert 'pandas' not in s.__dict__ and 'pd' not in s.__dict__"
    )
    root = Path(__file__).resolve().parents[1]
    subprocess.run([sys.executable, "-c", code], check=True, cwd=root)
