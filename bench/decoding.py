"""Attention and beam search.

attention
    Reversing whole sequences of 30 tokens (ids 1..30): Seq2SeqClassifier
    at its default training settings with ``attention=None``, ``"dot"`` and
    ``"additive"``, side by side on the same data; per-step and exact
    accuracy on fresh sequences, fit time.
beam
    Tutorial 002's reversed-prefix problem: one model, decoded with beam
    widths 1, 3, 5 and 10; throughput (sequences/s, after a first call that
    traces the decoding function) and exact accuracy on fresh sequences.
"""

import sys
import time
from pathlib import Path

import numpy as np

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).parent))
from _common import main, run_case  # noqa: E402

SIZES = {
    "quick": dict(n_reverse=3_000, n_prefix=5_000, n_decode=5_000),
    "full": dict(n_reverse=20_000, n_prefix=20_000, n_decode=20_000),
}
LENGTH, N_TOKENS = 30, 30
WIDTHS = (1, 3, 5, 10)


def _reversal(n, seed):
    X = np.random.RandomState(seed).randint(1, N_TOKENS + 1, size=(n, LENGTH))
    return X, X[:, ::-1]


def case_attention(mode, attention):
    from sklearn_seqae import Seq2SeqClassifier
    from sklearn_seqae.metrics import exact_sequence_accuracy, per_step_accuracy

    X, y = _reversal(SIZES[mode]["n_reverse"], 0)
    X_test, y_test = _reversal(2_000, 1)
    clf = Seq2SeqClassifier(input_type="tokens", attention=attention, random_state=0)
    start = time.perf_counter()
    clf.fit(X, y)
    fit_s = time.perf_counter() - start
    pred = clf.predict(X_test)
    return dict(
        fit_s=fit_s,
        per_step=per_step_accuracy(y_test, pred),
        exact=exact_sequence_accuracy(y_test, pred),
        n_steps=int(clf.n_steps_),
    )


def case_beam(mode):
    from sklearn_seqae import Seq2SeqClassifier
    from sklearn_seqae.datasets import make_reversed_prefix

    size = SIZES[mode]
    X, y = make_reversed_prefix(size["n_prefix"], random_state=0)
    X_test, y_test = make_reversed_prefix(size["n_decode"], random_state=1)
    clf = Seq2SeqClassifier(input_type="tokens", random_state=0).fit(X, y)
    out = {}
    for width in WIDTHS:
        clf.set_params(beam_width=width)
        clf.predict(X_test[:256])  # trace once
        start = time.perf_counter()
        accuracy = clf.score(X_test, y_test)
        seconds = time.perf_counter() - start
        out[str(width)] = dict(per_s=len(X_test) / seconds, exact=accuracy)
    return out


CASES = {
    "attention_none": lambda mode: case_attention(mode, None),
    "attention_dot": lambda mode: case_attention(mode, "dot"),
    "attention_additive": lambda mode: case_attention(mode, "additive"),
    "beam": case_beam,
}


def run(mode):
    results = {}
    for name in CASES:
        print(f"  decoding: {name} ...", flush=True)
        start = time.perf_counter()
        results[name] = run_case(__file__, name, mode)
        print(f"    {time.perf_counter() - start:.0f} s", flush=True)
    return {"mode": mode, "results": results}


def markdown(results):
    size, res = SIZES[results["mode"]], results["results"]
    lines = [
        f"Reversing sequences of {LENGTH} tokens (ids 1..{N_TOKENS}): "
        f"{size['n_reverse']:,} training and 2,000 fresh test sequences; "
        "Seq2SeqClassifier at default training settings.",
        "",
        "| attention | per-step accuracy | exact-sequence accuracy | fit s | "
        "optimizer steps |",
        "| --- | --- | --- | --- | --- |",
    ]
    for name in ("none", "dot", "additive"):
        r = res[f"attention_{name}"]
        lines.append(
            f"| {name} | {r['per_step']:.4f} | {r['exact']:.4f} | {r['fit_s']:.1f} | "
            f"{r['n_steps']} |"
        )
    lines += [
        "",
        f"Beam search on tutorial 002's reversed-prefix problem: decoding "
        f"{size['n_decode']:,} fresh sequences with one model trained on "
        f"{size['n_prefix']:,}.",
        "",
        "| beam width | sequences/s | exact-sequence accuracy |",
        "| --- | --- | --- |",
    ]
    for width in WIDTHS:
        r = res["beam"][str(width)]
        lines.append(f"| {width} | {r['per_s']:,.0f} | {r['exact']:.4f} |")
    return "\n".join(lines)


if __name__ == "__main__":
    main(__file__, CASES, run, markdown)
