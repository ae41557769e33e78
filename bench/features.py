"""Feature quality: autoencoder codes for a classifier, against what users try.

Every method is fitted on the same training split and scored on the same
test split, side by side in one run:

- ``LSTMAutoencoderTransformer`` at its default settings (only
  ``random_state`` set), its codes fed to StandardScaler +
  LogisticRegression, and to an RBF SVC whose C is chosen by 5-fold CV on
  the training codes (the protocol of T-Loss and TS2Vec). The autoencoder
  never sees the labels; its fit time counts for both.
- 1-NN with the Euclidean distance on the raw steps;
- 1-NN with full-window DTW (``dtaidistance``, the C library that sktime's
  own DTW wrappers use for unequal lengths);
- MiniRocket (sktime; ``MiniRocketMultivariateVariable`` for unequal
  lengths) with a RidgeClassifierCV, as its authors recommend;
- the same network untrained: the autoencoder built from the same seed and
  scaled the same way, its weights left as initialised (one optimizer step
  at a learning rate of 1e-12), codes + LogisticRegression. It is the
  honest baseline of a learned representation: what training adds.

Data: sktime's shipped ACSF1, PLAID (unequal lengths) and UnitTest, with
their own train/test splits; the generators with published 1-NN anchors
(Synthetic Control, Two Patterns) at the UCR sizes, each series
z-normalised as in the archive; and the package's generated waves.
Euclidean 1-NN gets PLAID zero-padded at the end to the longest training
sequence. The held-out sets of the project (see DEVELOPERS) are not used.
"""

import sys
import time
from pathlib import Path

import numpy as np

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).parent))
from _common import main, run_case  # noqa: E402

GENERATED = {
    "waves": dict(n_train=600, n_test=1_000, length=30),
    "wide_waves": dict(
        n_train=600, n_test=1_000, length=30, periods=(1.0, 4.0), amplitude=(0.5, 2.0)
    ),
    "sine_square": dict(
        n_train=120,
        n_test=1_000,
        length=60,
        periods=(1.0, 4.0),
        amplitude=(0.5, 2.0),
        shapes=("sine", "square"),
    ),
}
UCR = ("ACSF1", "PLAID", "UnitTest")
# Generators with published 1-NN anchors, at the UCR archive's sizes. Like the
# archive's series, each is z-normalised on its own.
PUBLISHED = {
    "SyntheticControl": ("make_synthetic_control", 300, 300),
    "TwoPatterns": ("make_two_patterns", 1_000, 4_000),
}
LABELS = {
    "waves": "waves (3 shapes)",
    "wide_waves": "wide waves",
    "sine_square": "sine vs square",
    "ACSF1": "ACSF1",
    "PLAID": "PLAID (ragged)",
    "UnitTest": "UnitTest",
    "SyntheticControl": "Synthetic Control",
    "TwoPatterns": "Two Patterns",
}
DATASETS = {
    "quick": ["UnitTest", "SyntheticControl", "sine_square"],
    "full": [
        "ACSF1",
        "PLAID",
        "UnitTest",
        "SyntheticControl",
        "TwoPatterns",
        "waves",
        "wide_waves",
        "sine_square",
    ],
}
# The sets whose trained-minus-untrained gain the goal counts.
REAL_OR_ANCHORED = ("ACSF1", "PLAID", "UnitTest", "SyntheticControl", "TwoPatterns")
SEEDS = {"quick": [0], "full": [0, 1, 2]}
METHODS = (
    "codes + LogisticRegression",
    "codes + RBF SVC (C by 5-fold CV)",
    "same network untrained + LogisticRegression",
    "1-NN Euclidean",
    "1-NN DTW",
    "MiniRocket + RidgeClassifierCV",
)
UNTRAINED = METHODS[2]
# On a test split this small one sequence moves the accuracy by 0.02 or
# more, so the benchmark also records which sequences each method misses.
FEW_TEST = 50


def _load(name, seed):
    """``(X_train, y_train, X_test, y_test)``, sequences as lists of (T, 1)."""
    if name in UCR:
        from sktime.datasets import load_UCR_UEA_dataset

        out = []
        for split in ("train", "test"):
            X, y = load_UCR_UEA_dataset(name, split=split, return_type="nested_univ")
            out += [
                [np.asarray(s, dtype=float)[:, None] for s in X.iloc[:, 0]],
                np.asarray(y),
            ]
        return tuple(out)
    if name in PUBLISHED:
        from sklearn_seqae import datasets

        make, n_train, n_test = PUBLISHED[name]
        X, y = getattr(datasets, make)(n_train + n_test, random_state=seed)
        X = (X - X.mean(axis=1, keepdims=True)) / X.std(axis=1, keepdims=True)
        X = [x[:, None] for x in X]
        return X[:n_train], y[:n_train], X[n_train:], y[n_train:]
    from sklearn_seqae.datasets import make_labelled_waves

    params = dict(GENERATED[name])
    n_train, n_test = params.pop("n_train"), params.pop("n_test")
    X, y = make_labelled_waves(n_train + n_test, random_state=seed, **params)
    X = [x[:, None] for x in X]
    return X[:n_train], y[:n_train], X[n_train:], y[n_train:]


