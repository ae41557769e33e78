"""Token input: integer ids, or any hashable tokens with a learned vocabulary.

``input_type="tokens"`` reads X here. Non-negative integers are ids as they
are (the vocabulary size is the largest id plus one). Strings and other
tokens get a vocabulary learned in fit, as scikit-learn's CountVectorizer
does: ``vocabulary_`` maps each token to its id, in sorted order. With
``handle_unknown="use_unknown"`` one more id is reserved for tokens unseen
in fit; with ``"error"`` they are refused, naming the sequence and step.
"""

import numbers

import numpy as np

from ._sequences import SequenceBatch, check_sequences

__all__ = ["token_batch"]


def _is_token(value):
    return isinstance(value, (str, bytes)) or not isinstance(value, numbers.Number)


def _token_sequences(X):
    """X as a list of 1-D object arrays when it holds non-numeric tokens."""
    if isinstance(X, np.ndarray) and X.dtype.kind in "USO" and X.ndim == 2:
        rows = list(X)
    elif isinstance(X, (list, tuple)) and len(X):
        rows = list(X)
    else:
        return None
    first = next((row for row in rows if len(row)), None)
    if first is None or isinstance(first, (str, bytes)):
        return None
    if not _is_token(np.asarray(first, dtype=object).ravel()[0]):
        return None
    sequences = []
    for i, row in enumerate(rows):
        seq = np.asarray(row, dtype=object)
        if seq.ndim != 1 or len(seq) == 0:
            raise ValueError(
                f"X: token sequence {i} has shape {seq.shape}; each sequence must "
                "be a non-empty 1-D sequence of tokens."
            )
        sequences.append(seq)
    return sequences


def _unknown(estimator, i, t, token, known):
    if estimator.handle_unknown == "use_unknown":
        return estimator.n_tokens_in_ - 1
    raise ValueError(
        f"Sequence {i} has token {token!r} at time step {t}, which fit did not see "
        f"({known}). Pass handle_unknown='use_unknown' to map unseen tokens to "
        "one reserved id."
    )


def token_batch(estimator, X, *, reset):
    """A :class:`SequenceBatch` of token ids ``(n, T, 1)`` for ``estimator``.

    On ``reset`` the estimator learns ``n_tokens_in_`` and ``vocabulary_``
    (None for integer ids).
    """
    reserve = 1 if estimator.handle_unknown == "use_unknown" else 0
    sequences = _token_sequences(X)
    if sequences is None:
        batch = check_sequences(X, dtype=np.float64)
        if batch.n_features != 1:
            raise ValueError(
                "Token input must be a 2-D array (n_samples, n_timesteps) of "
                "tokens or a list of 1-D token sequences; got "
                f"{batch.n_features} features per time step."
            )
        ids = batch.values[..., 0]
        bad = batch.mask & ((ids != np.round(ids)) | (ids < 0))
        if bad.any():
            i, t = (int(v[0]) for v in np.nonzero(bad))
            raise ValueError(
                f"Token ids must be non-negative integers (or give tokens as "
                f"strings); sequence {i} has {ids[i, t]:g} at time step {t}."
            )
        sequences = [ids[i, :n].astype(np.int64) for i, n in enumerate(batch.lengths)]
        layout = batch.layout
    else:
        layout = "ragged" if len({len(s) for s in sequences}) > 1 else "array2d"
    if reset:
        estimator.n_features_in_ = 1
        if all(s.dtype.kind in "iu" for s in sequences):
            estimator.vocabulary_ = None
            estimator.n_tokens_in_ = int(max(s.max() for s in sequences)) + 1 + reserve
        else:
            tokens = sorted(
                set().union(*(set(s.tolist()) for s in sequences)), key=repr
            )
            try:
                tokens = sorted(tokens)
            except TypeError:
                pass  # mixed types: keep repr order, still deterministic
            estimator.vocabulary_ = {token: i for i, token in enumerate(tokens)}
            estimator.n_tokens_in_ = len(tokens) + reserve
    lengths = np.array([len(s) for s in sequences])
    values = np.zeros((len(sequences), lengths.max(), 1))
    vocabulary = estimator.vocabulary_
    n_known = estimator.n_tokens_in_ - reserve
    for i, seq in enumerate(sequences):
        if vocabulary is None:
            ids = np.asarray(seq)
            if ids.dtype.kind not in "iu":
                raise ValueError(
                    f"Sequence {i} holds tokens that are not integer ids, but fit "
                    "saw integer ids; give the same kind of tokens as in fit."
                )
            for t in np.flatnonzero(ids >= n_known):
                ids = ids.copy()
                ids[t] = _unknown(estimator, i, t, int(seq[t]), f"ids 0..{n_known - 1}")
        else:
            ids = np.empty(len(seq), dtype=np.int64)
            for t, token in enumerate(seq.tolist()):
                found = vocabulary.get(token)
                if found is None:
                    found = _unknown(
                        estimator, i, t, token, f"{len(vocabulary)} known tokens"
                    )
                ids[t] = found
        values[i, : len(ids), 0] = ids
    return SequenceBatch(values=values, lengths=lengths, layout=layout)
