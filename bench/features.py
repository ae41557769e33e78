"""Feature quality: autoencoder codes for a classifier, against raw baselines.

On ``make_labelled_waves`` (noisy sine, square and sawtooth sequences with a
random phase, number of periods and amplitude), at its default settings and
with wider ranges of periods and amplitudes, three classifiers are trained on
the same split:

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
DATASETS = {
    "defaults": {},
    "wide": dict(periods=(1.0, 4.0), amplitude=(0.5, 2.0)),
}
DATASET_LABELS = {
    "defaults": "default data set (2-3 periods, amplitude 1)",
    "wide": "wide data set (1-4 periods, amplitude 0.5-2)",
}


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
    n = size["n_train"]
    out = {}
    for dataset, params in DATASETS.items():
        X, y = make_labelled_waves(
            n + size["n_test"], length=size["length"], random_state=seed, **params
        )
        for name, model in _models(size, seed).items():
            start = time.perf_counter()
            model.fit(X[:n], y[:n])
            fit_s = time.perf_counter() - start
            out[f"{dataset}/{name}"] = dict(
                accuracy=float(model.score(X[n:], y[n:])), fit_s=fit_s
            )
    return out


def run(mode):
    size = SIZES[mode]
    per_seed = [run_case(__file__, f"seed{seed}", mode) for seed in size["seeds"]]
    summary = {}
    for key in per_seed[0]:
        accs = [r[key]["accuracy"] for r in per_seed]
        summary[key] = dict(
            accuracy_mean=float(np.mean(accs)),
            accuracy_std=float(np.std(accs)),
            fit_s_mean=float(np.mean([r[key]["fit_s"] for r in per_seed])),
        )
    return {"size": size, "per_seed": per_seed, "summary": summary}


CASES = {
    f"seed{seed}": (lambda mode, seed=seed: case_seed(mode, seed))
    for seed in SIZES["full"]["seeds"]
}


def _table(results):
    """{classifier: {dataset: summary}} from the flat summary."""
    table = {}
    for key, value in results["summary"].items():
        dataset, name = key.split("/", 1)
        table.setdefault(name, {})[dataset] = value
    return table


def plot(results, path):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    table = _table(results)
    names = list(table)
    fig, ax = plt.subplots(figsize=(8, 3.6))
    height = 0.38
    for j, dataset in enumerate(DATASETS):
        means = [table[k][dataset]["accuracy_mean"] for k in names]
        stds = [table[k][dataset]["accuracy_std"] for k in names]
        ys = np.arange(len(names)) + (j - 0.5) * height
        ax.barh(ys, means, height, xerr=stds, label=DATASET_LABELS[dataset])
        for y, m in zip(ys, means, strict=True):
            ax.text(m + 0.02, y, f"{m:.3f}", va="center", fontsize=8)
    ax.axvline(1 / 3, color="k", ls=":", lw=1, label="chance")
    ax.set_yticks(np.arange(len(names)), names)
    ax.set_xlim(0, 1.15)
    ax.set_xlabel("test accuracy (sine / square / sawtooth)")
    ax.invert_yaxis()
    ax.legend(loc="upper center", bbox_to_anchor=(0.4, -0.25), ncol=2, fontsize=7)
    fig.tight_layout()
    fig.savefig(path, dpi=100, bbox_inches="tight")
    plt.close(fig)


def markdown(results):
    s = results["size"]
    table = _table(results)
    lines = [
        f"make_labelled_waves: {s['n_train']} training and {s['n_test']} test "
        f"sequences of {s['length']} steps, noise 0.1; mean ± std over "
        f"{len(s['seeds'])} data seed(s). The autoencoder: units 32, "
        f"{s['epochs']} epochs, batch 16, learning rate 0.005.",
        "",
        "| classifier | "
        + " | ".join(f"accuracy, {DATASET_LABELS[d]}" for d in DATASETS)
        + " | fit s |",
        "| --- | " + "--- | " * len(DATASETS) + "--- |",
    ]
    for name, by_dataset in table.items():
        cells = [
            "{accuracy_mean:.3f} ± {accuracy_std:.3f}".format(**by_dataset[d])
            for d in DATASETS
        ]
        fit_s = np.mean([v["fit_s_mean"] for v in by_dataset.values()])
        lines.append(f"| {name} | {' | '.join(cells)} | {fit_s:.1f} |")
    return "\n".join(lines)


if __name__ == "__main__":
    main(__file__, CASES, run, markdown)
