"""Run the bad-input catalogue and check that its docs page is current."""

from pathlib import Path

import numpy as np
import pytest
from catalogue import CASES, render
from conftest import KerasReached

from sklearn_seqae import (
    LSTMAnomalyDetector,
    LSTMAutoencoderTransformer,
    Seq2SeqClassifier,
    TimestepRegressor,
)

PAGE = Path(__file__).resolve().parents[1] / "docs" / "bad_inputs.rst"


@pytest.mark.parametrize(
    "case",
    [
        pytest.param(c, marks=[pytest.mark.no_model] if c.before_keras else [])
        for c in CASES
    ],
    ids=[c.description for c in CASES],
)
def test_bad_input_gets_a_clear_error(case, request, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    if case.before_keras:
        request.getfixturevalue("no_keras")
    with pytest.raises(case.error, match=case.match):
        case.call()


@pytest.mark.no_model
@pytest.mark.parametrize(
    "fit",
    [
        lambda X: LSTMAutoencoderTransformer(units=2, epochs=1).fit(X),
        lambda X: Seq2SeqClassifier(units=2, epochs=1).fit(X, [0, 1, 0, 1]),
        lambda X: TimestepRegressor(units=2, epochs=1).fit(X, X[..., 0]),
        lambda X: LSTMAnomalyDetector(units=2, epochs=1).fit(X),
    ],
    ids=["autoencoder", "seq2seq", "timestep", "anomaly"],
)
def test_the_guard_stops_valid_input(fit, no_keras):
    # The control: valid input does reach Keras under the guard, so a bad
    # input that slipped through validation would fail the cases above.
    with pytest.raises(KerasReached):
        fit(np.random.RandomState(0).normal(size=(4, 5, 2)))


@pytest.mark.no_model
def test_catalogue_is_large_enough():
    assert len(CASES) >= 30
    assert {c.area for c in CASES} >= {"X", "y", "parameters", "fitted state"}


def test_docs_page_is_current(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    assert PAGE.read_text() == render(), (
        "docs/bad_inputs.rst is out of date: run "
        "python tests/catalogue.py > docs/bad_inputs.rst"
    )
