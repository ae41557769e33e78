"""The package's shape, checked: layers without cycles, hooks declared.

These hold the promises of docs/architecture.rst; each test fails when the
code breaks one.
"""

import ast
import inspect
import pickle
from pathlib import Path

import numpy as np
import pytest
from sklearn.base import clone
from toy_estimator import NextStepForecaster

import sklearn_seqae
from sklearn_seqae import load
from sklearn_seqae._base import SequenceEstimatorBase

PACKAGE = Path(sklearn_seqae.__file__).parent
ESTIMATORS = [
    getattr(sklearn_seqae, name)
    for name in sklearn_seqae.__all__
    if inspect.isclass(getattr(sklearn_seqae, name))
    and hasattr(getattr(sklearn_seqae, name), "get_params")
]
BASE_MODULES = ("_base", "_supervised", "_seq2seq", "_timestep")


def _imports(path):
    """Package modules ``path`` imports, at any depth (function-level too)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom):
            if node.level == 1 and node.module:
                found.add(node.module.split(".")[0])
            elif node.level == 1:
                found.update(alias.name for alias in node.names)
            elif node.module and node.module.startswith("sklearn_seqae."):
                found.add(node.module.split(".")[1])
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("sklearn_seqae."):
                    found.add(alias.name.split(".")[1])
    return found


def _graph():
    modules = {p.stem: p for p in PACKAGE.glob("*.py") if p.stem != "__init__"}
    return {name: _imports(path) & set(modules) for name, path in modules.items()}


def _find_cycle(graph):
    state = {}

    def visit(node, path):
        state[node] = "open"
        for nxt in sorted(graph[node]):
            if state.get(nxt) == "open":
                return [*path[path.index(nxt) :], nxt]
            if nxt not in state:
                cycle = visit(nxt, [*path, nxt])
                if cycle:
                    return cycle
        state[node] = "done"
        return None

    for node in sorted(graph):
        if node not in state:
            cycle = visit(node, [node])
            if cycle:
                return cycle
    return None


@pytest.mark.no_model
def test_no_import_cycle_even_inside_functions():
    assert _find_cycle(_graph()) is None


@pytest.mark.no_model
def test_the_cycle_finder_finds_a_cycle():
    assert _find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]


@pytest.mark.no_model
def test_lower_layers_never_import_the_estimators():
    estimator_modules = {
        "_autoencoder",
        "_seq2seq_classifier",
        "_seq2seq_regressor",
        "_timestep_classifier",
        "_timestep_regressor",
        "_anomaly",
    }
    graph = _graph()
    lower = ("_base", "_persistence", "_file_format", "_networks", "_layers")
    lower += ("_sequences", "_readers", "_pandas", "_polars", "_keras", "_training")
    for module in lower:
        assert not graph[module] & estimator_modules, module


@pytest.mark.no_model
def test_bases_read_no_parameter_through_getattr():
    params = {
        name
        for cls in ESTIMATORS
        for name in inspect.signature(cls.__init__).parameters
        if name != "self"
    }
    for module in BASE_MODULES:
        tree = ast.parse((PACKAGE / f"{module}.py").read_text())
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and getattr(node.func, "id", None) == "getattr"
                and isinstance(node.args[0], ast.Name)
                and node.args[0].id == "self"
                and isinstance(node.args[1], ast.Constant)
            ):
                assert node.args[1].value not in params, (module, node.args[1].value)


@pytest.mark.no_model
def test_the_base_declares_four_hooks():
    assert SequenceEstimatorBase.__abstractmethods__ == {
        "_read_X",
        "_fit_targets",
        "_network_spec",
        "_training_arrays",
    }
    with pytest.raises(TypeError, match="abstract"):
        SequenceEstimatorBase()


@pytest.mark.no_model
@pytest.mark.parametrize("cls", ESTIMATORS, ids=lambda c: c.__name__)
def test_constructors_are_spelled_out(cls):
    # Each argument stored under its own name, and nothing else.
    source = inspect.getsource(cls.__init__)
    params = [p for p in inspect.signature(cls.__init__).parameters if p != "self"]
    body = [line.strip() for line in source.splitlines()[1:] if " = " in line]
    assert body == [f"self.{p} = {p}" for p in params]


def test_a_toy_estimator_of_four_hooks_fits_saves_and_loads(tmp_path):
    t = np.arange(30.0)
    X = [np.sin(t[:n] * 0.4)[:, None] for n in (30, 24, 27, 30) * 4]
    toy = NextStepForecaster(units=8, epochs=30, random_state=0).fit(X)
    before = toy.predict(X[:2])
    assert toy.history_["loss"][-1] < toy.history_["loss"][0] / 2
    np.testing.assert_array_equal(
        pickle.loads(pickle.dumps(toy)).predict(X[:2]), before
    )
    toy.save(tmp_path / "toy.seqae")
    np.testing.assert_array_equal(load(tmp_path / "toy.seqae").predict(X[:2]), before)
    assert clone(toy).get_params() == toy.get_params()