def _padded(sequences, length):
    out = np.zeros((len(sequences), length))
    for i, s in enumerate(sequences):
        out[i, : min(len(s), length)] = s[:length, 0]
    return out


def _timed(fit, predict):
    start = time.perf_counter()
    fit()
    fit_s = time.perf_counter() - start
    return predict(), fit_s


def _codes(X_train, y_train, X_test, seed):
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import GridSearchCV, StratifiedKFold
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler
    from sklearn.svm import SVC

    from sklearn_seqae import LSTMAutoencoderTransformer

    ae = LSTMAutoencoderTransformer(random_state=seed)
    start = time.perf_counter()
    F_train = ae.fit_transform(X_train)
    ae_s = time.perf_counter() - start
    F_test = ae.transform(X_test)
    out = {}
    logistic = make_pipeline(StandardScaler(), LogisticRegression(max_iter=5000))
    pred, s = _timed(
        lambda: logistic.fit(F_train, y_train), lambda: logistic.predict(F_test)
    )
    out[METHODS[0]] = (pred, ae_s + s)
    n_min = np.unique(y_train, return_counts=True)[1].min()
    svc = GridSearchCV(
        make_pipeline(StandardScaler(), SVC()),
        {"svc__C": np.logspace(-2, 4, 7)},
        cv=StratifiedKFold(min(5, n_min), shuffle=True, random_state=seed),
    )
    pred, s = _timed(lambda: svc.fit(F_train, y_train), lambda: svc.predict(F_test))
    out[METHODS[1]] = (pred, ae_s + s)
    extra = dict(
        n_epochs=int(ae.n_iter_),
        n_steps=int(ae.n_steps_),
        fit_s=ae_s,
        patch_size=int(ae.patch_size_),
    )
    untrained = ae.set_params(learning_rate=1e-12, max_steps=1, epochs=1)
    start = time.perf_counter()
    U_train = untrained.fit_transform(X_train)
    logistic = make_pipeline(StandardScaler(), LogisticRegression(max_iter=5000))
    logistic.fit(U_train, y_train)
    u_s = time.perf_counter() - start
    out[UNTRAINED] = (logistic.predict(untrained.transform(X_test)), u_s)
    extra["code_size"] = int(untrained.code_size_)
    return out, extra


def _dtw_1nn(X_train, y_train, X_test):
    from dtaidistance import dtw

    series = [np.ascontiguousarray(s[:, 0], dtype=np.double) for s in X_train + X_test]
    n = len(X_train)
    # Only the train x test block: rows are training, columns test sequences.
    D = dtw.distance_matrix_fast(series, block=((0, n), (n, len(series))))
    return y_train[np.argmin(D[:n, n:], axis=0)]


def _minirocket(X_train, y_train, X_test, seed):
    import pandas as pd
    from sklearn.linear_model import RidgeClassifierCV
    from sklearn.preprocessing import StandardScaler

    ragged = len({len(s) for s in X_train + X_test}) > 1
    if ragged:
        from sktime.transformations.panel.rocket import MiniRocketMultivariateVariable

        rocket = MiniRocketMultivariateVariable(
            pad_value_short_series=0, random_state=seed
        )

        def frame(X):
            return pd.DataFrame({"dim_0": [pd.Series(s[:, 0]) for s in X]})
    else:
        from sktime.transformations.panel.rocket import MiniRocket

        rocket = MiniRocket(random_state=seed)

        def frame(X):
            return np.stack([s[:, 0] for s in X])[:, None, :]

    scaler = StandardScaler(with_mean=False)
    ridge = RidgeClassifierCV(alphas=np.logspace(-3, 3, 10))

    def fit():
        # sktime transformers do not run inside a scikit-learn >= 1.9
        # Pipeline, so the three steps are chained by hand.
        features = np.asarray(rocket.fit_transform(frame(X_train)))
        ridge.fit(scaler.fit_transform(features), y_train)

    def predict():
        features = np.asarray(rocket.transform(frame(X_test)))
        return ridge.predict(scaler.transform(features))

    return _timed(fit, predict)


