"""Anomalies in long streams: the detector against what a user would try.

Each case is one stream: a realistic periodic signal (a mix of sines, or an
ECG-like train of sharp beats with a jittered period), a normal stretch to
fit on and a later stretch to score, with one injected anomaly of one kind
(spike, level shift, frequency change, flat segment, noise burst, shape
change) at a random place. Side by side on the same stream:

- ``LSTMAnomalyDetector(window=W)`` at its defaults;
- the matrix-profile discord (stumpy): the distance of each window of the
  scored stretch to its nearest neighbour, as a self-join of that stretch and
  as an AB-join against the normal stretch;
- IsolationForest on windows of the normal stretch;
- the autoencoder at the 0.2 gallery's settings (40 epochs, learning rate
  0.005, reconstruction only), scoring whole windows;
- the same detector untrained (one optimizer step at a learning rate of
  1e-12): what training adds.

Window scores become point scores as each method would: a point gets the
largest (matrix profile) or the mean (the detector, IsolationForest, the old
autoencoder) score of the windows covering it. Metrics: per-point ROC AUC
against the injected region, whether the top-scoring point lies within 100
points of it, and fit and scoring seconds per 100,000 points. A last case
scores 10 million points (1 million in quick mode) and records peak memory.
"""

import time

import numpy as np
from _common import main, peak_rss_mb, run_case

KINDS = ("spike", "level shift", "frequency change", "flat", "noise burst", "shape")
SIGNALS = ("sines", "beats")
PERIOD = 50
WINDOW = 2 * PERIOD
SIZES = {"quick": (6_000, 6_000), "full": (20_000, 20_000)}
SIGNALS_BY_MODE = {"quick": ("sines",), "full": SIGNALS}
MEMORY_POINTS = {"quick": 1_000_000, "full": 10_000_000}
METHODS = (
    "LSTMAnomalyDetector (defaults)",
    "matrix profile, self-join of the scored stretch",
    "matrix profile, AB-join against the normal stretch",
    "IsolationForest on windows",
    "autoencoder at the 0.2 gallery settings",
    "same detector untrained (initial weights)",
)


def _signal(kind, n, rng, phase=0.0):
    t = np.arange(n) + phase
    if kind == "sines":
        x = (
            np.sin(2 * np.pi * t / PERIOD)
            + 0.4 * np.sin(4 * np.pi * t / PERIOD + 0.5)
            + 0.2 * np.sin(2 * np.pi * t / (7 * PERIOD))
        )
    else:
        # Gaussian beats every PERIOD points, the period jittered by +-4.
        x = np.zeros(n)
        position = rng.uniform(0, PERIOD)
        shape = np.exp(-0.5 * (np.arange(-12, 13) / 2.5) ** 2)
        while position < n:
            p = int(position)
            lo, hi = max(0, p - 12), min(n, p + 13)
            x[lo:hi] += shape[lo - (p - 12) : hi - (p - 12)]
            x[lo:hi] -= 0.25 * shape[lo - (p - 12) : hi - (p - 12)] ** 0.3
            position += PERIOD + rng.uniform(-4, 4)
    return x + 0.05 * rng.normal(size=n)


