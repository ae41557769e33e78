"""Which code and which objective? One change at a time from the defaults.

The evidence behind ``LSTMAutoencoderTransformer``'s defaults, measured the
way defaults may be chosen: by 5-fold cross-validation on the *training*
split of each development set (the test splits and the project's held-out
sets are never looked at). The autoencoder is fitted on the whole training
split without labels; its codes are scored with StandardScaler +
LogisticRegression and with an RBF SVC (C = 10), each by stratified 5-fold
CV. Every row changes the defaults as it says (a row may compute its
change from the training sequences, or concatenate the codes of several
autoencoders). "untrained" keeps the
initial weights (one optimizer step at a learning rate of 1e-12): what
training adds over random LSTM features. The methods a user would try
instead (1-NN Euclidean, 1-NN DTW, MiniRocket) are scored on the same folds:
a default that wins by cross-validation is compared with them the same way.
"""

import sys
import time
from pathlib import Path

import numpy as np

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).parent))
from _common import main, run_cases  # noqa: E402
from features import (  # noqa: E402
    LABELS,
    METHODS,
    _dtw_1nn,
    _load,
    _minirocket,
    _padded,
)

VARIANTS = {
    "defaults": {},
    "untrained (same network, initial weights)": dict(max_steps=1, learning_rate=1e-12),
    "units=64, max_steps=1000 (the previous defaults)": dict(units=64, max_steps=1000),
    # Differs from the defaults on ragged data only (PLAID).
    "patches from the longest sequence (at most 96 patches; the previous rule)": (
        lambda X: dict(patch_size=-(-max(len(x) for x in X) // 96))
    ),
    "max_steps=200 (the 0.2 budget)": dict(max_steps=200),
    "early stopping on the training loss (n_iter_no_change=10, as 0.2)": dict(
        n_iter_no_change=10
    ),
    "crop_fraction=1.0 (contrast two corruptions, no crop, as 0.2)": dict(
        crop_fraction=1.0
    ),
    "crop_fraction=0.3 (shorter crops)": dict(crop_fraction=0.3),
    "contrastive_weight=3.0": dict(contrastive_weight=3.0),
    # A list: one autoencoder per entry, their codes concatenated, as a user
    # would with sklearn.pipeline.make_union. Where the defaults read step by
    # step (patches of 1), both read step by step and differ in nothing.
    "two resolutions: the defaults' codes and those of patches half as long": (
        lambda X: [{}, dict(patch_size=max(1, _auto_patch_size(X) // 2))]
    ),
    # Both directions: a crop's start no longer reads from an empty state.
    "bidirectional=True": dict(bidirectional=True),
    "bidirectional=True, units=64 (about the defaults' fit time)": dict(
        bidirectional=True, units=64
    ),
    "no contrastive term (denoising only)": dict(contrastive_weight=0.0),
    "plain reconstruction (no denoising, no contrastive term)": dict(
        contrastive_weight=0.0, mask_fraction=0.0, noise=0.0
    ),
    'code="last"': dict(code="last"),
    'code="last_mean_max"': dict(code="last_mean_max"),
    'standardize="global"': dict(standardize="global"),
}
#: Methods that need no codes, scored on the same training-split folds.
BASELINES = METHODS[3:]
DATASETS = {
    "quick": ["sine_square", "UnitTest"],
    "full": ["ACSF1", "PLAID", "UnitTest", "SyntheticControl", "TwoPatterns"],
}


def _auto_patch_size(X):
    from sklearn_seqae._patches import auto_patch_size

    return auto_patch_size(np.array([len(x) for x in X]))


def _autoencoders(params):
    """``(transformer, its autoencoders)``: one, or the union of several."""
    from sklearn.pipeline import make_union

    from sklearn_seqae import LSTMAutoencoderTransformer

    if isinstance(params, dict):
        params = [params]
    parts = [LSTMAutoencoderTransformer(random_state=0, **p) for p in params]
    return (parts[0] if len(parts) == 1 else make_union(*parts)), parts


def _folds(y):
    from sklearn.model_selection import StratifiedKFold

    n_min = np.unique(y, return_counts=True)[1].min()
    return StratifiedKFold(min(5, n_min), shuffle=True, random_state=0)


def _cv_accuracy(model, F, y):
    from sklearn.model_selection import cross_val_score

    return float(cross_val_score(model, F, y, cv=_folds(y)).mean())


def cv_scores(F, y):
    """CV accuracy of codes ``F`` with LogisticRegression and an RBF SVC (C=10)."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler
    from sklearn.svm import SVC

    logistic = make_pipeline(StandardScaler(), LogisticRegression(max_iter=5000))
    svc = make_pipeline(StandardScaler(), SVC(C=10.0))
    return dict(logistic=_cv_accuracy(logistic, F, y), svc=_cv_accuracy(svc, F, y))


def _baselines(X, y):
    """CV accuracy and mean seconds per fold of :data:`BASELINES`.

    The seconds are MiniRocket's fit, and the 1-NN methods' fit and
    prediction (computing the distances is their work).
    """
    from sklearn.neighbors import KNeighborsClassifier

    length = max(len(s) for s in X)
    scores = {method: ([], []) for method in BASELINES}
    for train, test in _folds(y).split(np.zeros((len(y), 1)), y):
        X_a, X_b = [X[i] for i in train], [X[i] for i in test]
        P_a, P_b = _padded(X_a, length), _padded(X_b, length)
        start = time.perf_counter()
        knn = KNeighborsClassifier(n_neighbors=1).fit(P_a, y[train])
        knn_run = (knn.predict(P_b), time.perf_counter() - start)
        start = time.perf_counter()
        dtw_pred = _dtw_1nn(X_a, y[train], X_b)
        dtw_run = (dtw_pred, time.perf_counter() - start)
        runs = (knn_run, dtw_run, _minirocket(X_a, y[train], X_b, seed=0))
        for method, (pred, seconds) in zip(BASELINES, runs, strict=True):
            scores[method][0].append(np.mean(pred == y[test]))
            scores[method][1].append(seconds)
    return {
        method: dict(accuracy=float(np.mean(acc)), fit_s=float(np.mean(sec)))
        for method, (acc, sec) in scores.items()
    }


def case(mode, name):
    X_train, y_train, _, _ = _load(name, seed=0)
    out = {}
    for variant, params in VARIANTS.items():
        if callable(params):
            params = params(X_train)
        model, parts = _autoencoders(params)
        start = time.perf_counter()
        F_train = model.fit_transform(X_train)
        fit_s = time.perf_counter() - start
        out[variant] = dict(
            **cv_scores(F_train, y_train),
            fit_s=fit_s,
            n_steps=[int(ae.n_steps_) for ae in parts],
            patch_size=[int(ae.patch_size_) for ae in parts],
        )
        print(f"    {name}: {variant}: {out[variant]}", file=sys.stderr, flush=True)
    out.update(_baselines(X_train, y_train))
    return out


CASES = {
    name: (lambda mode, name=name: case(mode, name))
    for name in dict.fromkeys(DATASETS["quick"] + DATASETS["full"])
}


def run(mode):
    return run_cases(__file__, DATASETS[mode], mode)


def _rows(results, unit=""):
    """``(label, cells)`` of every table row: the variants, then the baselines."""
    names = list(results)
    for variant in VARIANTS:
        cell = "{logistic:.3f} / {svc:.3f} ({fit_s:.0f}" + unit + ")"
        yield variant, [cell.format(**results[n][variant]) for n in names]
    for method in BASELINES:
        cell = "{accuracy:.3f} ({fit_s:.0f}" + unit + ")"
        yield f"{method}, no codes", [cell.format(**results[n][method]) for n in names]


def markdown(results):
    names = list(results)
    lines = [
        "5-fold CV accuracy on the training split of the codes with "
        "LogisticRegression / RBF SVC (C=10), and the autoencoder's fit time "
        "in seconds, one seed. Each row changes the defaults as it says. The "
        "last rows score the methods a user would try instead on the same "
        "folds (accuracy, and seconds per fold: MiniRocket's fit, the 1-NN "
        "methods' fit and prediction).",
        "",
        "| variant | " + " | ".join(LABELS[n] for n in names) + " |",
        "| --- |" + " --- |" * len(names),
    ]
    for label, cells in _rows(results, unit=" s"):
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


DOCS_TABLE = Path(__file__).parents[1] / "docs" / "objectives_table.rst"


def docs(results):
    """Write the table for the user guide (a full run only)."""
    names = list(results)
    lines = [
        ".. Written by bench/objectives.py (make bench ONLY=objectives); do not edit.",
        "",
        ".. list-table:: 5-fold CV accuracy on the training split, "
        "LogisticRegression / RBF SVC (fit s)",
        "   :header-rows: 1",
        "",
        "   * - variant",
    ]
    lines += [f"     - {LABELS[n]}" for n in names]
    for label, cells in _rows(results):
        lines.append(f"   * - {label}")
        lines += [f"     - {cell}" for cell in cells]
    DOCS_TABLE.write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    main(__file__, CASES, run, markdown)