def case(mode, name, seed):
    from sklearn.neighbors import KNeighborsClassifier

    X_train, y_train, X_test, y_test = _load(name, seed)
    predictions, extra = _codes(X_train, y_train, X_test, seed)
    length = max(len(s) for s in X_train)
    P_train, P_test = _padded(X_train, length), _padded(X_test, length)
    knn = KNeighborsClassifier(n_neighbors=1)
    predictions[METHODS[3]] = _timed(
        lambda: knn.fit(P_train, y_train), lambda: knn.predict(P_test)
    )
    start = time.perf_counter()
    dtw_pred = _dtw_1nn(X_train, y_train, X_test)
    predictions[METHODS[4]] = (dtw_pred, time.perf_counter() - start)
    predictions[METHODS[5]] = _minirocket(X_train, y_train, X_test, seed)
    results = {
        method: dict(accuracy=float(np.mean(pred == y_test)), fit_s=float(s))
        for method, (pred, s) in predictions.items()
    }
    if len(y_test) <= FEW_TEST:
        for method, (pred, _) in predictions.items():
            results[method]["missed"] = np.flatnonzero(pred != y_test).tolist()
    return dict(
        results=results,
        autoencoder=extra,
        n_train=len(X_train),
        n_test=len(X_test),
        lengths=[int(min(map(len, X_train))), int(length)],
        n_classes=int(len(np.unique(y_train))),
    )


CASES = {
    f"{name}/seed{seed}": (lambda mode, name=name, seed=seed: case(mode, name, seed))
    for name in DATASETS["full"]
    for seed in SEEDS["full"]
}


def run(mode):
    per_case = {}
    for name in DATASETS[mode]:
        for seed in SEEDS[mode]:
            key = f"{name}/seed{seed}"
            print(f"  features: {key} ...", flush=True)
            start = time.perf_counter()
            per_case[key] = run_case(__file__, key, mode)
            print(f"    {time.perf_counter() - start:.0f} s", flush=True)
    summary = {}
    for name in DATASETS[mode]:
        runs = [per_case[f"{name}/seed{seed}"] for seed in SEEDS[mode]]
        summary[name] = {
            method: dict(
                accuracy_mean=float(
                    np.mean([r["results"][method]["accuracy"] for r in runs])
                ),
                accuracy_std=float(
                    np.std([r["results"][method]["accuracy"] for r in runs])
                ),
                fit_s_mean=float(
                    np.mean([r["results"][method]["fit_s"] for r in runs])
                ),
            )
            for method in METHODS
        }
        if all("missed" in r["results"][METHODS[0]] for r in runs):
            for method in METHODS:
                summary[name][method]["missed"] = sorted(
                    {i for r in runs for i in r["results"][method]["missed"]}
                )
        first = runs[0]
        summary[name]["_data"] = {
            k: first[k] for k in ("n_train", "n_test", "lengths", "n_classes")
        }
        summary[name]["_autoencoder"] = {
            k: float(np.mean([r["autoencoder"][k] for r in runs]))
            for k in ("n_epochs", "n_steps", "fit_s", "patch_size")
        }
    return {
        "mode": mode,
        "seeds": SEEDS[mode],
        "per_case": per_case,
        "summary": summary,
    }


def plot(results, path):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    summary = results["summary"]
    names = list(summary)
    fig, ax = plt.subplots(figsize=(8, 1.2 + 0.9 * len(names)), layout="constrained")
    height = 0.8 / len(METHODS)
    colors = plt.get_cmap("tab10").colors
    for j, method in enumerate(METHODS):
        means = [summary[n][method]["accuracy_mean"] for n in names]
        ys = np.arange(len(names)) + (j - (len(METHODS) - 1) / 2) * height
        ax.barh(ys, means, height, label=method, color=colors[j])
    ax.set_yticks(np.arange(len(names)), [LABELS[n] for n in names])
    ax.set_xlim(0, 1)
    ax.set_xlabel("test accuracy (mean over seeds)")
    ax.invert_yaxis()
    ax.legend(
        loc="upper center",
        bbox_to_anchor=(0.5, -0.12 / len(names) * 4),
        ncol=2,
        fontsize=8,
    )
    fig.savefig(path, dpi=100)
    plt.close(fig)