def make_stream(signal, kind, n_train, n_test, seed):
    """``(train, test, start, stop)``: the anomaly is ``test[start:stop]``."""
    rng = np.random.default_rng(seed)
    train = _signal(signal, n_train, rng)
    test = _signal(signal, n_test, rng, phase=n_train)
    length = 1 if kind == "spike" else 2 * PERIOD
    start = int(rng.integers(n_test // 4, 3 * n_test // 4))
    stop = start + length
    spread = train.std()
    segment = slice(start, stop)
    if kind == "spike":
        test[start] += 4 * spread
    elif kind == "level shift":
        test[segment] += 1.5 * spread
    elif kind == "frequency change":
        fast = _signal(signal, int(1.6 * length) + 1, rng, phase=start)
        test[segment] = fast[np.round(np.arange(length) * 1.6).astype(int)]
    elif kind == "flat":
        test[segment] = test[start]
    elif kind == "noise burst":
        test[segment] += rng.normal(0, 0.6 * spread, size=length)
    else:
        # The same period, another waveform: a square wave of the same spread.
        wave = np.sign(np.sin(2 * np.pi * np.arange(length) / PERIOD))
        test[segment] = wave * spread + train.mean()
    return train, test, start, stop


def _points_from_windows(window_scores, starts, n, window, how):
    """Per-point scores from window scores: the max or mean over covering windows."""
    out = np.full(n, -np.inf if how == "max" else 0.0)
    count = np.zeros(n)
    for k in range(window):
        idx = starts + k
        if how == "max":
            np.maximum.at(out, idx, window_scores)
        else:
            out[idx] += window_scores
            count[idx] += 1
    return out if how == "max" else out / np.maximum(count, 1)


def _windows(x, stride):
    from numpy.lib.stride_tricks import sliding_window_view

    starts = np.arange(0, len(x) - WINDOW + 1, stride)
    return starts, sliding_window_view(x, WINDOW)[starts]


def _run_methods(train, test):
    """``{method: (anomaly score per test point, fit s, score s)}``."""
    import stumpy
    from sklearn.ensemble import IsolationForest

    from sklearn_seqae import LSTMAnomalyDetector, LSTMAutoencoderTransformer

    out = {}
    start = time.perf_counter()
    detector = LSTMAnomalyDetector(window=WINDOW, random_state=0).fit(train)
    fit_s = time.perf_counter() - start
    start = time.perf_counter()
    scores = -detector.score_samples(test)
    out[METHODS[0]] = (scores, fit_s, time.perf_counter() - start)
    start = time.perf_counter()
    untrained = LSTMAnomalyDetector(
        window=WINDOW, max_steps=1, learning_rate=1e-12, random_state=0
    ).fit(train)
    fit_s = time.perf_counter() - start
    start = time.perf_counter()
    scores = -untrained.score_samples(test)
    out[METHODS[5]] = (scores, fit_s, time.perf_counter() - start)

    # Compile stumpy's kernels on a small input first: their first call
    # spends seconds in numba, which is not the method's cost.
    stumpy.stump(train[: 4 * WINDOW], WINDOW)
    stumpy.stump(
        train[: 4 * WINDOW],
        WINDOW,
        T_B=train[4 * WINDOW : 8 * WINDOW],
        ignore_trivial=False,
    )
    starts = np.arange(len(test) - WINDOW + 1)
    start = time.perf_counter()
    profile = stumpy.stump(test, WINDOW)[:, 0].astype(float)
    out[METHODS[1]] = (
        _points_from_windows(profile, starts, len(test), WINDOW, "max"),
        0.0,
        time.perf_counter() - start,
    )
    start = time.perf_counter()
    profile = stumpy.stump(test, WINDOW, T_B=train, ignore_trivial=False)[:, 0]
    out[METHODS[2]] = (
        _points_from_windows(profile.astype(float), starts, len(test), WINDOW, "max"),
        0.0,
        time.perf_counter() - start,
    )

    start = time.perf_counter()
    _, train_windows = _windows(train, WINDOW // 4)
    forest = IsolationForest(random_state=0).fit(train_windows)
    fit_s = time.perf_counter() - start
    start = time.perf_counter()
    test_starts, test_windows = _windows(test, 1)
    window_scores = -forest.score_samples(test_windows)
    out[METHODS[3]] = (
        _points_from_windows(window_scores, test_starts, len(test), WINDOW, "mean"),
        fit_s,
        time.perf_counter() - start,
    )

    start = time.perf_counter()
    old = LSTMAutoencoderTransformer(
        units=32,
        standardize="global",
        mask_fraction=0.0,
        noise=0.0,
        contrastive_weight=0.0,
        epochs=40,
        max_steps=None,
        n_iter_no_change=None,
        learning_rate=0.005,
        random_state=0,
    ).fit(train_windows)
    fit_s = time.perf_counter() - start
    start = time.perf_counter()
    test_starts, test_windows = _windows(test, WINDOW // 4)
    if test_starts[-1] != len(test) - WINDOW:
        test_starts = np.append(test_starts, len(test) - WINDOW)
        test_windows = np.concatenate([test_windows, test[None, -WINDOW:]])
    window_scores = -old.score_samples(np.ascontiguousarray(test_windows))
    out[METHODS[4]] = (
        _points_from_windows(window_scores, test_starts, len(test), WINDOW, "mean"),
        fit_s,
        time.perf_counter() - start,
    )
    return out


def stream_case(mode, signal, kind, seed):
    from sklearn.metrics import roc_auc_score

    n_train, n_test = SIZES[mode]
    train, test, lo, hi = make_stream(signal, kind, n_train, n_test, seed)
    labels = np.zeros(len(test))
    labels[lo:hi] = 1
    results = {}
    for method, (scores, fit_s, score_s) in _run_methods(train, test).items():
        top = int(np.argmax(scores))
        results[method] = dict(
            auc=float(roc_auc_score(labels, scores)),
            hit=bool(lo - 100 <= top < hi + 100),
            fit_s_per_100k=fit_s * 1e5 / n_train,
            score_s_per_100k=score_s * 1e5 / n_test,
        )
    return dict(results=results, anomaly=[lo, hi])


def memory_case(mode):
    from sklearn_seqae import LSTMAnomalyDetector

    n = MEMORY_POINTS[mode]
    rng = np.random.default_rng(0)
    train, _, _, _ = make_stream("sines", "spike", 20_000, 10, 0)
    detector = LSTMAnomalyDetector(window=WINDOW, random_state=0).fit(train)
    stream = _signal("sines", n, rng).astype(np.float32)
    before = peak_rss_mb()
    start = time.perf_counter()
    scores = detector.score_samples(stream)
    seconds = time.perf_counter() - start
    return dict(
        n_points=n,
        score_s=seconds,
        peak_rss_mb=peak_rss_mb(),
        peak_rss_before_scoring_mb=before,
        finite=bool(np.isfinite(scores).all()),
    )


def _stream_cases(mode):
    return [
        (signal, kind, seed)
        for seed, signal in enumerate(SIGNALS_BY_MODE[mode])
        for kind in KINDS
    ]


CASES = {
    f"{signal}/{kind}/seed{seed}": (
        lambda mode, s=signal, k=kind, d=seed: stream_case(mode, s, k, d)
    )
    for signal in SIGNALS
    for kind in KINDS
    for seed in range(len(SIGNALS))
}
CASES["memory"] = memory_case


def run(mode):
    per_case = {}
    for signal, kind, seed in _stream_cases(mode):
        key = f"{signal}/{kind}/seed{seed}"
        print(f"  anomaly: {key} ...", flush=True)
        start = time.perf_counter()
        per_case[key] = run_case(__file__, key, mode)
        print(f"    {time.perf_counter() - start:.0f} s", flush=True)
    print("  anomaly: memory ...", flush=True)
    memory = run_case(__file__, "memory", mode)
    return {"mode": mode, "per_case": per_case, "memory": memory}


def markdown(results):
    per_case = results["per_case"]
    keys = list(per_case)
    kinds = [k for k in KINDS if any(f"/{k}/" in key for key in keys)]
    lines = [
        f"{len(keys)} streams ({', '.join(sorted({k.split('/')[0] for k in keys}))}), "
        f"window {WINDOW} points (two periods); per-point ROC AUC, mean over "
        "the streams of each kind; the last columns: streams whose top-scoring "
        "point lies within 100 points of the anomaly, and fit / scoring "
        "seconds per 100,000 points.",
        "",
        "| method | "
        + " | ".join(kinds)
        + " | top point within 100 | fit s / 100k | score s / 100k |",
        "| --- |" + " --- |" * (len(kinds) + 3),
    ]
    best = {
        kind: max(
            np.mean(
                [per_case[k]["results"][m]["auc"] for k in keys if f"/{kind}/" in k]
            )
            for m in METHODS
        )
        for kind in kinds
    }
    for method in METHODS:
        cells = []
        for kind in kinds:
            auc = np.mean(
                [
                    per_case[k]["results"][method]["auc"]
                    for k in keys
                    if f"/{kind}/" in k
                ]
            )
            text = f"{auc:.3f}"
            cells.append(f"**{text}**" if auc == best[kind] else text)
        hits = sum(per_case[k]["results"][method]["hit"] for k in keys)
        fit = np.mean([per_case[k]["results"][method]["fit_s_per_100k"] for k in keys])
        score = np.mean(
            [per_case[k]["results"][method]["score_s_per_100k"] for k in keys]
        )
        cells += [f"{hits} / {len(keys)}", f"{fit:.1f}", f"{score:.1f}"]
        lines.append(f"| {method} | " + " | ".join(cells) + " |")
    detector, mp = METHODS[0], METHODS[2]
    wins = [
        kind
        for kind in kinds
        if np.mean(
            [per_case[k]["results"][detector]["auc"] for k in keys if f"/{kind}/" in k]
        )
        >= np.mean(
            [per_case[k]["results"][mp]["auc"] for k in keys if f"/{kind}/" in k]
        )
    ]
    lose = [k for k in kinds if k not in wins]
    memory = results["memory"]
    lines += [
        "",
        f"The detector's per-point AUC is at least the matrix profile's (AB-join) on: "
        f"{', '.join(wins) or 'none'}; the matrix profile wins on: "
        f"{', '.join(lose) or 'none'}.",
        "",
        f"Scoring {memory['n_points']:,} points took {memory['score_s']:.0f} s; "
        f"peak memory of the process {memory['peak_rss_mb']:.0f} MB "
        f"({memory['peak_rss_before_scoring_mb']:.0f} MB before scoring).",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    main(__file__, CASES, run, markdown)
