"""Token input: integer ids, or any hashable tokens with a learned vocabulary.

``input_type="tokens"`` reads X here. Non-negative integers are ids as they
are (the vocabulary size is the largest id plus one). Strings and other
tokens get a vocabulary learned in fit, as scikit-learn's CountVectorizer
does: ``vocabulary_`` maps each token to its id, in sorted order. With
``handle_unknown="use_unknown"`` one more id is reserved for tokens unseen
in fit; with ``"error"`` they are refused, naming the sequence and step.
"""

import dataclasses
import numbers

import numpy as np

from ._sequences import (
    SequenceBatch,
    _is_long_pandas_series,
    _is_pandas_frame,
    _is_polars_frame,
    check_sequences,
)

__all__ = ["token_batch"]


def _is_token(value):
    return isinstance(value, (str, bytes)) or not isinstance(value, numbers.Number)


def _is_token_array(values):
    """Whether a column (or a cell) holds tokens rather than numbers."""
    values = np.asarray(values, dtype=object).ravel()
    return any(_is_token(v) for v in values)


class _Codebook(dict):
    """Numbers standing for tokens, so the numeric frame readers can read them."""

    def code(self, token):
        import pandas as pd

        if np.ndim(token) == 0 and pd.isna(token):  # None, NaN, pd.NA, NaT
            raise ValueError(
                "X holds a missing token (None or NaN); a frame of tokens must "
                "hold one token at every step of every sequence."
            )
        return self.setdefault(token, len(self))

    def codes(self, tokens):
        return [self.code(t) for t in tokens]

    def tokens(self):
        return np.array(list(self), dtype=object)


_CELLS = (list, tuple, np.ndarray)


def _pandas_codes(X, book):
    """``X`` with every token (in nested cells too) as its code, or None.

    None when X holds numbers only. Once a frame holds tokens, every column
    is coded, numbers too: they are tokens as well.
    """
    import pandas as pd

    # By position: column labels may repeat.
    columns = [X.iloc[:, j].to_numpy(dtype=object) for j in range(X.shape[1])]
    nested = [any(isinstance(v, (*_CELLS, pd.Series)) for v in c) for c in columns]
    if not any(
        any(_is_token_array(v) for v in cells) if is_nested else _is_token_array(cells)
        for cells, is_nested in zip(columns, nested, strict=True)
    ):
        return None

    def cell_codes(cell):
        if isinstance(cell, pd.Series):
            return pd.Series(book.codes(cell), index=cell.index)
        if isinstance(cell, _CELLS) and np.ndim(cell) == 1:
            return np.array(book.codes(cell))
        return cell  # not one feature over time: the reader names the problem

    coded = X.copy()
    for j, (cells, is_nested) in enumerate(zip(columns, nested, strict=True)):
        values = np.empty(len(cells), dtype=object)
        for i, cell in enumerate(cells):  # one by one: cells may be arrays
            values[i] = cell_codes(cell) if is_nested else book.code(cell)
        coded.isetitem(j, values)
    return coded


def _polars_codes(X, book):
    """``X`` with every token of its feature columns as its code, or None."""
    import polars as pl

    ids = {"instance", "time"} if {"instance", "time"} <= set(X.columns) else set()
    features = [name for name in X.columns if name not in ids]

    def inner(name):
        dtype = X.schema[name]
        return dtype.inner if isinstance(dtype, (pl.List, pl.Array)) else dtype

    if all(inner(n).is_numeric() or inner(n) == pl.Boolean for n in features):
        return None
    columns = []
    for name in features:
        cells = X.get_column(name).to_list()
        if isinstance(X.schema[name], (pl.List, pl.Array)):
            codes = [None if c is None else book.codes(c) for c in cells]
        else:
            codes = book.codes(cells)
        columns.append(pl.Series(name, codes))
    return X.with_columns(columns)


def _frame_token_batch(X):
    """``(batch of codes, tokens)`` for a frame of non-numeric tokens, else None.

    The tokens are replaced by numbers and the frame read by the numeric
    readers, so every frame layout (wide, long, nested; pandas or polars)
    reads tokens as it reads numbers and keeps its index for the outputs.
    """
    if _is_long_pandas_series(X):
        X = X.to_frame()
    book = _Codebook()
    if _is_pandas_frame(X):
        coded = _pandas_codes(X, book)
    elif _is_polars_frame(X) and type(X).__name__ == "DataFrame":
        coded = _polars_codes(X, book)
    else:
        return None
    if coded is None:
        return None
    return check_sequences(coded, dtype=np.float64), book.tokens()


def _token_sequences(X):
    """X as a list of 1-D object arrays when it holds non-numeric tokens."""
    import pandas as pd

    if isinstance(X, np.ndarray) and X.dtype.kind in "USO" and X.ndim == 2:
        rows = list(X)
    elif isinstance(X, (list, tuple)) and len(X):
        rows = list(X)
    elif (
        type(X).__module__.startswith("pandas")
        and type(X).__name__ == "Series"
        and X.index.nlevels == 1
        and len(X)
        and all(isinstance(v, _CELLS) for v in X)
    ):
        rows = list(X)  # a Series of sequences, read as a list
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
        missing = np.flatnonzero(pd.isna(seq))
        if len(missing):
            raise ValueError(
                f"X holds a missing token (None or NaN) at time step {missing[0]} "
                f"of sequence {i}; every step of every sequence must hold a token."
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
    # The batch whose layout the outputs follow (a frame's index and columns).
    source = None
    sequences = _token_sequences(X)
    frame = None if sequences is not None else _frame_token_batch(X)
    if frame is not None:
        source, tokens = frame
        if source.n_features != 1:
            raise ValueError(
                "Token input must have one token per time step; this frame has "
                f"{source.n_features} feature columns."
            )
        sequences = [
            tokens[source.values[i, :n, 0].astype(np.int64)]
            for i, n in enumerate(source.lengths)
        ]
    elif sequences is None:
        batch = source = check_sequences(X, dtype=np.float64)
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
    else:
        layout = "ragged" if len({len(s) for s in sequences}) > 1 else "array2d"
    if reset:
        estimator.n_features_in_ = 1
        if hasattr(estimator, "feature_names_in_"):
            del estimator.feature_names_in_  # from an earlier fit on numbers
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
    if source is not None:
        return dataclasses.replace(source, values=values, lengths=lengths)
    return SequenceBatch(values=values, lengths=lengths, layout=layout)