def markdown(results):
    summary = results["summary"]
    names = list(summary)
    seeds = results["seeds"]
    lines = [
        f"Test accuracy, mean ± std over {len(seeds)} seed(s) (the autoencoder's "
        "and MiniRocket's; the generated sets also draw new data per seed); fit "
        "time in seconds in brackets. The autoencoder runs at its default "
        "settings.",
        "",
        "| method | " + " | ".join(LABELS[n] for n in names) + " |",
        "| --- |" + " --- |" * len(names),
    ]
    for method in METHODS:
        cells = []
        for n in names:
            best = max(summary[n][m]["accuracy_mean"] for m in METHODS)
            value = summary[n][method]
            text = f"{value['accuracy_mean']:.3f} ± {value['accuracy_std']:.3f}"
            if value["accuracy_mean"] == best:
                text = f"**{text}**"
            cells.append(f"{text} ({value['fit_s_mean']:.1f})")
        lines.append(f"| {method} | " + " | ".join(cells) + " |")
    lines += [
        "| data: train / test sequences, lengths, classes | "
        + " | ".join(
            "{n_train} / {n_test}, {lengths[0]}-{lengths[1]}, {n_classes}".format(
                **summary[n]["_data"]
            )
            for n in names
        )
        + " |",
        "| autoencoder: epochs / optimizer steps / patch size | "
        + " | ".join(
            "{n_epochs:.0f} / {n_steps:.0f} / {patch_size:.0f}".format(
                **summary[n]["_autoencoder"]
            )
            for n in names
        )
        + " |",
    ]
    best_other = {
        n: max(summary[n][m]["accuracy_mean"] for m in METHODS[3:]) for n in names
    }
    codes = {n: max(summary[n][m]["accuracy_mean"] for m in METHODS[:2]) for n in names}
    dtw = {n: summary[n]["1-NN DTW"]["accuracy_mean"] for n in names}
    beat_dtw = [LABELS[n] for n in names if codes[n] > dtw[n]]
    lose_dtw = [LABELS[n] for n in names if codes[n] <= dtw[n]]
    lose_any = [LABELS[n] for n in names if codes[n] < best_other[n]]
    lines += [
        "",
        "Codes (best of the two classifiers) beat 1-NN DTW on: "
        f"{', '.join(beat_dtw) or 'none'}; tie or lose on: "
        f"{', '.join(lose_dtw) or 'none'}. A baseline beats the codes on: "
        f"{', '.join(lose_any) or 'none'}.",
    ]
    gains = {
        n: codes[n] - summary[n][UNTRAINED]["accuracy_mean"]
        for n in names
        if n in REAL_OR_ANCHORED
    }
    if gains:
        lines += [
            "",
            "What training adds (codes, best of the two classifiers, minus the "
            "same network untrained; in brackets the most it could add, one "
            "minus the untrained network's accuracy): "
            + ", ".join(
                f"{LABELS[n]} {g:+.3f} "
                f"({1 - summary[n][UNTRAINED]['accuracy_mean']:.3f})"
                for n, g in gains.items()
            )
            + ".",
        ]
    lines += _missed_lines(summary, results["seeds"])
    return "\n".join(lines)


def _missed_lines(summary, seeds):
    """Which test sequences each method misses, on the small test splits."""
    lines = []
    for n, entry in summary.items():
        if "missed" not in entry[METHODS[0]]:
            continue
        n_test = entry["_data"]["n_test"]
        missed = {m: entry[m]["missed"] for m in METHODS}
        by_all = set.intersection(*(set(v) for v in missed.values()))
        listing = "; ".join(
            f"{m}: {', '.join(f'#{i}' for i in v) or 'none'}" for m, v in missed.items()
        )
        lines += [
            "",
            f"{LABELS[n]}: {n_test} test sequences, so one is "
            f"{1 / n_test:.3f} of the accuracy. Test sequences missed (by any "
            f"of {len(seeds)} seed(s), numbered from 0 in the test split): "
            f"{listing}. Missed by every method: "
            f"{', '.join(f'#{i}' for i in sorted(by_all)) or 'none'}.",
        ]
    return lines


def headline(results):
    """The README's one table: codes against the baselines on the hard sets."""
    summary = results["summary"]
    names = [n for n in summary if n in REAL_OR_ANCHORED]
    rows = {
        "codes (best of LogisticRegression / SVC)": lambda n: max(
            (summary[n][m] for m in METHODS[:2]), key=lambda v: v["accuracy_mean"]
        ),
        "same network untrained + LogisticRegression": lambda n: summary[n][UNTRAINED],
        "1-NN DTW": lambda n: summary[n]["1-NN DTW"],
        "MiniRocket + RidgeClassifierCV": lambda n: summary[n][METHODS[-1]],
    }
    lines = [
        "| test accuracy (fit s) | " + " | ".join(LABELS[n] for n in names) + " |",
        "| --- |" + " --- |" * len(names),
    ]
    for label, get in rows.items():
        best = {n: max(get(n)["accuracy_mean"] for get in rows.values()) for n in names}
        cells = []
        for n in names:
            value = get(n)
            text = f"{value['accuracy_mean']:.3f} ({value['fit_s_mean']:.1f})"
            cells.append(f"**{text}**" if value["accuracy_mean"] == best[n] else text)
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    codes = rows["codes (best of LogisticRegression / SVC)"]
    lose = [
        LABELS[n]
        for n in names
        if codes(n)["accuracy_mean"]
        < max(get(n)["accuracy_mean"] for get in list(rows.values())[2:])
    ]
    lines += [
        "",
        f"Mean of {len(results['seeds'])} seeds. A baseline beats the codes on: "
        f"{', '.join(lose) or 'none'}.",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    main(__file__, CASES, run, markdown)
