"""Fit time per epoch as n_samples, sequence length and units grow.

One fresh process per curve; each point is a fresh LSTMAutoencoderTransformer
(reconstruct mode, default patches). The length curve is measured twice:
at ``patch_size="auto"`` (the default: at most 96 patches, so time per epoch
levels off) and step by step (``patch_size=1``, linear in length). The first
``partial_fit`` builds and traces the model; the second, timed, is one
steady-state epoch. The growth exponent is the least-squares slope of
log(time) against log(size) over the larger half of the points, where fixed
per-call costs no longer dominate (1 = linear).
"""

import sys
import time
from pathlib import Path

import numpy as np

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).parent))
from _common import main, run_case  # noqa: E402

BASE = dict(n=5_000, length=20, units=32)
CURVES = {
    "quick": {
        "n_samples": [500, 1_000, 2_000, 4_000],
        "length": [10, 30, 100],
        "units": [16, 32, 64],
    },
    "full": {
        "n_samples": [1_000, 3_000, 10_000, 30_000, 100_000],
        "length": [10, 30, 100, 300, 1_000, 2_000, 5_000],
        "length_step_by_step": [10, 30, 100, 300, 1_000, 2_000],
        "units": [16, 32, 64, 128, 256],
    },
}
CURVES["quick"]["length_step_by_step"] = CURVES["quick"]["length"]
# Length points use fewer sequences so that T=1000 stays affordable.
LENGTH_N = {"quick": 500, "full": 1_000}
BATCH_SIZE = 64


def _epoch_seconds(n, length, units, patch_size="auto"):
    from sklearn_seqae import LSTMAutoencoderTransformer

    rng = np.random.RandomState(0)
    steps = np.arange(length)
    X = np.sin(rng.uniform(0.05, 0.5, (n, 1)) * steps + rng.uniform(0, 6, (n, 1)))
    ae = LSTMAutoencoderTransformer(
        units=units, batch_size=BATCH_SIZE, patch_size=patch_size, random_state=0
    ).partial_fit(X)
    start = time.perf_counter()
    ae.partial_fit(X)
    return time.perf_counter() - start


def _curve(name, mode):
    points = []
    for value in CURVES[mode][name]:
        size = dict(BASE)
        if name.startswith("length"):
            size["n"] = LENGTH_N[mode]
        key = {"n_samples": "n", "units": "units"}.get(name, "length")
        size[key] = value
        patch_size = 1 if name == "length_step_by_step" else "auto"
        seconds = _epoch_seconds(**size, patch_size=patch_size)
        points.append(
            {"x": value, "epoch_s": seconds, "patch_size": patch_size, **size}
        )
    return points


CASES = {name: (lambda mode, name=name: _curve(name, mode)) for name in CURVES["full"]}


def growth(points):
    """Log-log slope over the larger half of the points."""
    half = points[len(points) // 2 :] if len(points) > 3 else points
    x = np.log([p["x"] for p in half])
    y = np.log([p["epoch_s"] for p in half])
    return float(np.polyfit(x, y, 1)[0])


def run(mode):
    results = {"base": BASE, "batch_size": BATCH_SIZE, "curves": {}}
    for name in CASES:
        print(f"  scaling: {name} ...", flush=True)
        points = run_case(__file__, name, mode)
        results["curves"][name] = {"points": points, "growth": growth(points)}
    return results


def plot(results, path):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    labels = {
        "n_samples": "n_samples",
        "length": "sequence length (steps)",
        "units": "units",
    }
    curves = results["curves"]
    fig, axes = plt.subplots(1, 3, figsize=(13, 3.8))
    for ax, name in zip(axes, labels, strict=True):
        shown = [name] + (["length_step_by_step"] if name == "length" else [])
        for key in shown:
            if key not in curves:
                continue
            curve = curves[key]
            x = np.array([p["x"] for p in curve["points"]], float)
            y = np.array([p["epoch_s"] for p in curve["points"]])
            what = {"length": "auto patches", "length_step_by_step": "step by step"}
            prefix = f"{what[key]}, " if key in what else "measured, "
            ax.loglog(x, y, "o-", label=f"{prefix}slope {curve['growth']:.2f}")
        x = np.array([p["x"] for p in curves[shown[-1]]["points"]], float)
        y = np.array([p["epoch_s"] for p in curves[shown[-1]]["points"]])
        ax.loglog(x, y[-1] * x / x[-1], "k--", lw=1, label="linear")
        ticks = np.array([p["x"] for p in curves[name]["points"]], float)
        ax.set_xticks(ticks, [f"{int(v):,}" for v in ticks], rotation=45)
        ax.minorticks_off()
        ax.set_xlabel(labels[name])
        ax.set_ylabel("seconds per epoch")
        ax.legend(fontsize=8)
    fig.suptitle("LSTMAutoencoderTransformer: fit time per epoch")
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def markdown(results):
    b = results["base"]
    length_n = results["curves"]["length"]["points"][0]["n"]
    lines = [
        f"Seconds per epoch (after the first), batch {results['batch_size']}; "
        f"fixed values: n_samples {b['n']:,}, length {b['length']}, units "
        f"{b['units']} (length curve: n_samples {length_n:,}).",
        "",
        "| grows | points (size: s/epoch) | growth exponent (1 = linear) |",
        "| --- | --- | --- |",
    ]
    for name, curve in results["curves"].items():
        points = ", ".join(f"{p['x']:,}: {p['epoch_s']:.2f}" for p in curve["points"])
        lines.append(f"| {name} | {points} | {curve['growth']:.2f} |")
    lines += [
        "",
        " ".join(_statement(n, c["growth"]) for n, c in results["curves"].items()),
    ]
    return "\n".join(lines)


def _statement(name, exponent):
    if name == "length":
        return (
            f"With auto patches, time per epoch grows as length^{exponent:.2f} "
            "over the longer half (the patches grow, their number stays at most "
            "96)."
        )
    if 0.8 <= exponent <= 1.2:
        shape = "linear"
    elif exponent > 1.2:
        # An LSTM step is a (batch, units) x (units, 4 units) product: work
        # grows as units squared once it outweighs the fixed per-step cost.
        shape = "faster than linear, as expected for units (quadratic work per step)"
    else:
        shape = "slower than linear (fixed per-batch costs still dominate)"
    return f"Time per epoch grows as {name}^{exponent:.2f}: {shape}."


if __name__ == "__main__":
    main(__file__, CASES, run, markdown)
