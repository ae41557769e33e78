"""The benchmarks' bookkeeping, checked without running a benchmark.

Each benchmark runs every case in a child process by name; a data set listed
for the quick mode (``make bench-quick``) but missing from ``CASES`` fails
only after the full mode's cases have run. The feature benchmark's summary
lines are checked on a made-up result.
"""

import importlib
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).parents[1] / "bench"


@pytest.fixture(scope="module", autouse=True)
def bench_on_path():
    sys.path.insert(0, str(BENCH))
    yield
    sys.path.remove(str(BENCH))


def _quick_case_names(module):
    if module.__name__ == "features":
        return [
            f"{name}/seed{seed}"
            for name in module.DATASETS["quick"]
            for seed in module.SEEDS["quick"]
        ]
    return list(module.DATASETS["quick"])


@pytest.mark.parametrize("name", ["features", "objectives", "pretraining"])
def test_quick_mode_cases_exist(name):
    module = importlib.import_module(name)
    missing = set(_quick_case_names(module)) - set(module.CASES)
    assert not missing, f"bench/{name}.py quick mode names unknown cases {missing}"


def test_features_names_the_test_sequences_each_method_misses():
    features = importlib.import_module("features")
    data = {"n_train": 20, "n_test": 22, "lengths": [24, 24], "n_classes": 2}
    entry = {m: {"missed": [3, 17]} for m in features.METHODS}
    entry["1-NN DTW"] = {"missed": [17]}
    entry["_data"] = data
    lines = features._missed_lines({"UnitTest": entry}, seeds=[0, 1, 2])
    text = " ".join(lines)
    assert "22 test sequences, so one is 0.045" in text
    assert "1-NN DTW: #17;" in text
    assert "MiniRocket + RidgeClassifierCV: #3, #17." in text
    assert text.endswith("Missed by every method: #17.")
    # A large test split records no misses and gets no line.
    large = {m: {} for m in features.METHODS} | {"_data": data}
    assert features._missed_lines({"TwoPatterns": large}, seeds=[0]) == []
