"""
The reversed-prefix problem with teacher forcing
================================================

Tutorial 002: six random integers in 1..50; the target is the first three in
reverse order. The tutorial trains a teacher-forced encoder-decoder on
100,000 one-hot examples and decodes one sequence, one step at a time, with
one ``predict`` call per step. :class:`~sklearn_seqae.Seq2SeqClassifier`
keeps tokens as integer ids and decodes the whole batch in one compiled
function.
"""

# %%
import os
import time

from sklearn_seqae import Seq2SeqClassifier
from sklearn_seqae.datasets import make_reversed_prefix

n_train = 3000 if os.environ.get("SEQAE_GALLERY_SMALL") == "1" else 10000
X, y = make_reversed_prefix(n_train, random_state=0)
X_new, y_new = make_reversed_prefix(2000, random_state=1)

clf = Seq2SeqClassifier(input_type="tokens", random_state=0)  # default training
start = time.perf_counter()
clf.fit(X, y)
print(f"fit: {time.perf_counter() - start:.1f} s")

# %%
start = time.perf_counter()
accuracy = clf.score(X_new, y_new)
elapsed = time.perf_counter() - start
print(f"exact-sequence accuracy on 2,000 fresh sequences: {accuracy:.4f}")
print(f"decoding: {len(X_new) / elapsed:,.0f} sequences per second")

# %%
# Ten decoded examples
# --------------------
for source, target, guess in zip(X_new[:10], y_new[:10], clf.predict(X_new[:10])):
    print(f"X={source.tolist()} y={target.tolist()} predicted={guess.tolist()}")
