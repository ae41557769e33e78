"""Seeded outputs of every estimator, written to one ``.npz`` for comparison.

A refactor must leave results bit-identical. Run this on the commit before
and on the commit after, then compare::

    python bench/fingerprint.py /tmp/before.npz      # on the old commit
    python bench/fingerprint.py /tmp/after.npz       # on the new commit
    python bench/fingerprint.py --compare /tmp/before.npz /tmp/after.npz

Each entry is one seeded output (codes, predictions, probabilities,
reconstructions, anomaly scores, training histories) of a small fit, on
ragged numeric, token and per-step data, through fit, ``partial_fit``,
``warm_start``, pandas input, ``save``/``load`` and pickling.
"""

import io
import pickle
import sys
import tempfile
from pathlib import Path

import numpy as np


def _data():
    rng = np.random.RandomState(0)
    lengths = rng.randint(5, 12, size=24)
    X = [
        np.c_[np.sin(np.arange(n) * (0.3 + 0.05 * i)), np.cos(np.arange(n) * 0.2)]
        + 0.05 * rng.randn(n, 2)
        for i, n in enumerate(lengths)
    ]
    y_cls = np.array([i % 3 for i in range(24)])
    y_seq = np.stack([x[::-1][:4, :1] * 2.0 for x in X])
    tokens = [rng.randint(0, 6, size=n) for n in lengths]
    y_tokens = [t[::-1][: max(2, n // 2)] for t, n in zip(tokens, lengths, strict=True)]
    y_steps_cls = [(x[:, 0] > 0).astype(int) for x in X]
    y_steps_reg = [x[:, 0] * 3 + x[:, 1] for x in X]
    return X, y_cls, y_seq, tokens, y_tokens, y_steps_cls, y_steps_reg


def _history(est, prefix, out):
    for key, values in sorted(est.history_.items()):
        out[f"{prefix}/history/{key}"] = np.asarray(values)
    out[f"{prefix}/n_iter_"] = np.asarray(est.n_iter_)


def _flat(values):
    if isinstance(values, list):
        return np.concatenate([np.ravel(v) for v in values])
    return np.asarray(values)


def _round_trips(est, X, prefix, out, method):
    with tempfile.TemporaryDirectory() as tmp:
        from sklearn_seqae import load

        path = Path(tmp) / "model.keras"
        est.save(path)
        out[f"{prefix}/loaded"] = _flat(getattr(load(path), method)(X))
    buffer = io.BytesIO()
    pickle.dump(est, buffer)
    buffer.seek(0)
    out[f"{prefix}/unpickled"] = _flat(getattr(pickle.load(buffer), method)(X))


def fingerprint():
    import pandas as pd

    from sklearn_seqae import (
        LSTMAnomalyDetector,
        LSTMAutoencoderTransformer,
        Seq2SeqClassifier,
        Seq2SeqRegressor,
        TimestepClassifier,
        TimestepRegressor,
    )

    X, y_cls, y_seq, tokens, y_tokens, y_steps_cls, y_steps_reg = _data()
    out = {}

    for code in ("mean_max", "last"):
        ae = LSTMAutoencoderTransformer(
            units=6, code=code, max_steps=6, batch_size=8, random_state=0
        ).fit(X)
        p = f"autoencoder/{code}"
        out[f"{p}/codes"] = ae.transform(X)
        out[f"{p}/reconstruct"] = np.concatenate(ae.reconstruct(X))
        out[f"{p}/score_samples"] = ae.score_samples(X)
        _history(ae, p, out)
        _round_trips(ae, X, p, out, "transform")
        ae.partial_fit(X)
        out[f"{p}/after_partial_fit"] = ae.transform(X)
    ae = LSTMAutoencoderTransformer(
        units=5, mode="predict", epochs=3, max_steps=None, random_state=1
    ).fit(X)
    out["autoencoder/forecast"] = np.asarray(ae.forecast(X, n_steps=3))
    ae = LSTMAutoencoderTransformer(units=5, max_steps=4, random_state=2)
    frame = pd.concat(
        {i: pd.DataFrame(x, columns=["a", "b"]) for i, x in enumerate(X)},
        names=["instance", "time"],
    )
    out["autoencoder/pandas"] = np.asarray(ae.fit(frame).transform(frame))
    ae.set_params(warm_start=True, max_steps=3).fit(X)
    out["autoencoder/warm_start"] = ae.transform(X)

    clf = Seq2SeqClassifier(
        units=6, epochs=4, max_steps=None, input_type="tokens", random_state=0
    ).fit(tokens, y_tokens)
    out["seq2seq_classifier/predict"] = np.concatenate(clf.predict(tokens))
    out["seq2seq_classifier/proba"] = np.concatenate(
        [np.ravel(p) for p in clf.predict_proba(tokens)]
    )
    _history(clf, "seq2seq_classifier", out)
    beam = Seq2SeqClassifier(
        units=6, epochs=3, attention="dot", beam_width=3, random_state=0
    ).fit(X, y_tokens)
    out["seq2seq_classifier/beam"] = np.concatenate(beam.predict(X))
    out["seq2seq_classifier/attention"] = np.concatenate(
        [np.ravel(a) for a in beam.attention_weights(X)]
    )
    clf = Seq2SeqClassifier(units=6, epochs=2, random_state=0).fit(X, y_cls)
    out["seq2seq_classifier/single_label"] = np.asarray(clf.predict(X))
    clf.partial_fit(X, y_cls)
    out["seq2seq_classifier/partial_fit"] = np.asarray(clf.predict_proba(X))

    reg = Seq2SeqRegressor(units=6, epochs=4, random_state=0).fit(X, y_seq)
    out["seq2seq_regressor/predict"] = np.concatenate(
        [np.ravel(p) for p in reg.predict(X)]
    )
    _history(reg, "seq2seq_regressor", out)
    _round_trips(reg, X, "seq2seq_regressor", out, "predict")
    ae = LSTMAutoencoderTransformer(units=6, max_steps=4, random_state=3).fit(X)
    reg = Seq2SeqRegressor(
        units=6, epochs=2, encoder_init=ae, freeze_encoder=True, random_state=0
    ).fit(X, y_seq)
    out["seq2seq_regressor/transfer"] = np.concatenate(
        [np.ravel(p) for p in reg.predict(X)]
    )

    tclf = TimestepClassifier(units=6, epochs=4, random_state=0).fit(X, y_steps_cls)
    out["timestep_classifier/predict"] = np.concatenate(tclf.predict(X))
    out["timestep_classifier/proba"] = np.concatenate(
        [np.ravel(p) for p in tclf.predict_proba(X)]
    )
    _history(tclf, "timestep_classifier", out)
    weights = np.linspace(0.5, 2.0, len(X))
    tclf = TimestepClassifier(units=6, epochs=2, random_state=0).fit(
        X, y_steps_cls, sample_weight=weights
    )
    out["timestep_classifier/weighted"] = np.concatenate(tclf.predict(X))

    treg = TimestepRegressor(units=6, epochs=4, random_state=0).fit(X, y_steps_reg)
    out["timestep_regressor/predict"] = np.concatenate(
        [np.ravel(p) for p in treg.predict(X)]
    )
    _history(treg, "timestep_regressor", out)
    _round_trips(treg, X, "timestep_regressor", out, "predict")
    padded = np.zeros((len(X), 11, 2))
    for i, x in enumerate(X):
        padded[i, : len(x)] = x
    treg = TimestepRegressor(units=6, epochs=2, random_state=0).fit(
        padded, np.asarray([np.r_[y, np.zeros(11 - len(y))] for y in y_steps_reg])
    )
    out["timestep_regressor/dense"] = treg.predict(padded)

    det = LSTMAnomalyDetector(units=6, epochs=3, random_state=0).fit(X)
    out["anomaly/sequences"] = det.score_samples(X)
    out["anomaly/steps"] = np.concatenate(det.score_steps(X))
    out["anomaly/predict"] = det.predict(X)
    stream = np.sin(np.arange(600) * 0.1) + 0.05 * np.random.RandomState(4).randn(600)
    stream[300:320] += 2.0
    det = LSTMAnomalyDetector(window=32, units=6, epochs=2, random_state=0)
    out["anomaly/stream"] = det.fit(stream).score_samples(stream)
    out["anomaly/stream_pandas"] = np.asarray(
        det.score_samples(pd.Series(stream, index=np.arange(600) * 2))
    )
    return out


def compare(before, after):
    a, b = np.load(before), np.load(after)
    differ = []
    for key in sorted(set(a.files) | set(b.files)):
        if key not in a.files or key not in b.files:
            differ.append(f"{key}: only in {'after' if key in b.files else 'before'}")
        elif a[key].shape != b[key].shape or not np.array_equal(
            a[key], b[key], equal_nan=True
        ):
            differ.append(f"{key}: differs")
    print(f"{len(a.files)} outputs before, {len(b.files)} after")
    print("\n".join(differ) if differ else "all bit-identical")
    return 1 if differ else 0


if __name__ == "__main__":
    if sys.argv[1] == "--compare":
        sys.exit(compare(sys.argv[2], sys.argv[3]))
    np.savez(sys.argv[1], **fingerprint())
