"""Seq2SeqClassifier against tutorial 002's hand-written Keras model.

Part of ``make bench`` (full size) and ``make bench-quick``. Every case runs
in a fresh subprocess, so peak memory and timings of one case do not leak
into another; all cases of one run share the machine's state, so the ratios
printed side by side are the figures to compare.

Cases
-----
tutorial
    Tutorial 002's model (one-hot inputs and targets, LSTM(128) encoder and
    decoder, teacher forcing, softmax, Adam, batch 32), trained one epoch on
    the reversed-prefix problem; evaluated with its step-by-step decoding
    loop (one ``predict`` call per step and sequence) on a few sequences.
default
    ``Seq2SeqClassifier(input_type="tokens")`` at its default settings on
    the same data; exact-sequence accuracy and decoding throughput on fresh
    sequences.
tuned
    The same with a training budget close to the tutorial's: 2 epochs,
    larger batches and learning rate.
memory
    Seq2SeqClassifier with a 20,000-token vocabulary, sequences of 20 tokens
    in and out: peak resident memory of fit and predict, against the size of
    the one-hot arrays the tutorial's approach would build.
"""

import sys
import time
from pathlib import Path

import numpy as np

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).parent))
from _common import main, peak_rss_mb, run_cases  # noqa: E402

SIZES = {
    "full": dict(n_train=100_000, n_test=10_000, n_loop=30, n_memory=100_000),
    "quick": dict(n_train=5_000, n_test=2_000, n_loop=10, n_memory=2_000),
}

# Token input is a property of the problem, not a tuning choice.
DEFAULT = dict(input_type="tokens", random_state=0)
TUNED = dict(DEFAULT, units=64, epochs=2, batch_size=128, learning_rate=0.005)


def case_tutorial(mode):
    size = SIZES[mode]
    import keras
    from keras import layers

    from sklearn_seqae.datasets import make_reversed_prefix

    n_out, card = 3, 51  # ids 1..50; 0 is the start token

    def one_hot(ids):
        return np.eye(card, dtype="float32")[ids]

    X, y = make_reversed_prefix(size["n_train"], random_state=0)
    shifted = np.concatenate([np.zeros((len(y), 1), int), y[:, :-1]], axis=1)
    X1, X2, Y = one_hot(X), one_hot(shifted), one_hot(y)

    keras.utils.set_random_seed(0)
    enc_in = keras.Input((None, card))
    _, h, c = layers.LSTM(128, return_state=True)(enc_in)
    dec_in = keras.Input((None, card))
    dec_lstm = layers.LSTM(128, return_sequences=True, return_state=True)
    dec_seq, _, _ = dec_lstm(dec_in, initial_state=[h, c])
    dense = layers.Dense(card, activation="softmax")
    train = keras.Model([enc_in, dec_in], dense(dec_seq))
    train.compile(optimizer="adam", loss="categorical_crossentropy")
    infenc = keras.Model(enc_in, [h, c])
    state_h, state_c = keras.Input((128,)), keras.Input((128,))
    out, h2, c2 = dec_lstm(dec_in, initial_state=[state_h, state_c])
    infdec = keras.Model([dec_in, state_h, state_c], [dense(out), h2, c2])

    start = time.perf_counter()
    train.fit([X1, X2], Y, epochs=1, batch_size=32, verbose=0)
    fit_s = time.perf_counter() - start

    X_test, y_test = make_reversed_prefix(size["n_test"], random_state=1)

    def predict_sequence(source):
        state = infenc.predict(source, verbose=0)
        target = np.zeros((1, 1, card), dtype="float32")
        output = []
        for _ in range(n_out):
            yhat, h_, c_ = infdec.predict([target, *state], verbose=0)
            output.append(yhat[0, 0].argmax())
            state = [h_, c_]
            target = one_hot(np.array([[output[-1]]]))
        return output

    # Accuracy with the model's own batched greedy decoding (same result as
    # the loop, which is too slow to run on 10,000 sequences).
    correct = _batched_accuracy(infenc, infdec, one_hot, X_test, y_test, n_out)
    start = time.perf_counter()
    for source in X_test[: size["n_loop"]]:
        predict_sequence(one_hot(source[None]))
    loop_s = (time.perf_counter() - start) / size["n_loop"]
    return dict(
        fit_s=fit_s,
        exact_accuracy=correct,
        seconds_per_sequence=loop_s,
        sequences_per_s=1 / loop_s,
        peak_rss_mb=peak_rss_mb(),
    )


def _batched_accuracy(infenc, infdec, one_hot, X, y, n_out):
    state = infenc.predict(one_hot(X), batch_size=1024, verbose=0)
    target = np.zeros((len(X), 1, one_hot(np.zeros(1, int)).shape[-1]), "float32")
    preds = []
    for _ in range(n_out):
        yhat, h, c = infdec.predict([target, *state], batch_size=1024, verbose=0)
        preds.append(yhat[:, 0].argmax(-1))
        state = [h, c]
        target = one_hot(preds[-1][:, None])
    return float(np.mean((np.stack(preds, 1) == y).all(axis=1)))


