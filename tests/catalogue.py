"""The catalogue of bad inputs: one source for the tests and the docs page.

Each entry names an input, the call that receives it and the error it must
raise. ``tests/test_catalogue.py`` runs every entry; ``render()`` writes the
documentation page from the real messages. Regenerate the page with::

    python tests/catalogue.py > docs/bad_inputs.rst
"""

import functools
import re
import sys
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import scipy.sparse
from sklearn.exceptions import NotFittedError

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sklearn_seqae import (  # noqa: E402
    FileFormatError,
    LSTMAnomalyDetector,
    LSTMAutoencoderTransformer,
    Seq2SeqClassifier,
    Seq2SeqRegressor,
    SequenceLayoutWarning,
    TimestepClassifier,
    TimestepRegressor,
    load,
)


@dataclass
class Case:
    area: str
    description: str
    call: object  # zero-argument callable
    error: type
    match: str
    before_keras: bool = True  # raised before any Keras code runs


def _ae(**kw):
    return LSTMAutoencoderTransformer(
        **{"units": 2, "epochs": 1, "random_state": 0, **kw}
    )


def _tok(**kw):
    base = {"input_type": "tokens", "units": 2, "epochs": 1, "random_state": 0}
    return Seq2SeqClassifier(**{**base, **kw})


@functools.cache
def fitted():
    """Tiny fitted estimators, built once."""
    X = np.sin(np.arange(20 * 6, dtype=float).reshape(20, 6, 1) / 5)
    tokens = np.arange(20 * 6).reshape(20, 6) % 50
    return {
        "X": X,
        "tokens": tokens,
        "ae": _ae().fit(X),
        "clf": _tok().fit(tokens, tokens[:, :3]),
        "reg": Seq2SeqRegressor(units=2, epochs=1, random_state=0).fit(X, X[:, :2, 0]),
    }


def _long_x():
    """A long frame of two instances with string time labels."""
    index = pd.MultiIndex.from_product([["a", "b"], ["t0", "t1", "t2"]])
    return pd.DataFrame({"x": np.arange(6.0)}, index)


def _nan():
    X = np.zeros((5, 4))
    X[2, 3] = np.nan
    return X


def _mixed_step():
    return [np.zeros(3), np.array([1.0, "a", None], dtype=object)]


def _duplicate_rows():
    index = pd.MultiIndex.from_tuples([(0, 0), (0, 0), (1, 0)])
    return pd.DataFrame({"a": [1.0, 2.0, 3.0]}, index=index)


def _three_levels():
    index = pd.MultiIndex.from_tuples([(0, 0, 0), (0, 1, 0)])
    return pd.DataFrame({"a": [1.0, 2.0]}, index=index)


def _nested(second_b=(4.0, 5.0)):
    """A nested DataFrame: rows "p" and "q", columns "a" and "b"."""
    return pd.DataFrame(
        {
            "a": [pd.Series([1.0, 2.0, 3.0]), pd.Series([4.0, 5.0])],
            "b": [pd.Series([1.0, 2.0, 3.0]), pd.Series(second_b, dtype=object)],
        },
        index=["p", "q"],
    )


def _polars(kind):
    """polars frames that cannot be read as sequences."""
    import polars as pl

    if kind == "no time":
        return pl.DataFrame({"instance": [0, 0, 1], "x": [1.0, 2.0, 3.0]})
    if kind == "duplicates":
        return pl.DataFrame({"instance": [0, 0], "time": [0, 0], "x": [1.0, 2.0]})
    if kind == "mixed":
        return pl.DataFrame({"x": [[1.0, 2.0], [3.0]], "y": [1.0, 2.0]})
    if kind == "null cell":
        return pl.DataFrame({"x": [[1.0, 2.0], None]})
    return pl.DataFrame({"x": [1.0, 2.0]}).lazy()


def _warned(call):
    """Run ``call`` with SequenceLayoutWarning raised as an error."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", SequenceLayoutWarning)
        return call()


def _ignored(call):
    """Run ``call`` with a UserWarning (a setting that cannot act) as an error."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", UserWarning)
        return call()


