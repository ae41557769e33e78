"""Pretraining on a synthetic corpus: codes that training on the set cannot give?

The last lead of the issue "Codes that earn their training": one encoder
pretrained on a large synthetic corpus (KernelSynth, CauKer) reaches about
0.78 zero-shot on UCR-128, useful as an extra block. Measured here before
any weights are shipped, the way defaults may be chosen: 5-fold CV on the
*training* split of each development set, codes scored with StandardScaler +
LogisticRegression and with an RBF SVC (C = 10), on the folds of
``bench/objectives.py``.

The corpus follows KernelSynth: each series is a draw from a Gaussian process
whose kernel combines one to three of scikit-learn's RBF, ExpSineSquared,
DotProduct, RationalQuadratic and WhiteKernel by sum or product, with a
non-zero mean. Its lengths are drawn from the lengths of the set's own
training split, so the pretrained network reads patches of the same size as
the defaults do there: the most favourable case for pretraining (shipped
weights would have to serve every length). The network is the defaults',
fitted on the corpus without labels.

Rows: the defaults fitted on the set; the same network untrained; the
pretrained network applied to the set as it is (zero-shot); its codes
concatenated with the defaults' (an extra block); and the pretrained network
trained further on the set (``warm_start=True``).
"""

import sys
import time
from pathlib import Path

import numpy as np

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).parent))
from _common import main, run_cases  # noqa: E402
from features import LABELS, _load  # noqa: E402
from objectives import cv_scores  # noqa: E402

CORPUS_SIZE = {"quick": 200, "full": 2_000}
#: Points at which each Gaussian-process draw is made, then resampled.
DRAW_LENGTH = 256
DATASETS = {
    "quick": ["UnitTest"],
    "full": ["ACSF1", "PLAID", "UnitTest", "SyntheticControl", "TwoPatterns"],
}
ROWS = (
    "defaults, fitted on the set",
    "same network untrained",
    "pretrained on the corpus, zero-shot",
    "pretrained codes + the defaults' codes",
    "pretrained, then trained on the set",
)


def _random_kernel(rng):
    from sklearn.gaussian_process.kernels import (
        RBF,
        DotProduct,
        ExpSineSquared,
        RationalQuadratic,
        WhiteKernel,
    )

    bank = (
        lambda: RBF(length_scale=rng.choice([0.01, 0.03, 0.1, 0.3, 1.0])),
        lambda: ExpSineSquared(
            length_scale=rng.choice([0.3, 1.0, 3.0]),
            periodicity=rng.choice([1 / 48, 1 / 24, 1 / 12, 1 / 7, 1 / 4, 1 / 2, 1.0]),
        ),
        lambda: DotProduct(sigma_0=rng.uniform(0.0, 1.0)),
        lambda: RationalQuadratic(
            length_scale=rng.choice([0.03, 0.1, 0.3]), alpha=rng.choice([0.1, 1, 10])
        ),
        lambda: WhiteKernel(noise_level=0.1),
    )
    kernel = bank[rng.integers(len(bank))]()
    for _ in range(rng.integers(0, 3)):
        other = bank[rng.integers(len(bank))]()
        kernel = kernel + other if rng.random() < 0.5 else kernel * other
    return kernel


def synthetic_corpus(lengths, n, seed):
    """``n`` KernelSynth-style series of (T, 1), T drawn from ``lengths``."""
    rng = np.random.default_rng(seed)
    t = np.linspace(0.0, 1.0, DRAW_LENGTH)
    out = []
    for _ in range(n):
        cov = _random_kernel(rng)(t[:, None]) + 1e-6 * np.eye(DRAW_LENGTH)
        draw = rng.multivariate_normal(
            np.full(DRAW_LENGTH, rng.normal()), cov, method="eigh"
        )
        length = int(rng.choice(lengths))
        out.append(np.interp(np.linspace(0, 1, length), t, draw)[:, None])
    return out


def case(mode, name):
    from sklearn_seqae import LSTMAutoencoderTransformer

    X, y, _, _ = _load(name, seed=0)
    corpus = synthetic_corpus([len(x) for x in X], CORPUS_SIZE[mode], seed=0)
    timed = {}

    def fit(label, model, data):
        start = time.perf_counter()
        model.fit(data)
        timed[label] = time.perf_counter() - start
        return model

    defaults = fit(ROWS[0], LSTMAutoencoderTransformer(random_state=0), X)
    untrained = fit(
        ROWS[1],
        LSTMAutoencoderTransformer(random_state=0, max_steps=1, learning_rate=1e-12),
        X,
    )
    pretrained = fit(ROWS[2], LSTMAutoencoderTransformer(random_state=0), corpus)
    codes = {
        ROWS[0]: defaults.transform(X),
        ROWS[1]: untrained.transform(X),
        ROWS[2]: pretrained.transform(X),
    }
    codes[ROWS[3]] = np.hstack([codes[ROWS[2]], codes[ROWS[0]]])
    timed[ROWS[3]] = timed[ROWS[0]] + timed[ROWS[2]]
    pretrained.set_params(warm_start=True)
    codes[ROWS[4]] = fit(ROWS[4], pretrained, X).transform(X)
    timed[ROWS[4]] += timed[ROWS[2]]
    out = {"patch_size": int(defaults.patch_size_)}
    for row, F in codes.items():
        out[row] = dict(**cv_scores(F, y), fit_s=timed[row])
        print(f"    {name}: {row}: {out[row]}", file=sys.stderr, flush=True)
    return out


CASES = {
    name: (lambda mode, name=name: case(mode, name))
    for name in dict.fromkeys(DATASETS["quick"] + DATASETS["full"])
}


def run(mode):
    return run_cases(__file__, DATASETS[mode], mode)


def markdown(results):
    names = list(results)
    lines = [
        "5-fold CV accuracy on the training split of the codes with "
        "LogisticRegression / RBF SVC (C=10), and the fits' seconds, one seed. "
        "The corpus is 2,000 KernelSynth-style series (200 in the quick mode) "
        "with the set's own training lengths. 1-NN DTW and MiniRocket on the "
        "same folds: the objectives table.",
        "",
        "| codes | " + " | ".join(LABELS[n] for n in names) + " |",
        "| --- |" + " --- |" * len(names),
    ]
    for row in ROWS:
        cells = [
            "{logistic:.3f} / {svc:.3f} ({fit_s:.0f} s)".format(**results[n][row])
            for n in names
        ]
        lines.append(f"| {row} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


if __name__ == "__main__":
    main(__file__, CASES, run, markdown)
