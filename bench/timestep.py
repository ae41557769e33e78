"""Per-step estimators and encoder transfer.

echo
    Tutorial 001's whole-window echo: 5 random integers in 0..99, the target
    is the input itself, one label per step. ``TimestepClassifier`` at its
    default settings (tokens in) against ``Seq2SeqClassifier`` at its
    default settings, which must squeeze the window through its code.
    Per-step accuracy on fresh sequences and fit time.
transfer
    Few labels: wide waves, 5% of the training set labelled. An
    ``LSTMAutoencoderTransformer`` learns from all training sequences
    without labels; ``Seq2SeqClassifier(encoder_init=autoencoder)`` then
    trains on the labelled 5%, against the same classifier from scratch,
    the autoencoder's codes with a LogisticRegression, and 1-NN on the raw
    steps, all at default settings (the autoencoder with 64 units, the
    classifier's default width, which ``encoder_init`` needs), over several
    seeds.
"""

import sys
import time
from pathlib import Path

import numpy as np

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).parent))
from _common import main, run_case  # noqa: E402

SIZES = {
    "quick": dict(n_echo=2_000, n_pool=1_000, seeds=[0]),
    "full": dict(n_echo=20_000, n_pool=3_000, seeds=[0, 1, 2, 3, 4]),
}
N_TEST = 2_000
LABELLED = 0.05


def case_echo(mode):
    from sklearn_seqae import Seq2SeqClassifier, TimestepClassifier
    from sklearn_seqae.datasets import make_echo
    from sklearn_seqae.metrics import per_step_accuracy

    X, y = make_echo(SIZES[mode]["n_echo"], length=5, random_state=0)
    X_test, y_test = make_echo(N_TEST, length=5, random_state=1)
    out = {}
    for name, est in {
        "TimestepClassifier": TimestepClassifier(input_type="tokens", random_state=0),
        "Seq2SeqClassifier": Seq2SeqClassifier(input_type="tokens", random_state=0),
    }.items():
        start = time.perf_counter()
        est.fit(X, y)
        fit_s = time.perf_counter() - start
        out[name] = dict(
            fit_s=fit_s,
            per_step_accuracy=per_step_accuracy(y_test, est.predict(X_test)),
            n_steps=int(est.n_steps_),
        )
    return out


def case_transfer(mode, seed):
    from sklearn.linear_model import LogisticRegression
    from sklearn.neighbors import KNeighborsClassifier
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    from sklearn_seqae import LSTMAutoencoderTransformer, Seq2SeqClassifier
    from sklearn_seqae.datasets import make_labelled_waves

    n_pool = SIZES[mode]["n_pool"]
    X, y = make_labelled_waves(
        n_pool + N_TEST, periods=(1, 4), amplitude=(0.5, 2), random_state=seed
    )
    X_pool, X_test, y_test = X[:n_pool], X[n_pool:], y[n_pool:]
    labelled = np.random.RandomState(seed).choice(
        n_pool, int(LABELLED * n_pool), replace=False
    )
    X_few, y_few = X_pool[labelled], y[:n_pool][labelled]
    out = {}
    start = time.perf_counter()
    # As wide as the classifier's default: encoder_init needs equal units.
    ae = LSTMAutoencoderTransformer(units=64, random_state=seed).fit(X_pool)
    ae_s = time.perf_counter() - start
    models = {
        "Seq2SeqClassifier, encoder from the autoencoder": Seq2SeqClassifier(
            encoder_init=ae, random_state=seed
        ),
        "Seq2SeqClassifier from scratch": Seq2SeqClassifier(random_state=seed),
        "autoencoder codes + LogisticRegression": make_pipeline(
            ae, StandardScaler(), LogisticRegression(max_iter=5000)
        ),
        "1-NN on the raw steps": KNeighborsClassifier(n_neighbors=1),
    }
    for name, model in models.items():
        start = time.perf_counter()
        if name.startswith("autoencoder"):
            # The autoencoder is already fitted on the whole pool.
            model[1:].fit(ae.transform(X_few), y_few)
        else:
            model.fit(X_few, y_few)
        fit_s = time.perf_counter() - start
        out[name] = dict(accuracy=float(model.score(X_test, y_test)), fit_s=fit_s)
    out["_autoencoder_fit_s"] = ae_s
    return out


CASES = {"echo": case_echo}
CASES.update(
    {
        f"transfer{seed}": (lambda mode, seed=seed: case_transfer(mode, seed))
        for seed in SIZES["full"]["seeds"]
    }
)


def run(mode):
    results = {"echo": run_case(__file__, "echo", mode)}
    for seed in SIZES[mode]["seeds"]:
        print(f"  timestep: transfer seed {seed} ...", flush=True)
        results[f"transfer{seed}"] = run_case(__file__, f"transfer{seed}", mode)
    return {"mode": mode, "results": results}


def markdown(results):
    mode, res = results["mode"], results["results"]
    size = SIZES[mode]
    lines = [
        f"Whole-window echo (tutorial 001): {size['n_echo']:,} training sequences of "
        f"5 tokens in 0..99, {N_TEST:,} fresh test sequences, default settings.",
        "",
        "| estimator | per-step accuracy | fit s | optimizer steps |",
        "| --- | --- | --- | --- |",
    ]
    for name, r in res["echo"].items():
        lines.append(
            f"| {name} | {r['per_step_accuracy']:.4f} | {r['fit_s']:.1f} | "
            f"{r['n_steps']} |"
        )
    runs = [res[f"transfer{s}"] for s in size["seeds"]]
    names = [k for k in runs[0] if not k.startswith("_")]
    ae_s = np.mean([r["_autoencoder_fit_s"] for r in runs])
    lines += [
        "",
        f"Encoder transfer with few labels: wide waves, {size['n_pool']:,} training "
        f"sequences of which {LABELLED:.0%} labelled, {N_TEST:,} test sequences; "
        f"mean ± std over {len(runs)} seed(s). The autoencoder learned from all "
        f"training sequences without labels ({ae_s:.0f} s).",
        "",
        "| classifier | test accuracy | fit s (labelled part) |",
        "| --- | --- | --- |",
    ]
    for name in names:
        acc = [r[name]["accuracy"] for r in runs]
        fit = np.mean([r[name]["fit_s"] for r in runs])
        lines.append(f"| {name} | {np.mean(acc):.3f} ± {np.std(acc):.3f} | {fit:.1f} |")
    return "\n".join(lines)


if __name__ == "__main__":
    main(__file__, CASES, run, markdown)