def _beam_width(width):
    """Predict with the fitted classifier's beam_width set after fit."""
    clf = fitted()["clf"]
    try:
        return clf.set_params(beam_width=width).predict(fitted()["tokens"])
    finally:
        clf.set_params(beam_width=1)


def _with(array, where, value):
    array = np.array(array, dtype=object if isinstance(value, str) else None)
    array[where] = value
    return array


def _write(path, data):
    Path(path).write_bytes(data)
    return path


def _hostile(kind):
    """A file saved from an unfitted autoencoder, then made hostile."""
    import json
    import zipfile

    _ae().save("plain.seqae")
    with zipfile.ZipFile("plain.seqae") as archive:
        document = json.loads(archive.read("estimator.json"))
    path = f"{kind}.seqae"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        if kind == "bomb":
            # 300 MiB of JSON whitespace, under 1 MB on disk.
            with archive.open("estimator.json", "w", force_zip64=True) as member:
                for _ in range(300):
                    member.write(b" " * 2**20)
            return path
        text = json.dumps(document)
        if kind == "deep":
            text = '{"format": "sklearn_seqae/1", "state": %s}' % (
                "[" * 100_000 + "]" * 100_000
            )
        if kind == "unknown_parameter":
            document["params"]["__dict__"].append(["exec", "rm -rf /"])
            text = json.dumps(document)
        archive.writestr("estimator.json", text)
        if kind == "extra_member":
            archive.writestr("payload.pkl", b"not for us")
    return path


