"""Attention in the seq2seq decoder, and beam search."""

import pickle

import numpy as np
import pytest
from sklearn.model_selection import GridSearchCV

from sklearn_seqae import Seq2SeqClassifier, Seq2SeqRegressor, load
from sklearn_seqae.datasets import make_reversed_prefix


def _tokens(**params):
    defaults = dict(input_type="tokens", units=16, epochs=3, random_state=0)
    return Seq2SeqClassifier(**{**defaults, **params})


@pytest.mark.parametrize("attention", ["dot", "additive"])
def test_attention_weights_sum_to_one_over_real_steps(attention):
    X, y = make_reversed_prefix(300, random_state=0)
    clf = _tokens(attention=attention, units=(8, 6), bidirectional=True).fit(X, y)
    weights = clf.attention_weights(X[:5])
    assert weights.shape == (5, 3, 6)
    np.testing.assert_allclose(weights.sum(axis=-1), 1, rtol=1e-5)
    ragged = [x[: 3 + i % 3] for i, x in enumerate(X[:6])]
    listed = clf.attention_weights(ragged)
    assert [w.shape for w in listed] == [(3, len(x)) for x in ragged]
    for w in listed:
        np.testing.assert_allclose(w.sum(axis=-1), 1, rtol=1e-5)
    # Padding gets no weight: a sequence alone and in a padded batch agree.
    alone = clf.attention_weights([ragged[0]])
    np.testing.assert_allclose(alone, listed[0][None], atol=1e-5)
    assert clf.predict(ragged).shape == (6, 3)


def test_without_attention_there_are_no_weights():
    X, y = make_reversed_prefix(50, random_state=0)
    with pytest.raises(ValueError, match="attention=None"):
        _tokens(epochs=1).fit(X, y).attention_weights(X)


def test_attention_learns_to_reverse_and_looks_at_the_right_step():
    # Reverse the first 3 of 6 tokens: output step j comes from input 2 - j.
    X, y = make_reversed_prefix(3000, n_tokens=20, random_state=0)
    clf = _tokens(
        attention="dot", units=32, epochs=10, learning_rate=0.01, batch_size=64
    ).fit(X, y)
    X_test, y_test = make_reversed_prefix(500, n_tokens=20, random_state=1)
    assert clf.score(X_test, y_test) > 0.9
    focus = clf.attention_weights(X_test).mean(axis=0).argmax(axis=1)
    assert focus.tolist() == [2, 1, 0]


def test_attention_regressor_and_persistence(tmp_path):
    rng = np.random.RandomState(0)
    X = rng.normal(size=(80, 7, 2))
    y = X[:, ::-1, 0][:, :4]
    reg = Seq2SeqRegressor(attention="additive", units=8, epochs=2, random_state=0)
    reg.fit(X, y)
    reg.save(tmp_path / "reg.seqae")
    for restored in (load(tmp_path / "reg.seqae"), pickle.loads(pickle.dumps(reg))):
        np.testing.assert_array_equal(restored.predict(X), reg.predict(X))
        np.testing.assert_array_equal(
            restored.attention_weights(X), reg.attention_weights(X)
        )
    search = GridSearchCV(reg, {"attention": [None, "dot"]}, cv=2).fit(X, y)
    assert search.best_params_["attention"] in (None, "dot")


def _log_probability(clf, X, y_ids):
    """log P(y | X) of given label-id sequences, by teacher forcing."""
    inputs = clf._encoder_inputs(clf._read_X(X, reset=False))
    inputs["targets"] = y_ids.astype(np.int32)
    logits = np.asarray(clf.model_(inputs, training=False)["outputs"])
    logp = logits - np.log(np.exp(logits).sum(axis=-1, keepdims=True))
    return np.take_along_axis(logp, y_ids[..., None], axis=-1)[..., 0].sum(axis=1)


def test_beam_width_one_is_greedy_and_wider_beams_are_at_least_as_likely():
    X, y = make_reversed_prefix(400, random_state=0)
    clf = _tokens(epochs=2).fit(X, y)  # undertrained: greedy makes mistakes
    X_test, _ = make_reversed_prefix(300, random_state=1)
    greedy = clf.predict(X_test)
    np.testing.assert_array_equal(clf.set_params(beam_width=1).predict(X_test), greedy)
    ids = lambda labels: np.searchsorted(clf.classes_, labels)  # noqa: E731
    greedy_logp = _log_probability(clf, X_test, ids(greedy))
    for width in (3, 5):
        beams = clf.set_params(beam_width=width).predict(X_test)
        assert beams.shape == greedy.shape
        beam_logp = _log_probability(clf, X_test, ids(beams))
        assert (beam_logp >= greedy_logp - 1e-4).all()
    assert (beam_logp > greedy_logp + 1e-4).any()  # the search found better ones
    # predict_proba stays greedy whatever the width.
    np.testing.assert_array_equal(
        clf.classes_[clf.predict_proba(X_test).argmax(-1)], greedy
    )


def test_beam_search_stops_at_the_end_marker_for_ragged_targets():
    rng = np.random.RandomState(0)
    X = rng.randint(1, 9, size=(600, 5))
    y = [x[: 1 + x[0] % 3] for x in X]  # the first token says the length
    clf = _tokens(units=32, epochs=20, learning_rate=0.01, beam_width=3).fit(X, y)
    pred = clf.predict(X[:100])
    assert isinstance(pred, list)
    assert np.mean([len(p) == len(t) for p, t in zip(pred, y[:100], strict=True)]) > 0.9
