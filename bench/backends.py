"""TensorFlow against JAX on the CPU, and data-parallel training on JAX.

Each case runs the same three tasks in a fresh interpreter with
``KERAS_BACKEND`` set, at default settings and on the same data:

autoencoder
    ``LSTMAutoencoderTransformer()`` fitted on sine and square waves of 50
    steps (its default budget of 200 optimizer steps); transform
    throughput; LogisticRegression on the codes, accuracy on fresh waves.
tokens
    tutorial 002's reversed-prefix problem with ``Seq2SeqClassifier``;
    exact accuracy and greedy decoding throughput on fresh sequences.
tagging
    tutorial 001's whole-window echo with ``TimestepClassifier``.

A third case runs JAX with ``devices=2`` on two logical CPU devices
(``XLA_FLAGS=--xla_force_host_platform_device_count=2``): the same
computation split in two, which shows what data parallelism costs or gains
when the "devices" share the same cores.
"""

import os
import sys
import time
from pathlib import Path

import numpy as np

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).parent))
from _common import main, run_case, write_list_table  # noqa: E402

SIZES = {
    "quick": dict(n_waves=500, n_prefix=5_000, n_echo=5_000, n_test=2_000),
    "full": dict(n_waves=2_000, n_prefix=100_000, n_echo=20_000, n_test=10_000),
}
BACKENDS = {
    "tensorflow": dict(KERAS_BACKEND="tensorflow"),
    "jax": dict(KERAS_BACKEND="jax"),
    "jax_2_devices": dict(
        KERAS_BACKEND="jax", XLA_FLAGS="--xla_force_host_platform_device_count=2"
    ),
}


def _timed(function):
    start = time.perf_counter()
    out = function()
    return out, time.perf_counter() - start


def _rate(predict, X):
    predict(X[:256])  # the first call traces or compiles
    _, seconds = _timed(lambda: predict(X))
    return len(X) / seconds


def _case(mode, devices):
    from sklearn.linear_model import LogisticRegression

    from sklearn_seqae import (
        LSTMAutoencoderTransformer,
        Seq2SeqClassifier,
        TimestepClassifier,
    )
    from sklearn_seqae._keras import import_keras
    from sklearn_seqae.datasets import make_labelled_waves, make_reversed_prefix

    size = SIZES[mode]
    out = {"backend": import_keras().backend.backend()}

    X, y = make_labelled_waves(size["n_waves"], length=50, random_state=0)
    X_test, y_test = make_labelled_waves(size["n_test"], length=50, random_state=1)
    ae = LSTMAutoencoderTransformer(devices=devices, random_state=0)
    _, fit_s = _timed(lambda: ae.fit(X))
    codes = LogisticRegression(max_iter=1000).fit(ae.transform(X), y)
    out["autoencoder"] = dict(
        fit_s=fit_s,
        per_s=_rate(ae.transform, X_test),
        accuracy=codes.score(ae.transform(X_test), y_test),
    )

    X, y = make_reversed_prefix(size["n_prefix"], random_state=0)
    X_test, y_test = make_reversed_prefix(size["n_test"], random_state=1)
    clf = Seq2SeqClassifier(input_type="tokens", devices=devices, random_state=0)
    _, fit_s = _timed(lambda: clf.fit(X, y))
    out["tokens"] = dict(
        fit_s=fit_s,
        per_s=_rate(clf.predict, X_test),
        accuracy=clf.score(X_test, y_test),
    )

    rng = np.random.RandomState(0)
    X = rng.randint(0, 100, size=(size["n_echo"], 5))
    X_test = rng.randint(0, 100, size=(size["n_test"], 5))
    tagger = TimestepClassifier(
        input_type="tokens", bidirectional=True, devices=devices, random_state=0
    )
    _, fit_s = _timed(lambda: tagger.fit(X, X))
    out["tagging"] = dict(
        fit_s=fit_s,
        per_s=_rate(tagger.predict, X_test),
        accuracy=tagger.score(X_test, X_test),
    )
    return out


CASES = {
    "tensorflow": lambda mode: _case(mode, None),
    "jax": lambda mode: _case(mode, None),
    "jax_2_devices": lambda mode: _case(mode, 2),
}


def run(mode):
    results = {}
    for name, env in BACKENDS.items():
        print(f"  backends: {name} ...", flush=True)
        start = time.perf_counter()
        results[name] = run_case(__file__, name, mode, env=dict(os.environ, **env))
        print(f"    {time.perf_counter() - start:.0f} s", flush=True)
    return {"mode": mode, "results": results}


TASKS = {
    "autoencoder": "autoencoder, sine vs square (LogisticRegression on codes)",
    "tokens": "Seq2SeqClassifier, tutorial 002 (exact accuracy)",
    "tagging": "TimestepClassifier, tutorial 001 echo (per-step accuracy)",
}


HEADER = ("task", "backend", "fit s", "predict seq/s", "accuracy")


def _caption(results):
    size = SIZES[results["mode"]]
    return (
        f"Default settings on the CPU; {size['n_waves']:,} waves of 50 steps, "
        f"{size['n_prefix']:,} reversed prefixes, {size['n_echo']:,} echo windows "
        f"for training, {size['n_test']:,} fresh sequences each for accuracy and "
        "throughput (after a first call that compiles). `jax, devices=2` splits "
        "every batch over two logical CPU devices that share the same cores. "
        "Accuracy here only checks that each backend learns the same task; the "
        "feature, per-step and seq2seq tables compare with other methods."
    )


def _rows(results):
    for task, title in TASKS.items():
        for name in BACKENDS:
            r = results["results"][name][task]
            yield (
                title,
                name.replace("_2_devices", ", devices=2"),
                f"{r['fit_s']:.1f}",
                f"{r['per_s']:,.0f}",
                f"{r['accuracy']:.4f}",
            )


def markdown(results):
    lines = [_caption(results), "", "| " + " | ".join(HEADER) + " |"]
    lines.append("| --- " * len(HEADER) + "|")
    lines += ["| " + " | ".join(row) + " |" for row in _rows(results)]
    return "\n".join(lines)


DOCS_TABLE = Path(__file__).parents[1] / "docs" / "backends_table.rst"


def docs(results):
    """Write the table for the scaling page (a full run only)."""
    caption = _caption(results).replace("`", "``")
    write_list_table(DOCS_TABLE, "backends", caption, (HEADER, *_rows(results)))


if __name__ == "__main__":
    main(__file__, CASES, run, markdown)