Z = np.zeros((4, 6))
CASES = [
    # -- X -------------------------------------------------------------------
    Case(
        "X",
        "NaN in a 2-D array",
        lambda: _ae().fit(_nan()),
        ValueError,
        "sequence 2 has NaN at time step 3",
    ),
    Case(
        "X",
        "pd.NA in a wide frame of a nullable dtype (Float64)",
        lambda: _ae().fit(
            pd.DataFrame(_with(np.ones((4, 5)), (2, 3), np.nan)).astype("Float64")
        ),
        ValueError,
        "sequence 2 has NaN at time step 3",
    ),
    Case(
        "X",
        "infinity in a ragged list",
        lambda: _ae().fit([np.zeros(3), np.array([0.0, np.inf])]),
        ValueError,
        "sequence 1 has infinity at time step 1",
    ),
    Case(
        "X", "empty array", lambda: _ae().fit(np.zeros((0, 5))), ValueError, "0 sample"
    ),
    Case("X", "empty list", lambda: _ae().fit([]), ValueError, "empty list"),
    Case(
        "X",
        "a zero-length sequence",
        lambda: _ae().fit([np.zeros(3), np.zeros(0)]),
        ValueError,
        "sequence 1 has length 0",
    ),
    Case(
        "X",
        "sequences of length 0 in an array",
        lambda: _ae().fit(np.zeros((3, 0))),
        ValueError,
        "0 feature",
    ),
    Case(
        "X",
        "a 1-D array",
        lambda: _ae().fit(np.zeros(5)),
        ValueError,
        "Reshape your data",
    ),
    Case(
        "X",
        "a 4-D array",
        lambda: _ae().fit(np.zeros((2, 3, 4, 5))),
        ValueError,
        "got a 4-D array",
    ),
    Case(
        "X",
        "a flat list of numbers",
        lambda: _ae().fit([1.0, 2.0, 3.0]),
        ValueError,
        "flat list",
    ),
    Case(
        "X",
        "strings in a numeric array",
        lambda: _ae().fit(_with(Z, (1, 2), "x")),
        ValueError,
        "must contain numbers",
    ),
    Case("X", "a string", lambda: _ae().fit("abc"), TypeError, "X is a string"),
    Case(
        "X",
        "ragged sequences with different feature counts",
        lambda: _ae().fit([np.zeros((3, 2)), np.zeros((4, 3))]),
        ValueError,
        "sequence 1 has 3 features per time step, but sequence 0 has 2",
    ),
    Case(
        "X",
        "a string inside a ragged list",
        lambda: _ae().fit([np.zeros(3), "abc"]),
        TypeError,
        "sequence 1 is a string",
    ),
    Case(
        "X",
        "a 3-D item in a ragged list",
        lambda: _ae().fit([np.zeros(3), np.zeros((2, 2, 2))]),
        ValueError,
        "sequence 1 has 3 dimensions",
    ),
    Case(
        "X",
        "a sequence mixing numbers and other objects",
        lambda: _ae().fit(_mixed_step()),
        ValueError,
        "sequence 1 has steps of",
    ),
    Case(
        "X",
        "complex numbers",
        lambda: _ae().fit(Z + 1j),
        ValueError,
        "Complex data not supported",
    ),
    Case(
        "X",
        "a sparse matrix",
        lambda: _ae().fit(scipy.sparse.csr_matrix(Z)),
        TypeError,
        "sparse",
    ),
    Case("X", "None", lambda: _ae().fit(None), ValueError, "X is None"),
    Case("X", "a dict", lambda: _ae().fit({"a": 1}), TypeError, "got dict"),
    Case(
        "X",
        "a DataFrame with a 3-level MultiIndex",
        lambda: _ae().fit(_three_levels()),
        ValueError,
        "has 3 levels",
    ),
    Case(
        "X",
        "duplicate (instance, time) rows",
        lambda: _ae().fit(_duplicate_rows()),
        ValueError,
        "instance 0 has more than one row at time 0",
    ),
    Case(
        "X",
        "a nested DataFrame row with cells of different lengths",
        lambda: _ae().fit(_nested(second_b=(4.0, 5.0, 6.0))),
        ValueError,
        "row 'q' \\(sequence 1\\) of the nested DataFrame has cells of different",
    ),
    Case(
        "X",
        "a string inside a nested DataFrame's series",
        lambda: _ae().fit(_nested(second_b=(4.0, "x"))),
        ValueError,
        "must contain numbers, but row 'q' \\(sequence 1\\), column 'b'",
    ),
    Case(
        "X",
        "a polars frame with an instance column but no time column",
        lambda: _ae().fit(_polars("no time")),
        ValueError,
        "with a column named 'instance' but none named 'time'",
    ),
    Case(
        "X",
        "a polars long frame with duplicate (instance, time) rows",
        lambda: _ae().fit(_polars("duplicates")),
        ValueError,
        "instance 0 has more than one row at time 0",
    ),
    Case(
        "X",
        "a nested polars frame with a column that holds no lists",
        lambda: _ae().fit(_polars("mixed")),
        TypeError,
        "column 'y' of the nested polars frame holds Float64, not lists",
    ),
    Case(
        "X",
        "a null cell in a nested polars frame",
        lambda: _ae().fit(_polars("null cell")),
        ValueError,
        "row 1 of column 'x' is null",
    ),
    Case(
        "X",
        "a polars LazyFrame",
        lambda: _ae().fit(_polars("lazy")),
        TypeError,
        "call .collect\\(\\) on it first",
    ),
    Case(
        "X",
        "a DataFrame of strings",
        lambda: _ae().fit(pd.DataFrame({"a": ["x", "y"], "b": ["z", "w"]})),
        ValueError,
        "must contain numbers",
    ),
    Case(
        "X",
        "values too large for float32",
        lambda: _ae().fit(Z + 1e300),
        ValueError,
        "too large for float32",
    ),
    Case(
        "X",
        "a feature count that differs from fit",
        lambda: fitted()["ae"].transform(np.zeros((2, 6, 3))),
        ValueError,
        "X has 3 features per time step, but LSTMAutoencoderTransformer is expecting 1",
        before_keras=False,
    ),
    # -- token ids -----------------------------------------------------------
    Case(
        "tokens",
        "a negative token id",
        lambda: _tok().fit(_with(np.ones((4, 3), int), (2, 1), -1), np.ones(4)),
        ValueError,
        "sequence 2 has -1 at time step 1",
    ),
    Case(
        "tokens",
        "a fractional token id",
        lambda: _tok().fit(np.full((4, 3), 1.5), np.ones(4)),
        ValueError,
        "non-negative integers",
    ),
    Case(
        "tokens",
        "a token id beyond the vocabulary seen in fit",
        lambda: fitted()["clf"].predict(_with(fitted()["tokens"], (3, 2), 80)),
        ValueError,
        "Sequence 3 has token 80 at time step 2, which fit did not see",
        before_keras=False,
    ),
    Case(
        "tokens",
        "a missing token (None or NaN) in a list of token sequences",
        lambda: _tok().fit([["a", "b"], ["b", None], ["a", "a"]], np.ones(3)),
        ValueError,
        "missing token \\(None or NaN\\) at time step 1 of sequence 1",
    ),
    Case(
        "tokens",
        "3-D token input",
        lambda: _tok().fit(np.ones((4, 3, 2)), np.ones(4)),
        ValueError,
        "Token input must be a 2-D array",
    ),
    # -- y -------------------------------------------------------------------
    Case(
        "y",
        "y shorter than X",
        lambda: _tok().fit(np.ones((5, 3)), np.ones(4)),
        ValueError,
        "y has 4 samples, but X has 5 sequences",
    ),
    Case(
        "y",
        "y missing for a supervised estimator",
        lambda: Seq2SeqRegressor().fit(Z, None),
        ValueError,
        "requires y",
    ),
    Case(
        "y",
        "a long per-step y whose instances are not X's",
        lambda: TimestepRegressor().fit(_long_x(), _long_x()["x"].drop("b", level=0)),
        ValueError,
        "a long frame whose instances are not X's: instance 'b' of X is not in y",
    ),
    Case(
        "y",
        "a long per-step y whose time labels are not X's",
        lambda: TimestepRegressor().fit(
            _long_x(), _long_x()["x"].rename({"t2": "t9"}, level=1)
        ),
        ValueError,
        "instance 'a' of X has time 't2', which y lacks",
    ),
    Case(
        "y",
        "NaN in a regression target",
        lambda: Seq2SeqRegressor().fit(Z, [0.0, 1.0, np.nan, 2.0]),
        ValueError,
        "NaN or infinity \\(sample 2\\)",
    ),
    Case(
        "y",
        "ragged targets for the regressor",
        lambda: Seq2SeqRegressor().fit(Z, [[1.0, 2.0], [1.0], [1.0], [2.0]]),
        ValueError,
        "equal length",
    ),
    Case(
        "y",
        "a 4-D regression target",
        lambda: Seq2SeqRegressor().fit(Z, np.zeros((4, 2, 2, 2))),
        ValueError,
        "got shape \\(4, 2, 2, 2\\)",
    ),
    Case(
        "y",
        "strings as regression targets",
        lambda: Seq2SeqRegressor().fit(Z, ["a", "b", "c", "d"]),
        ValueError,
        "must be numeric",
    ),
    Case(
        "y",
        "continuous labels for the classifier",
        lambda: Seq2SeqClassifier().fit(Z, [0.1, 0.2, 0.3, 0.4]),
        ValueError,
        "Unknown label type",
    ),
    Case(
        "y",
        "continuous per-step labels for the per-step classifier",
        lambda: TimestepClassifier().fit(Z, np.linspace(0, 1, 24).reshape(4, 6)),
        ValueError,
        "Unknown label type",
    ),
    Case(
        "y",
        "NaN among per-step labels",
        lambda: TimestepClassifier().fit(Z, np.where(np.eye(4, 6) > 0, np.nan, 1.0)),
        ValueError,
        "NaN or infinity; every step needs a class label",
    ),
    Case(
        "y",
        "continuous labels in ragged label sequences",
        lambda: Seq2SeqClassifier().fit(Z, [[0.1, 0.2], [0.3], [0.4], [0.5]]),
        ValueError,
        "Unknown label type",
    ),
    Case(
        "y",
        "one class at every step, for the per-step classifier",
        lambda: TimestepClassifier().fit(Z, np.ones((4, 6), int)),
        ValueError,
        "single class \\(1\\)",
    ),
    Case(
        "y",
        "one class in equal-length label sequences",
        lambda: Seq2SeqClassifier().fit(Z, np.ones((4, 3), int)),
        ValueError,
        "single class \\(1\\)",
    ),
    Case(
        "y",
        "one class for every sequence, one label each",
        lambda: Seq2SeqClassifier().fit(Z, ["a"] * 4),
        ValueError,
        "single class \\('a'\\) for every sequence",
    ),
    Case(
        "y",
        "a missing label (None) among string labels",
        lambda: Seq2SeqClassifier().fit(Z, ["a", None, "b", "a"]),
        ValueError,
        "1 missing label",
    ),
    Case(
        "y",
        "a missing step label (pd.NA) in a nullable-integer frame",
        lambda: TimestepClassifier().fit(
            Z,
            pd.DataFrame(np.eye(4, 6, dtype=int))
            .astype("Int64")
            .mask(np.eye(4, 6, k=1) > 0),
        ),
        ValueError,
        "4 missing label",
    ),
    Case(
        "y",
        "all-zero per-step weights",
        lambda: TimestepClassifier().fit(
            Z, np.arange(24).reshape(4, 6) % 2, sample_weight=np.zeros((4, 6))
        ),
        ValueError,
        "at least one non-zero",
    ),
    Case(
        "y",
        "an empty label sequence",
        lambda: Seq2SeqClassifier().fit(Z, [[1], [2], [], [1]]),
        ValueError,
        "label sequence 2 is empty",
    ),
    Case(
        "y",
        "labels of mixed types",
        lambda: Seq2SeqClassifier().fit(Z, [[1], ["a"], [1], [2]]),
        TypeError,
        "mixes label types",
    ),
    Case(
        "y",
        "labels unseen at fit, in a warm-started fit",
        lambda: (
            fitted()["clf"]
            .set_params(warm_start=True)
            .fit(fitted()["tokens"], fitted()["tokens"][:, :3] + 100)
        ),
        ValueError,
        "labels not seen in the first fit",
        before_keras=False,
    ),
    # -- parameters ----------------------------------------------------------
    Case(
        "parameters",
        "units=0",
        lambda: _ae(units=0).fit(Z),
        ValueError,
        "'units' parameter",
    ),
    Case(
        "parameters",
        "units=(4, 0)",
        lambda: _ae(units=(4, 0)).fit(Z),
        ValueError,
        "units must be a positive int",
    ),
    Case(
        "parameters",
        "units='big'",
        lambda: _ae(units="big").fit(Z),
        ValueError,
        "'units' parameter",
    ),
    Case(
        "parameters",
        "mode='bogus'",
        lambda: _ae(mode="bogus").fit(Z),
        ValueError,
        "'mode' parameter",
    ),
    Case(
        "parameters",
        "epochs=None and max_steps=None",
        lambda: _ae(epochs=None, max_steps=None).fit(Z),
        ValueError,
        "epochs and max_steps cannot both be None",
    ),
    Case(
        "parameters",
        "callbacks holding something that is not a callback",
        lambda: _ae(callbacks=[4]).fit(Z),
        TypeError,
        "callbacks\\[0\\] is 4 \\(int\\)",
    ),
    Case(
        "parameters",
        "a negative class weight",
        lambda: Seq2SeqClassifier(class_weight={0: -1.0}).fit(Z, [0, 1, 0, 1]),
        ValueError,
        "class_weight\\[0\\] is -1.0; class weights must be finite, non-negative",
    ),
    Case(
        "parameters",
        "a class weight that is not a number",
        lambda: TimestepClassifier(class_weight={1: "a"}).fit(
            Z, Z.astype(int) + [0, 1] * 3
        ),
        ValueError,
        "class_weight\\[1\\] is 'a'",
    ),
    Case(
        "parameters",
        "class weights of 0 for every class in y",
        lambda: Seq2SeqClassifier(class_weight={0: 0, 1: 0}).fit(Z, [0, 1, 0, 1]),
        ValueError,
        "class_weight gives every class in y weight 0",
    ),
    Case(
        "parameters",
        "dropout=1.5",
        lambda: _ae(dropout=1.5).fit(Z),
        ValueError,
        "'dropout' parameter",
    ),
    Case(
        "parameters",
        "epochs=0",
        lambda: _ae(epochs=0).fit(Z),
        ValueError,
        "'epochs' parameter",
    ),
    Case(
        "parameters",
        "learning_rate=-1",
        lambda: _ae(learning_rate=-1).fit(Z),
        ValueError,
        "'learning_rate' parameter",
    ),
    Case(
        "parameters",
        "input_type='words'",
        lambda: Seq2SeqClassifier(input_type="words").fit(Z, [1, 2, 1, 2]),
        ValueError,
        "'input_type' parameter",
    ),
    Case(
        "parameters",
        "n_future as long as a sequence",
        lambda: _ae(mode="forecast", n_future=6).fit(Z),
        ValueError,
        "sequence 0 has 6 time step\\(s\\), but mode='forecast' with n_future=6",
    ),
    Case(
        "parameters",
        "validation_fraction leaving no validation sample",
        lambda: _ae(validation_fraction=0.01).fit(Z),
        ValueError,
        "leaves 0 of 4 samples for validation",
    ),
    # -- fitted state --------------------------------------------------------
    Case(
        "fitted state",
        "transform before fit",
        lambda: LSTMAutoencoderTransformer().transform(Z),
        NotFittedError,
        "not fitted yet",
    ),
    Case(
        "fitted state",
        "predict before fit",
        lambda: Seq2SeqClassifier().predict(Z),
        NotFittedError,
        "not fitted yet",
    ),
    Case(
        "fitted state",
        "inverse_transform with the wrong code size",
        lambda: fitted()["ae"].inverse_transform(np.zeros((2, 5))),
        ValueError,
        "X has 5 columns, but the codes of this LSTMAutoencoderTransformer have "
        "code_size_=6",
        before_keras=False,
    ),
    Case(
        "fitted state",
        "beam_width=0 set after fit",
        lambda: _beam_width(0),
        ValueError,
        "'beam_width' parameter of Seq2SeqClassifier must be an int in the range",
        before_keras=False,
    ),
    Case(
        "fitted state",
        "forecast without a future decoder",
        lambda: fitted()["ae"].forecast(fitted()["X"]),
        ValueError,
        "forecast needs the future decoder",
        before_keras=False,
    ),
    Case(
        "fitted state",
        "predict with n_steps=0",
        lambda: fitted()["reg"].predict(fitted()["X"], n_steps=0),
        ValueError,
        "n_steps must be a positive int",
        before_keras=False,
    ),
    Case(
        "files",
        "loading a file that is not a saved estimator",
        lambda: load(_write("not-a-model.seqae", b"garbage")),
        FileFormatError,
        "corrupt or truncated",
    ),
    Case(
        "files",
        "a state document that inflates to 300 MiB (a zip bomb)",
        lambda: load(_hostile("bomb")),
        FileFormatError,
        "would inflate to 314,572,800 bytes, more than the cap",
    ),
    Case(
        "files",
        "an archive with a member the format does not name",
        lambda: load(_hostile("extra_member")),
        FileFormatError,
        "holds members the format does not name",
    ),
    Case(
        "files",
        "a state document nested 100,000 deep",
        lambda: load(_hostile("deep")),
        FileFormatError,
        "nested too deeply",
    ),
    Case(
        "files",
        "a file that names a parameter the estimator does not have",
        lambda: load(_hostile("unknown_parameter")),
        FileFormatError,
        "names parameters LSTMAutoencoderTransformer does not have",
    ),
    # -- warnings ------------------------------------------------------------
    Case(
        "warnings",
        "a 3-D array of 1 time step and several features",
        lambda: _warned(lambda: _ae().fit(np.zeros((4, 1, 3)))),
        SequenceLayoutWarning,
        "read as 4 sequence\\(s\\) of 1 time step\\(s\\) of 3 features",
    ),
    Case(
        "warnings",
        "a 3-D array with 10 times more features than time steps",
        lambda: _warned(lambda: _ae().fit(np.zeros((4, 2, 20)))),
        SequenceLayoutWarning,
        "X.transpose\\(0, 2, 1\\)",
    ),
    Case(
        "warnings",
        "n_future with mode='reconstruct'",
        lambda: _ignored(lambda: _ae(n_future=3).fit(Z)),
        UserWarning,
        "n_future=3 \\(mode='reconstruct' predicts no future steps",
    ),
    Case(
        "warnings",
        "reverse=True with mode='forecast'",
        lambda: _ignored(lambda: _ae(mode="forecast", reverse=True).fit(Z)),
        UserWarning,
        "reverse=True \\(it orders the reconstruction",
    ),
    Case(
        "warnings",
        "crop_fraction with the contrastive term off",
        lambda: _ignored(lambda: _ae(contrastive_weight=0, crop_fraction=0.3).fit(Z)),
        UserWarning,
        "crop_fraction=0.3 \\(it crops the contrastive term's second view",
    ),
    Case(
        "warnings",
        "embedding_dim with numeric input",
        lambda: _ignored(lambda: TimestepRegressor(embedding_dim=4).fit(Z, Z)),
        UserWarning,
        "embedding_dim=4 is ignored: input_type='numeric' reads numbers",
    ),
    Case(
        "warnings",
        "handle_unknown='use_unknown' with numeric input",
        lambda: _ignored(
            lambda: Seq2SeqClassifier(handle_unknown="use_unknown").fit(Z, [0, 1] * 2)
        ),
        UserWarning,
        "handle_unknown='use_unknown' is ignored",
    ),
    Case(
        "warnings",
        "stride without window, for the anomaly detector",
        lambda: _ignored(lambda: LSTMAnomalyDetector(stride=3).fit(Z)),
        UserWarning,
        "stride=3 is ignored: it spaces the windows cut from a stream",
    ),
]


