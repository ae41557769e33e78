"""The benchmarks' quick mode (``make bench-quick``) names only cases that exist.

Each benchmark runs every case in a child process by name; a data set listed
for the quick mode but missing from ``CASES`` fails only after the full
mode's cases have run, so it is checked here without running anything.
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


@pytest.mark.parametrize("name", ["features", "objectives"])
def test_quick_mode_cases_exist(name):
    module = importlib.import_module(name)
    missing = set(_quick_case_names(module)) - set(module.CASES)
    assert not missing, f"bench/{name}.py quick mode names unknown cases {missing}"
