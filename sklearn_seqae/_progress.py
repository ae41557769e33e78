"""One updating progress line per fit, for ``verbose=1``.

A long fit that prints nothing leaves its user guessing whether it needs
five minutes or two days. With ``verbose=1`` the training loop adds this
Keras callback: one line, updated after every optimizer step, with the
epoch, the steps done of the fit's budget, the loss and tqdm's estimate of
the time left. tqdm shows it only on a terminal (or a notebook, through
``tqdm.auto``): a log file, a pipe or a grid search's worker process gets
nothing, and ``verbose=2`` prints one plain line per epoch instead.
Imports Keras and tqdm; the training loop reaches it lazily.
"""

import shutil

import keras
from tqdm.auto import tqdm

__all__ = ["ProgressLine"]


class ProgressLine(keras.callbacks.Callback):
    """A tqdm line over ``total`` optimizer steps, labelled ``description``."""

    def __init__(self, total, description):
        super().__init__()
        self.total = int(total)
        self.description = description
        self.bar = None

    def on_train_begin(self, logs=None):
        # disable=None: shown on a terminal only. On a terminal that reports
        # no size (a bare pseudo-terminal) tqdm would hide the line; shutil
        # falls back to 80 x 24.
        size = shutil.get_terminal_size()
        self.bar = tqdm(
            total=self.total,
            desc=f"{self.description} epoch 1",
            unit="step",
            disable=None,
            ncols=size.columns,
            nrows=size.lines,
        )

    def on_train_batch_end(self, batch, logs=None):
        self.bar.update(1)
        if logs and "loss" in logs:
            self.bar.set_postfix(loss=f"{logs['loss']:.4g}", refresh=False)

    def on_epoch_end(self, epoch, logs=None):
        self.bar.set_description(f"{self.description} epoch {epoch + 2}", refresh=False)

    def on_train_end(self, logs=None):
        if self.bar is not None:
            self.bar.set_description(self.description, refresh=False)
            self.bar.close()
            self.bar = None