def _sorted_sets(text):
    """Print ``{'b', 'a'}`` set literals sorted: set order varies by process."""
    return re.sub(
        r"\{('[^{}]*')\}",
        lambda m: "{" + ", ".join(sorted(m.group(1).split(", "))) + "}",
        text,
    )


def message(case):
    """Run a case and return the message of the error it raised."""
    try:
        case.call()
    except case.error as exc:
        return _sorted_sets(str(exc).splitlines()[0])
    raise AssertionError(f"{case.description}: no {case.error.__name__} raised")


def render():
    lines = [
        ".. Generated by tests/catalogue.py; tests/test_catalogue.py checks it.",
        "",
        "Bad inputs and the errors they get",
        "==================================",
        "",
        "Every entry below is run by the test suite. Input and parameter errors",
        "are raised before any Keras code runs; none reaches a TensorFlow",
        "traceback. A fit that raises leaves a previously fitted estimator as",
        "it was. The last section lists warnings: the input is read, but",
        "probably not the way it was meant.",
        "",
    ]
    for area in dict.fromkeys(case.area for case in CASES):
        title = area[0].upper() + area[1:]
        lines += [title, "-" * len(title), ""]
        lines += [".. list-table::", "   :header-rows: 1", "   :widths: 30 15 55", ""]
        cases = [c for c in CASES if c.area == area]
        kind = (
            "warning" if all(issubclass(c.error, Warning) for c in cases) else "error"
        )
        lines += ["   * - input", f"     - {kind}", "     - message"]
        for case in cases:
            text = message(case).replace("`", "'")
            lines += [
                f"   * - {case.description}",
                f"     - ``{case.error.__name__}``",
                f"     - {text}",
            ]
        lines.append("")
    return "\n".join(lines)


if __name__ == "__main__":
    import os
    import tempfile

    os.chdir(tempfile.mkdtemp())
    sys.stdout.write(render())
