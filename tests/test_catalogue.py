"""Run the bad-input catalogue and check that its docs page is current."""

from pathlib import Path

import pytest
from catalogue import CASES, render

import sklearn_seqae._autoencoder
import sklearn_seqae._base
import sklearn_seqae._seq2seq

PAGE = Path(__file__).resolve().parents[1] / "docs" / "bad_inputs.rst"


def _keras_reached(*args, **kwargs):
    raise AssertionError("Keras was reached before the input was rejected")


@pytest.mark.parametrize("case", CASES, ids=[c.description for c in CASES])
def test_bad_input_gets_a_clear_error(case, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    if case.before_keras:
        for module in (
            sklearn_seqae._autoencoder,
            sklearn_seqae._base,
            sklearn_seqae._seq2seq,
        ):
            for name in ("import_keras", "import_networks"):
                if hasattr(module, name):
                    monkeypatch.setattr(module, name, _keras_reached)
    with pytest.raises(case.error, match=case.match):
        case.call()


def test_catalogue_is_large_enough():
    assert len(CASES) >= 30
    assert {c.area for c in CASES} >= {"X", "y", "parameters", "fitted state"}


def test_docs_page_is_current(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    assert PAGE.read_text() == render(), (
        "docs/bad_inputs.rst is out of date: run "
        "python tests/catalogue.py > docs/bad_inputs.rst"
    )
