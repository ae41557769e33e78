import os

import pytest

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
# scikit-learn's check_array_api_input (results unchanged with array API
# dispatch on, for NumPy input) skips itself unless SciPy reads this before
# its first import.
os.environ.setdefault("SCIPY_ARRAY_API", "1")


def pytest_configure(config):
    config.addinivalue_line(
        "markers",
        "no_model: the test builds no model and never reaches Keras (checked: it "
        "runs with Keras out of reach); `make test-fast` runs these only",
    )
    config.addinivalue_line(
        "markers",
        "graph: run with compiled tf.functions, as users do (the default for "
        "other tests is eager execution, see the fixture below)",
    )


# Modules of tiny autoencoder and per-step fits; the seq2seq, decoding,
# training-loop and reproducibility tests run compiled.
_EAGER_MODULES = {
    "test_autoencoder",
    "test_catalogue",
    "test_common",
    "test_networks",
    "test_plotting",
    "test_sequences",
    "test_sktime",
    "test_timestep",
}


@pytest.fixture(autouse=True)
def _eager_unless_marked_graph(request):
    """Run TensorFlow eagerly for the API tests, compiled for ``graph`` tests.

    Tracing a tiny model's train and predict functions costs about 3 s per
    fit on 2 cores and running it eagerly about 1 s; most tests of the
    autoencoder and the per-step estimators fit one or two epochs of a 4-unit
    network to check plumbing, so tracing dominated their time. Tests that
    check training results keep the compiled path (``@pytest.mark.graph``),
    as do whole modules outside ``_EAGER_MODULES``; the examples, docs and
    benchmarks always run compiled.
    """
    if (
        os.environ.get("KERAS_BACKEND", "tensorflow") != "tensorflow"
        or request.node.get_closest_marker("no_model") is not None
    ):
        yield
        return
    if (
        request.node.get_closest_marker("graph") is not None
        or request.module.__name__ not in _EAGER_MODULES
        # Seq2seq decoding is a loop over output steps: far slower eagerly.
        or "Seq2Seq" in request.node.name
    ):
        yield
        return
    import tensorflow as tf

    tf.config.run_functions_eagerly(True)
    try:
        yield
    finally:
        tf.config.run_functions_eagerly(False)


class KerasReached(AssertionError):
    """Raised by the ``no_keras`` guard when the package reaches Keras."""


@pytest.fixture
def no_keras(monkeypatch):
    """Fail loudly the moment the package reaches Keras (or builds a model).

    Patches :func:`sklearn_seqae._keras._load`, the one point through which
    ``import_keras`` and ``import_networks`` reach Keras and the network
    module, so the guard holds whatever the module that asks, and even when
    Keras is already imported in this process.
    """
    import sklearn_seqae._keras

    def reached(what):
        raise KerasReached(f"the package reached Keras ({what}) before rejecting")

    monkeypatch.setattr(sklearn_seqae._keras, "_load", reached)


@pytest.fixture(autouse=True)
def _no_model_tests_never_reach_keras(request):
    """A test marked ``no_model`` fails the moment it reaches Keras."""
    if request.node.get_closest_marker("no_model") is not None:
        request.getfixturevalue("no_keras")
