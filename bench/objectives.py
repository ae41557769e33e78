"""Which code and which objective? One change at a time from the defaults.

The evidence behind ``LSTMAutoencoderTransformer``'s defaults: every row
changes one thing (or, for the 0.1 defaults, everything) and scores the
codes with StandardScaler + LogisticRegression and with an RBF SVC whose C
is chosen by 5-fold CV, on the development data sets of
``bench/features.py``. "untrained encoder" keeps the initial weights
(one optimizer step): it shows what training adds over random LSTM
features.
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
    'code="last"': dict(code="last"),
    'code="mean"': dict(code="mean"),
    'code="max"': dict(code="max"),
    'code="last_mean_max"': dict(code="last_mean_max"),
    'standardize="global"': dict(standardize="global"),
    "no contrastive term (denoising only)": dict(contrastive_weight=0.0),
    "plain reconstruction (no denoising, no contrastive term)": dict(
        contrastive_weight=0.0, mask_fraction=0.0, noise=0.0
    ),
    "untrained encoder (max_steps=1)": dict(max_steps=1),
    "max_steps=1000": dict(max_steps=1000),
    "0.1 defaults: last state, global scaling, plain reconstruction": dict(
        code="last",
        standardize="global",
        contrastive_weight=0.0,
        mask_fraction=0.0,
        noise=0.0,
    ),
}
DATASETS = {
    "quick": ["sine_square", "UnitTest"],
    # PLAID (75 s per fit) would make this a 25-minute run; its evidence for
    # per-sequence scaling (0.49 -> 0.87) is in the user guide's text.
    "full": ["sine_square", "wide_waves", "UnitTest"],
}


def case(mode, name):
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import GridSearchCV, StratifiedKFold
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler
    from sklearn.svm import SVC

    from sklearn_seqae import LSTMAutoencoderTransformer

    X_train, y_train, X_test, y_test = _load(name, seed=0)
    n_min = np.unique(y_train, return_counts=True)[1].min()
    out = {}
    for variant, params in VARIANTS.items():
        ae = LSTMAutoencoderTransformer(random_state=0, **params)
        start = time.perf_counter()
        F_train = ae.fit_transform(X_train)
        fit_s = time.perf_counter() - start
        F_test = ae.transform(X_test)
        logistic = make_pipeline(StandardScaler(), LogisticRegression(max_iter=5000))
        svc = GridSearchCV(
            make_pipeline(StandardScaler(), SVC()),
            {"svc__C": np.logspace(-2, 4, 7)},
            cv=StratifiedKFold(min(5, n_min), shuffle=True, random_state=0),
        )
        out[variant] = dict(
            logistic=float(logistic.fit(F_train, y_train).score(F_test, y_test)),
            svc=float(svc.fit(F_train, y_train).score(F_test, y_test)),
            fit_s=fit_s,
            n_steps=int(ae.n_steps_),
        )
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
        "Test accuracy of the codes with LogisticRegression / RBF SVC, and the "
        "autoencoder's fit time in seconds, one seed. Each row changes the "
        "defaults as it says.",
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
        ".. list-table:: Test accuracy, LogisticRegression / RBF SVC (fit s)",
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
