"""Which code and which objective? One change at a time from the defaults.

The evidence behind ``LSTMAutoencoderTransformer``'s defaults, measured the
way defaults may be chosen: by 5-fold cross-validation on the *training*
split of each development set (the test splits and the project's held-out
sets are never looked at). The autoencoder is fitted on the whole training
split without labels; its codes are scored with StandardScaler +
LogisticRegression and with an RBF SVC (C = 10), each by stratified 5-fold
CV. Every row changes the defaults as it says (a row may compute its
change from the training sequences). "untrained" keeps the
initial weights (one optimizer step at a learning rate of 1e-12): what
training adds over random LSTM features.
"""

import sys
import time
from pathlib import Path

import numpy as np

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).parent))
from _common import main, run_case  # noqa: E402
from features import LABELS, _load  # noqa: E402

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
    "no contrastive term (denoising only)": dict(contrastive_weight=0.0),
    "plain reconstruction (no denoising, no contrastive term)": dict(
        contrastive_weight=0.0, mask_fraction=0.0, noise=0.0
    ),
    'code="last"': dict(code="last"),
    'code="last_mean_max"': dict(code="last_mean_max"),
    'standardize="global"': dict(standardize="global"),
}
DATASETS = {
    "quick": ["sine_square", "UnitTest"],
    "full": ["ACSF1", "PLAID", "UnitTest", "SyntheticControl", "TwoPatterns"],
}


def _cv_accuracy(model, F, y):
    from sklearn.model_selection import StratifiedKFold, cross_val_score

    n_min = np.unique(y, return_counts=True)[1].min()
    folds = StratifiedKFold(min(5, n_min), shuffle=True, random_state=0)
    return float(cross_val_score(model, F, y, cv=folds).mean())


def case(mode, name):
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler
    from sklearn.svm import SVC

    from sklearn_seqae import LSTMAutoencoderTransformer

    X_train, y_train, _, _ = _load(name, seed=0)
    out = {}
    for variant, params in VARIANTS.items():
        if callable(params):
            params = params(X_train)
        ae = LSTMAutoencoderTransformer(random_state=0, **params)
        start = time.perf_counter()
        F_train = ae.fit_transform(X_train)
        fit_s = time.perf_counter() - start
        logistic = make_pipeline(StandardScaler(), LogisticRegression(max_iter=5000))
        svc = make_pipeline(StandardScaler(), SVC(C=10.0))
        out[variant] = dict(
            logistic=_cv_accuracy(logistic, F_train, y_train),
            svc=_cv_accuracy(svc, F_train, y_train),
            fit_s=fit_s,
            n_steps=int(ae.n_steps_),
            patch_size=int(ae.patch_size_),
        )
        print(f"    {name}: {variant}: {out[variant]}", file=sys.stderr, flush=True)
    return out


CASES = {name: (lambda mode, name=name: case(mode, name)) for name in DATASETS["full"]}


def run(mode):
    results = {}
    for name in DATASETS[mode]:
        print(f"  objectives: {name} ...", flush=True)
        start = time.perf_counter()
        results[name] = run_case(__file__, name, mode)
        print(f"    {time.perf_counter() - start:.0f} s", flush=True)
    return results


def markdown(results):
    names = list(results)
    lines = [
        "5-fold CV accuracy on the training split of the codes with "
        "LogisticRegression / RBF SVC (C=10), and the autoencoder's fit time "
        "in seconds, one seed. Each row changes the defaults as it says.",
        "",
        "| variant | " + " | ".join(LABELS[n] for n in names) + " |",
        "| --- |" + " --- |" * len(names),
    ]
    for variant in VARIANTS:
        cells = [
            "{logistic:.3f} / {svc:.3f} ({fit_s:.0f} s)".format(**results[n][variant])
            for n in names
        ]
        lines.append(f"| {variant} | " + " | ".join(cells) + " |")
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
    for variant in VARIANTS:
        lines.append(f"   * - {variant}")
        lines += [
            "     - {logistic:.3f} / {svc:.3f} ({fit_s:.0f})".format(
                **results[n][variant]
            )
            for n in names
        ]
    DOCS_TABLE.write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    main(__file__, CASES, run, markdown)
