"""Overhead of the estimators against the same model written in plain Keras.

The plain-Keras model has the estimator's architecture layer for layer (an
LSTM encoder whose final state is the code, learned projections of the code
into the decoder's initial state, an unconditioned LSTM decoder, a per-step
Dense output) and the same optimizer, loss, epochs and batch size; it trains
with ``model.fit(shuffle=True)`` and predicts with ``model.predict``. The
result records both parameter counts, which must be equal.

Each side runs in its own fresh process, alternately, ``repeats`` times; the
best (smallest) wall time of each side is compared, as ``timeit`` advises:
on these machines a whole process sometimes runs the same compiled function
2x slower than another (plain Keras as much as ours), and the JSON file keeps
every run. Fit times include building and
tracing the model, as a user's first ``fit`` does. Predict is timed twice:
the first call (which traces the inference function), and the median of
five later calls.
"""

import statistics
import time
from pathlib import Path

import numpy as np

if __package__ in (None, ""):
    import sys

    sys.path.insert(0, str(Path(__file__).parent))
from _common import main, run_case  # noqa: E402

SIZES = {
    "quick": dict(n=2_000, length=20, horizon=5, units=32, epochs=3, repeats=1),
    "full": dict(n=10_000, length=50, horizon=10, units=64, epochs=3, repeats=3),
}
BATCH_SIZE, LEARNING_RATE = 64, 1e-3


def _data(size):
    rng = np.random.RandomState(0)
    steps = np.arange(size["length"] + size["horizon"])
    freq = rng.uniform(0.1, 0.3, size=(size["n"], 1))
    phase = rng.uniform(0, 2 * np.pi, size=(size["n"], 1))
    waves = np.sin(freq * steps + phase).astype("float32")
    return waves[:, : size["length"]], waves[:, size["length"] :]


def _plain_keras(size, n_out_steps):
    import keras
    from keras import layers

    keras.utils.set_random_seed(0)
    units = size["units"]
    inputs = keras.Input((size["length"], 1))
    code = layers.LSTM(units)(inputs)
    h0 = layers.Dense(units, activation="tanh")(code)
    c0 = layers.Dense(units)(code)
    repeated = layers.RepeatVector(n_out_steps)(code)
    decoded = layers.LSTM(units, return_sequences=True)(
        repeated, initial_state=[h0, c0]
    )
    outputs = layers.Dense(1)(decoded)
    model = keras.Model(inputs, outputs)
    optimizer = keras.optimizers.Adam(LEARNING_RATE, clipnorm=1.0)
    model.compile(optimizer=optimizer, loss="mse")
    return model, keras.Model(inputs, code)


def _timed(fn):
    start = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - start


def _result(fit_s, predict, model):
    _, first_s = _timed(predict)
    # Single calls of the same compiled function vary up to 2x on these
    # machines (plain Keras too), so later calls are a median of five.
    again_s = statistics.median(_timed(predict)[1] for _ in range(5))
    return dict(
        fit_s=fit_s,
        predict_s=first_s,
        predict_again_s=again_s,
        params=model.count_params(),
    )


def case_autoencoder_keras(mode):
    size = SIZES[mode]
    X, _ = _data(size)
    X3 = X[..., None]

    def fit():
        model, encoder = _plain_keras(size, size["length"])
        model.fit(X3, X3, epochs=size["epochs"], batch_size=BATCH_SIZE, verbose=0)
        return model, encoder

    (model, encoder), fit_s = _timed(fit)
    predict = lambda: encoder.predict(X3, batch_size=256, verbose=0)  # noqa: E731
    return _result(fit_s, predict, model)


def _our_settings(size, autoencoder=False):
    """The plain-Keras model's architecture and training, nothing more."""
    settings = dict(
        units=size["units"],
        conditional=False,
        epochs=size["epochs"],
        max_steps=None,
        n_iter_no_change=None,
        batch_size=BATCH_SIZE,
        learning_rate=LEARNING_RATE,
        random_state=0,
    )
    if autoencoder:
        # The 0.1 autoencoder: the last state as the code, global scaling,
        # plain reconstruction (the defaults add a second encoder pass).
        settings.update(
            code="last",
            standardize="global",
            mask_fraction=0.0,
            noise=0.0,
            contrastive_weight=0.0,
        )
    return settings


def case_autoencoder_ours(mode):
    from sklearn_seqae import LSTMAutoencoderTransformer

    size = SIZES[mode]
    X, _ = _data(size)
    ae = LSTMAutoencoderTransformer(**_our_settings(size, autoencoder=True))
    _, fit_s = _timed(lambda: ae.fit(X))
    return _result(fit_s, lambda: ae.transform(X), ae.model_)


def case_regressor_keras(mode):
    size = SIZES[mode]
    X, y = _data(size)

    def fit():
        model, _ = _plain_keras(size, size["horizon"])
        model.fit(
            X[..., None],
            y[..., None],
            epochs=size["epochs"],
            batch_size=BATCH_SIZE,
            verbose=0,
        )
        return model

    model, fit_s = _timed(fit)
    X3 = X[..., None]
    predict = lambda: model.predict(X3, batch_size=256, verbose=0)  # noqa: E731
    return _result(fit_s, predict, model)


