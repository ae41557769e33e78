"""Feature quality: autoencoder codes for a classifier, against raw baselines.

On ``make_labelled_waves`` (noisy sine, square and sawtooth sequences with a
random phase, number of periods and amplitude), three classifiers are
trained on the same split:

- ``LSTMAutoencoderTransformer`` codes, then ``LogisticRegression``
  (a Pipeline; the autoencoder never sees the labels);
- ``LogisticRegression`` on the raw sequences (one column per time step);
- a 1-nearest-neighbour classifier on the raw sequences (Euclidean).

Test accuracy is averaged over several data seeds.
"""

import sys
import time
from pathlib import Path

import numpy as np

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).parent))
from _common import main, run_case  # noqa: E402

SIZES = {
    "quick": dict(n_train=300, n_test=300, length=30, seeds=[0], epochs=30),
    "full": dict(n_train=600, n_test=1_000, length=30, seeds=[0, 1, 2], epochs=30),
}
DATA = dict(noise=0.1, periods=(1.0, 4.0), amplitude=(0.5, 2.0))


def _models(size, seed):
    from sklearn.linear_model import LogisticRegression
    from sklearn.neighbors import KNeighborsClassifier
    from sklearn.pipeline import make_pipeline

    from sklearn_seqae import LSTMAutoencoderTransformer

    autoencoder = LSTMAutoencoderTransformer(
        units=32,
        epochs=size["epochs"],
        batch_size=16,
        learning_rate=0.005,
        random_state=seed,
    )
    return {
        "autoencoder codes + LogisticRegression": make_pipeline(
            autoencoder, LogisticRegression(max_iter=5000)
        ),
        "LogisticRegression on raw steps": LogisticRegression(max_iter=5000),
        "1-nearest neighbour on raw steps": KNeighborsClassifier(n_neighbors=1),
    }


def case_seed(mode, seed):
    from sklearn_seqae.datasets import make_labelled_waves

    size = SIZES[mode]
    X, y = make_labelled_waves(
        size["n_train"] + size["n_test"],
        length=size["length"],
        random_state=seed,
        **DATA,
    )
    n = size["n_train"]
    out = {}
    for name, model in _models(size, seed).items():
        start = time.perf_counter()
        model.fit(X[:n], y[:n])
        fit_s = time.perf_counter() - start
        out[name] = dict(accuracy=float(model.score(X[n:], y[n:])), fit_s=fit_s)
    return out


def run(mode):
    size = SIZES[mode]
    per_seed = [run_case(__file__, f"seed{seed}", mode) for seed in size["seeds"]]
    summary = {}
    for name in per_seed[0]:
        accs = [r[name]["accuracy"] for r in per_seed]
        summary[name] = dict(
            accuracy_mean=float(np.mean(accs)),
            accuracy_std=float(np.std(accs)),
            fit_s_mean=float(np.mean([r[name]["fit_s"] for r in per_seed])),
        )
    return {"size": size, "data": DATA, "per_seed": per_seed, "summary": summary}


CASES = {
    f"seed{seed}": (lambda mode, seed=seed: case_seed(mode, seed))
    for seed in SIZES["full"]["seeds"]
}


def plot(results, path):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    names = list(results["summary"])
    means = [results["summary"][k]["accuracy_mean"] for k in names]
    stds = [results["summary"][k]["accuracy_std"] for k in names]
    fig, ax = plt.subplots(figsize=(7, 2.8))
    ax.barh(names, means, xerr=stds, color=["C0", "C7", "C7"])
    ax.axvline(1 / 3, color="k", ls=":", lw=1, label="chance")
    for i, m in enumerate(means):
        ax.text(m + 0.01, i, f"{m:.3f}", va="center")
    ax.set_xlim(0, 1.1)
    ax.set_xlabel("test accuracy (sine / square / sawtooth)")
    ax.invert_yaxis()
    ax.legend(loc="lower right", fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def markdown(results):
    s = results["size"]
    lines = [
        f"make_labelled_waves: {s['n_train']} training and {s['n_test']} test "
        f"sequences of {s['length']} steps, noise {DATA['noise']}, "
        f"{DATA['periods'][0]:g}-{DATA['periods'][1]:g} periods, amplitude "
        f"{DATA['amplitude'][0]:g}-{DATA['amplitude'][1]:g}; mean over "
        f"{len(s['seeds'])} data seed(s).",
        "",
        "| classifier | test accuracy | fit s |",
        "| --- | --- | --- |",
    ]
    for name, r in results["summary"].items():
        lines.append(
            f"| {name} | {r['accuracy_mean']:.3f} ± {r['accuracy_std']:.3f} "
            f"| {r['fit_s_mean']:.1f} |"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    main(__file__, CASES, run, markdown)