def _ours(mode, params):
    from sklearn_seqae import Seq2SeqClassifier
    from sklearn_seqae.datasets import make_reversed_prefix

    size = SIZES[mode]
    X, y = make_reversed_prefix(size["n_train"], random_state=0)
    X_test, y_test = make_reversed_prefix(size["n_test"], random_state=1)
    clf = Seq2SeqClassifier(**params)
    start = time.perf_counter()
    clf.fit(X, y)
    fit_s = time.perf_counter() - start
    clf.predict(X_test[:10])  # build and trace the decoding function once
    start = time.perf_counter()
    y_pred = clf.predict(X_test)
    predict_s = time.perf_counter() - start
    return dict(
        fit_s=fit_s,
        exact_accuracy=float(np.mean((y_pred == y_test).all(axis=1))),
        predict_s=predict_s,
        sequences_per_s=len(X_test) / predict_s,
        epochs=clf.n_iter_,
        params={k: v for k, v in params.items() if k != "random_state"},
        peak_rss_mb=peak_rss_mb(),
    )


def case_memory(mode):
    from sklearn_seqae import Seq2SeqClassifier

    size = SIZES[mode]
    n, length, vocab = size["n_memory"], 20, 20_000
    rng = np.random.RandomState(0)
    X = rng.randint(0, vocab, size=(n, length))
    X[0, 0] = vocab - 1  # the whole vocabulary occurs
    y = X[:, ::-1].copy()
    clf = Seq2SeqClassifier(
        input_type="tokens",
        embedding_dim=64,
        units=64,
        epochs=1,
        batch_size=256,
        random_state=0,
    )
    baseline = peak_rss_mb()
    start = time.perf_counter()
    clf.fit(X, y)
    fit_s = time.perf_counter() - start
    fit_peak = peak_rss_mb()
    clf.predict(X[:5000])
    one_hot_gb = 2 * n * length * vocab * 4 / 1e9  # float32 inputs + targets
    return dict(
        n_samples=n,
        vocabulary=vocab,
        fit_s=fit_s,
        rss_before_fit_mb=baseline,
        peak_rss_fit_mb=fit_peak,
        peak_rss_after_predict_mb=peak_rss_mb(),
        one_hot_arrays_would_need_gb=one_hot_gb,
    )


CASES = {
    "tutorial": case_tutorial,
    "default": lambda mode: _ours(mode, DEFAULT),
    "tuned": lambda mode: _ours(mode, TUNED),
    "memory": case_memory,
}


def run(mode):
    return dict(run_cases(__file__, CASES, mode, label="seq2seq"), mode=mode)


def markdown(results):
    tut, mem = results["tutorial"], results["memory"]
    default, tuned = results["default"], results["tuned"]

    def speed(r):
        ratio = r["sequences_per_s"] / tut["sequences_per_s"]
        return f"{r['sequences_per_s']:,.0f} ({ratio:,.0f}x)"

    n_test = SIZES[results["mode"]]["n_test"]
    rows = [
        (
            "fit wall time (s)",
            f"{tut['fit_s']:.1f} (1 epoch)",
            f"{default['fit_s']:.1f} ({default['epochs']} epochs)",
            f"{tuned['fit_s']:.1f} ({tuned['epochs']} epochs)",
        ),
        (
            f"exact-sequence accuracy, {n_test:,} fresh sequences",
            f"{tut['exact_accuracy']:.4f}",
            f"{default['exact_accuracy']:.4f}",
            f"{tuned['exact_accuracy']:.4f}",
        ),
        (
            "decoding throughput (sequences/s)",
            f"{tut['sequences_per_s']:.1f}",
            speed(default),
            speed(tuned),
        ),
    ]
    tuned_params = ", ".join(
        f"{k}={v}" for k, v in tuned["params"].items() if k != "input_type"
    )
    lines = [
        f"Reversed-prefix problem, {SIZES[results['mode']]['n_train']:,} training "
        "sequences.",
        "",
        "| measure | tutorial 002's Keras model | Seq2SeqClassifier, defaults "
        f"| Seq2SeqClassifier, {tuned_params} |",
        "| --- | --- | --- | --- |",
        *[f"| {' | '.join(row)} |" for row in rows],
        "",
        f"Memory, vocabulary {mem['vocabulary']:,}, {mem['n_samples']:,} sequences "
        f"of 20 tokens in and out: peak RSS {mem['peak_rss_fit_mb']:,.0f} MB in fit "
        f"({mem['fit_s']:.0f} s, 1 epoch), {mem['peak_rss_after_predict_mb']:,.0f} MB "
        f"after predicting 5,000 sequences; one-hot inputs and targets would need "
        f"{mem['one_hot_arrays_would_need_gb']:,.0f} GB.",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    main(__file__, CASES, run, markdown)