def case_regressor_ours(mode):
    from sklearn_seqae import Seq2SeqRegressor

    size = SIZES[mode]
    X, y = _data(size)
    reg = Seq2SeqRegressor(**_our_settings(size))
    _, fit_s = _timed(lambda: reg.fit(X, y))
    return _result(fit_s, lambda: reg.predict(X), reg.model_)


TINY = dict(n=100, length=20, horizon=5, units=8, epochs=3)


def _later_fit(fit_and_transform):
    """Seconds of a second fit + transform in a process that did one."""
    fit_and_transform(0)
    return min(_timed(lambda seed=seed: fit_and_transform(seed))[1] for seed in (1, 2))


def case_later_fit_ours(mode):
    from sklearn_seqae import LSTMAutoencoderTransformer

    X, _ = _data(TINY)
    same = _our_settings(TINY, autoencoder=True)

    def run(seed, **params):
        ae = LSTMAutoencoderTransformer(**{**same, "random_state": seed, **params})
        return ae.fit(X).transform(X)

    defaults = dict(units=8, epochs=3, max_steps=None, batch_size=BATCH_SIZE)
    return dict(
        same_architecture_s=_later_fit(run),
        defaults_s=_later_fit(
            lambda seed: (
                LSTMAutoencoderTransformer(**defaults, random_state=seed)
                .fit(X)
                .transform(X)
            )
        ),
    )


def case_later_fit_keras(mode):
    X, _ = _data(TINY)
    X3 = X[..., None]

    def run(seed):
        model, encoder = _plain_keras(TINY, TINY["length"])
        model.fit(X3, X3, epochs=TINY["epochs"], batch_size=BATCH_SIZE, verbose=0)
        return encoder.predict(X3, batch_size=256, verbose=0)

    return dict(same_architecture_s=_later_fit(run))


CASES = {
    "autoencoder_ours": case_autoencoder_ours,
    "autoencoder_keras": case_autoencoder_keras,
    "regressor_ours": case_regressor_ours,
    "regressor_keras": case_regressor_keras,
    "later_fit_ours": case_later_fit_ours,
    "later_fit_keras": case_later_fit_keras,
}


def run(mode):
    size = SIZES[mode]
    runs = {name: [] for name in CASES}
    for repeat in range(size["repeats"]):
        for name in CASES:
            print(
                f"  overhead: {name} ({repeat + 1}/{size['repeats']}) ...", flush=True
            )
            runs[name].append(run_case(__file__, name, mode))
    results = {"size": size, "batch_size": BATCH_SIZE, "runs": runs}
    results["later_fit"] = {
        "ours_same": min(r["same_architecture_s"] for r in runs["later_fit_ours"]),
        "ours_defaults": min(r["defaults_s"] for r in runs["later_fit_ours"]),
        "keras": min(r["same_architecture_s"] for r in runs["later_fit_keras"]),
    }
    for model in ("autoencoder", "regressor"):
        ours, keras_ = runs[f"{model}_ours"], runs[f"{model}_keras"]
        row = {"params_ours": ours[0]["params"], "params_keras": keras_[0]["params"]}
        for what in ("fit_s", "predict_s", "predict_again_s"):
            row[f"{what}_ours"] = min(r[what] for r in ours)
            row[f"{what}_keras"] = min(r[what] for r in keras_)
            row[f"{what}_ratio"] = row[f"{what}_ours"] / row[f"{what}_keras"]
        results[model] = row
    return results


def markdown(results):
    s = results["size"]
    lines = [
        f"Same architecture, data and training: {s['n']:,} sequences of "
        f"{s['length']} steps, units {s['units']}, {s['epochs']} epochs, batch "
        f"{results['batch_size']}; best of {s['repeats']} fresh-process run(s) "
        "per side (later predict: median of five calls in each).",
        "",
        "| model | params (ours / Keras) | fit s (ours / Keras) | fit ratio "
        "| first predict s (ours / Keras) | ratio "
        "| later predict s (ours / Keras) | ratio |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for model, label in (
        ("autoencoder", "LSTMAutoencoderTransformer: fit, transform"),
        ("regressor", f"Seq2SeqRegressor ({s['horizon']} steps): fit, predict"),
    ):
        r = results[model]
        lines.append(
            f"| {label} | {r['params_ours']:,} / {r['params_keras']:,} "
            f"| {r['fit_s_ours']:.2f} / {r['fit_s_keras']:.2f} "
            f"| **{r['fit_s_ratio']:.2f}** "
            f"| {r['predict_s_ours']:.2f} / {r['predict_s_keras']:.2f} "
            f"| **{r['predict_s_ratio']:.2f}** "
            f"| {r['predict_again_s_ours']:.2f} / {r['predict_again_s_keras']:.2f} "
            f"| **{r['predict_again_s_ratio']:.2f}** |"
        )
    later = results["later_fit"]
    lines += [
        "",
        f"Per-fit overhead: a second fit + transform of a tiny model "
        f"({TINY['n']} sequences of {TINY['length']} steps, units {TINY['units']}, "
        f"{TINY['epochs']} epochs) in a process that has fitted one, best of two: "
        f"ours {later['ours_same']:.2f} s against {later['keras']:.2f} s for the same "
        f"model in plain Keras (ratio **{later['ours_same'] / later['keras']:.2f}**); "
        "at the autoencoder's default code and objectives "
        f"{later['ours_defaults']:.2f} s.",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    main(__file__, CASES, run, markdown)
