"""The accelerator path: fit and decoding speed, and which LSTM kernel ran.

Not part of ``make bench`` (CI machines have no GPU): run it by hand on a
machine with one, ``python bench/gpu.py --mode full``, under the Keras
backend to measure (``KERAS_BACKEND=tensorflow`` or ``jax``). It prints one
JSON document and a Markdown table.

Every case runs in a fresh process. Each workload runs on the accelerator
and, side by side in the same run, on the CPU:

- TensorFlow: the LSTMs with the fused cuDNN kernel (Keras' default where
  it applies: default activations, no recurrent dropout, right-padded
  masks) and with the generic kernel forced (``keras.src.backend.lstm``
  made to decline, which is Keras' own fallback path), and the CPU with the
  GPU hidden. Which kernel ran is counted, not assumed: the cases wrap
  Keras' cuDNN entry point and report how many LSTM layers were built on it.
- JAX: Keras' JAX backend has no fused LSTM kernel (its LSTM is a
  ``lax.scan``), so the comparison is the GPU against the CPU
  (``JAX_PLATFORMS=cpu``).

Workloads: ``LSTMAutoencoderTransformer`` at its default settings (200
optimizer steps) on sequences of 100 steps, then ``transform``;
``Seq2SeqClassifier`` on tutorial 002's reversed-prefix problem with the
benchmark's tuned settings (2 epochs, batch 128), then greedy decoding.
"""

import json
import os
import sys
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).parent))
from _common import machine, run_case  # noqa: E402

SIZES = {
    "smoke": dict(n_ae=200, length=20, n_s2s=1_000, n_decode=1_000),
    "quick": dict(n_ae=2_000, length=100, n_s2s=10_000, n_decode=10_000),
    "full": dict(n_ae=20_000, length=100, n_s2s=100_000, n_decode=100_000),
}


def _count_cudnn():
    """Wrap Keras' cuDNN LSTM entry point; return the list of its calls."""
    calls = []
    if os.environ.get("KERAS_BACKEND", "tensorflow") != "tensorflow":
        return calls
    import importlib

    rnn = importlib.import_module("keras.src.backend.tensorflow.rnn")
    original = rnn._cudnn_lstm

    def counted(*args, **kwargs):
        calls.append(1)
        return original(*args, **kwargs)

    rnn._cudnn_lstm = counted
    return calls


def _force_generic():
    import keras.src.backend as backend

    def decline(*args, **kwargs):
        raise NotImplementedError

    backend.lstm = decline


def _devices():
    import keras

    if keras.backend.backend() == "jax":
        import jax

        return [str(d) for d in jax.devices()]
    import tensorflow as tf

    return [d.name for d in tf.config.list_logical_devices()]


def case(mode, kernel):
    if kernel == "generic":
        _force_generic()
    cudnn_calls = _count_cudnn()
    import keras

    from sklearn_seqae import LSTMAutoencoderTransformer, Seq2SeqClassifier
    from sklearn_seqae.datasets import make_labelled_waves, make_reversed_prefix

    size = SIZES[mode]
    out = dict(backend=keras.backend.backend(), devices=_devices())
    X, _ = make_labelled_waves(
        size["n_ae"], length=size["length"], periods=(1, 8), random_state=0
    )
    ae = LSTMAutoencoderTransformer(random_state=0)
    start = time.perf_counter()
    ae.fit(X)
    out["autoencoder_fit_s"] = time.perf_counter() - start
    out["autoencoder_steps"] = int(ae.n_steps_)
    ae.transform(X[:512])  # trace once
    start = time.perf_counter()
    ae.transform(X)
    out["transform_per_s"] = len(X) / (time.perf_counter() - start)
    X, y = make_reversed_prefix(size["n_s2s"], random_state=0)
    clf = Seq2SeqClassifier(
        input_type="tokens",
        units=64,
        epochs=2,
        batch_size=128,
        learning_rate=0.005,
        random_state=0,
    )
    start = time.perf_counter()
    clf.fit(X, y)
    out["seq2seq_fit_s"] = time.perf_counter() - start
    X_test, y_test = make_reversed_prefix(size["n_decode"], random_state=1)
    clf.predict(X_test[:512])  # trace once
    start = time.perf_counter()
    accuracy = clf.score(X_test, y_test)
    out["decode_per_s"] = len(X_test) / (time.perf_counter() - start)
    out["exact_accuracy"] = accuracy
    out["cudnn_lstm_layers_traced"] = len(cudnn_calls)
    return out


# name -> (environment for the child process, kernel)
PLANS = {
    "tensorflow": {
        "gpu, cuDNN kernel": ({}, "auto"),
        "gpu, generic kernel": ({}, "generic"),
        "cpu": ({"CUDA_VISIBLE_DEVICES": ""}, "auto"),
    },
    "jax": {
        "gpu": ({}, "auto"),
        "cpu": ({"JAX_PLATFORMS": "cpu"}, "auto"),
    },
}


def run(mode, backend):
    results = {}
    for name, (env, kernel) in PLANS[backend].items():
        print(f"  gpu: {name} ...", file=sys.stderr, flush=True)
        child_env = dict(os.environ, KERAS_BACKEND=backend, **env)
        results[name] = run_case(
            __file__, f"{kernel}", mode, env=child_env, timeout=1800
        )
    return results


def markdown(results):
    names = list(results)
    rows = [
        ("devices seen", lambda r: ", ".join(r["devices"])),
        ("LSTM layers traced on cuDNN", lambda r: str(r["cudnn_lstm_layers_traced"])),
        ("autoencoder fit s (200 steps)", lambda r: f"{r['autoencoder_fit_s']:.1f}"),
        ("transform, sequences/s", lambda r: f"{r['transform_per_s']:,.0f}"),
        ("seq2seq fit s (2 epochs)", lambda r: f"{r['seq2seq_fit_s']:.1f}"),
        ("greedy decoding, sequences/s", lambda r: f"{r['decode_per_s']:,.0f}"),
        ("exact-sequence accuracy", lambda r: f"{r['exact_accuracy']:.4f}"),
    ]
    lines = [
        f"Backend: {results[names[0]]['backend']}.",
        "",
        "| measure | " + " | ".join(names) + " |",
        "| --- |" + " --- |" * len(names),
    ]
    for label, cell in rows:
        lines.append(
            f"| {label} | " + " | ".join(cell(results[n]) for n in names) + " |"
        )
    return "\n".join(lines)


def main():
    import argparse

    parser = argparse.ArgumentParser()
    parser.add_argument("--mode", choices=list(SIZES), default="quick")
    parser.add_argument("--case", choices=["auto", "generic"])
    args = parser.parse_args()
    if args.case:
        print(json.dumps(case(args.mode, args.case)))
        return
    backend = os.environ.get("KERAS_BACKEND", "tensorflow")
    start = time.perf_counter()
    results = run(args.mode, backend)
    record = dict(
        machine=machine(),
        mode=args.mode,
        seconds=time.perf_counter() - start,
        results=results,
    )
    print(json.dumps(record, indent=1))
    print(markdown(results))


if __name__ == "__main__":
    main()
