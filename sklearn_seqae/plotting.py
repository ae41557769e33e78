"""Plots in scikit-learn's Display style; matplotlib is an optional dependency.

Each Display stores what it plots, draws with ``plot(ax=...)`` and is made
from a fitted estimator with ``from_estimator``.
"""

import numpy as np
from sklearn.utils.validation import check_is_fitted

__all__ = ["AttentionDisplay", "ReconstructionDisplay", "TrainingCurveDisplay"]


def _pyplot():
    try:
        import matplotlib.pyplot as plt
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ImportError("Plotting needs matplotlib: pip install matplotlib") from exc
    return plt


class ReconstructionDisplay:
    """Sequences drawn against their autoencoder reconstructions.

    Parameters
    ----------
    sequences : list of ndarray of shape (T_i, n_features)
        The original sequences.
    reconstructions : list of ndarray of shape (T_i, n_features)
        The model's reconstruction of each sequence.

    Attributes
    ----------
    axes_ : ndarray of matplotlib Axes
    figure_ : matplotlib Figure

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_seqae import LSTMAutoencoderTransformer
    >>> from sklearn_seqae.plotting import ReconstructionDisplay
    >>> X = np.sin(np.linspace(0, 3, 8) + np.arange(10)[:, None])
    >>> ae = LSTMAutoencoderTransformer(units=4, epochs=1, random_state=0).fit(X)
    >>> display = ReconstructionDisplay.from_estimator(ae, X, n_sequences=2)
    >>> len(display.sequences)
    2
    """

    def __init__(self, sequences, reconstructions):
        self.sequences = sequences
        self.reconstructions = reconstructions

    @classmethod
    def from_estimator(cls, estimator, X, *, n_sequences=4, ax=None):
        """Reconstruct the first ``n_sequences`` of ``X`` and plot them.

        Parameters
        ----------
        estimator : fitted LSTMAutoencoderTransformer
            The fitted estimator to draw from.
        X : sequences, in any layout the estimator accepts
            The sequences to encode and reconstruct.
        n_sequences : int, default=4
            How many of X's sequences to draw, from the first.
        ax : array of matplotlib Axes, default=None
            One Axes per sequence; created when None.

        Returns
        -------
        display : ReconstructionDisplay
        """
        from ._sequences import check_sequences

        check_is_fitted(estimator, "model_")
        batch = check_sequences(X)
        subset = batch.take(np.arange(min(n_sequences, batch.n_samples)))
        recon = estimator.reconstruct(subset.to_layout(subset.values))
        recon_batch = check_sequences(recon)
        sequences = [subset.values[i, :n] for i, n in enumerate(subset.lengths)]
        rebuilt = [recon_batch.values[i, :n] for i, n in enumerate(subset.lengths)]
        return cls(sequences, rebuilt).plot(ax=ax)

    def plot(self, ax=None):
        """Draw one panel per sequence: input solid, reconstruction dashed.

        Parameters
        ----------
        ax : array of matplotlib Axes, default=None
            Where to draw; created when None.

        Returns
        -------
        self : ReconstructionDisplay
        """
        plt = _pyplot()
        n = len(self.sequences)
        if ax is None:
            fig, ax = plt.subplots(
                1, n, figsize=(3 * n, 2.5), squeeze=False, layout="constrained"
            )
            ax = ax[0]
        ax = np.ravel(ax)  # one Axes, a row of them or a grid, as subplots gives
        for axis, seq, rec in zip(
            ax, self.sequences, self.reconstructions, strict=True
        ):
            for f in range(seq.shape[1]):
                (line,) = axis.plot(seq[:, f], "-", label="input" if f == 0 else None)
                axis.plot(
                    rec[:, f],
                    "--",
                    color=line.get_color(),
                    label="reconstruction" if f == 0 else None,
                )
            axis.set_xlabel("time step")
        ax[0].legend(loc="best", fontsize="small")
        self.axes_ = ax
        self.figure_ = ax[0].figure
        return self


class TrainingCurveDisplay:
    """Per-epoch training (and validation) loss from ``history_``.

    Parameters
    ----------
    history : dict of list of float
        As in the estimators' ``history_``.

    Attributes
    ----------
    ax_ : matplotlib Axes
    figure_ : matplotlib Figure

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_seqae import LSTMAutoencoderTransformer
    >>> from sklearn_seqae.plotting import TrainingCurveDisplay
    >>> X = np.sin(np.linspace(0, 3, 8) + np.arange(10)[:, None])
    >>> ae = LSTMAutoencoderTransformer(units=4, epochs=3, random_state=0).fit(X)
    >>> display = TrainingCurveDisplay.from_estimator(ae)
    >>> sorted(display.history)
    ['contrastive_loss', 'loss', 'reconstruction_loss']
    """

    def __init__(self, history):
        self.history = history

    @classmethod
    def from_estimator(cls, estimator, *, ax=None):
        """Plot the fitted estimator's ``history_``.

        Parameters
        ----------
        estimator : fitted estimator of this package
            The fitted estimator to draw from; for an
            :class:`~sklearn_seqae.LSTMAnomalyDetector`, the curve of the
            autoencoder it trained.
        ax : matplotlib Axes, default=None
            Where to draw; created when None.

        Returns
        -------
        display : TrainingCurveDisplay
        """
        source = getattr(estimator, "autoencoder_", estimator)
        check_is_fitted(source, "history_")
        return cls(dict(source.history_)).plot(ax=ax)

    def plot(self, ax=None):
        """Draw every metric of ``history`` against the epoch number.

        Parameters
        ----------
        ax : matplotlib Axes, default=None
            Where to draw; created when None.

        Returns
        -------
        self : TrainingCurveDisplay
        """
        plt = _pyplot()
        if ax is None:
            _, ax = plt.subplots(figsize=(7, 3), layout="constrained")
        bases = sorted({name.removeprefix("val_") for name in self.history})
        for name, values in self.history.items():
            # A loss and its val_ twin share a colour; validation is dashed.
            base = name.removeprefix("val_")
            ax.plot(
                np.arange(1, len(values) + 1),
                values,
                "--" if name.startswith("val_") else "-",
                color=f"C{bases.index(base)}",
                label=name,
            )
        ax.set_xlabel("epoch")
        ax.set_ylabel("loss")
        ax.set_yscale("log")
        # Beside the axes: with several losses a legend inside hides curves.
        ax.legend(loc="upper left", bbox_to_anchor=(1.02, 1), fontsize="small")
        self.ax_ = ax
        self.figure_ = ax.figure
        return self


class AttentionDisplay:
    """Heat map of a seq2seq model's attention for one sequence.

    Row ``j`` shows how decoded step ``j`` spreads its attention over the
    input steps (each row sums to 1).

    Parameters
    ----------
    weights : ndarray of shape (n_output_steps, n_input_steps)
        Attention weights: one row per output step, one column per input step.
    input_labels, output_labels : sequence of str or None
        Tick labels (the input tokens and the decoded labels, say).

    Attributes
    ----------
    ax_ : matplotlib Axes
    figure_ : matplotlib Figure
    image_ : matplotlib AxesImage

    Examples
    --------
    >>> from sklearn_seqae import Seq2SeqClassifier
    >>> from sklearn_seqae.datasets import make_reversed_prefix
    >>> from sklearn_seqae.plotting import AttentionDisplay
    >>> X, y = make_reversed_prefix(64, random_state=0)
    >>> clf = Seq2SeqClassifier(input_type="tokens", attention="dot", units=8,
    ...                         epochs=1, random_state=0).fit(X, y)
    >>> display = AttentionDisplay.from_estimator(clf, X[0])
    >>> display.weights.shape
    (3, 6)
    """

    def __init__(self, weights, *, input_labels=None, output_labels=None):
        self.weights = weights
        self.input_labels = input_labels
        self.output_labels = output_labels

    @classmethod
    def from_estimator(cls, estimator, sequence, *, n_steps=None, ax=None):
        """Decode one sequence and plot where each output step looked.

        Parameters
        ----------
        estimator : Seq2SeqClassifier or Seq2SeqRegressor fitted with attention
            The fitted estimator to draw from.
        sequence : array-like of shape (T,) or (T, n_features)
            One input sequence.
        n_steps : int, default=None
            As in ``predict``.
        ax : matplotlib Axes, default=None
            Where to draw; created when None.

        Returns
        -------
        display : AttentionDisplay
        """
        check_is_fitted(estimator, "model_")
        weights = np.asarray(estimator.attention_weights([sequence], n_steps)[0])
        sequence = np.asarray(sequence)
        input_labels = None
        if sequence.ndim == 1:
            input_labels = [str(v) for v in sequence.tolist()]
        output_labels = None
        if hasattr(estimator, "classes_"):
            # One label per sequence comes back as a scalar: one output row.
            decoded = np.atleast_1d(estimator.predict([sequence], n_steps)[0])
            output_labels = [str(v) for v in decoded.tolist()]
            output_labels += [""] * (len(weights) - len(output_labels))
        return cls(
            weights, input_labels=input_labels, output_labels=output_labels
        ).plot(ax=ax)

    def plot(self, ax=None):
        """Draw the weights as an image, input steps across.

        Parameters
        ----------
        ax : matplotlib Axes, default=None
            Where to draw; created when None.

        Returns
        -------
        self : AttentionDisplay
        """
        plt = _pyplot()
        n_out, n_in = self.weights.shape
        if ax is None:
            _, ax = plt.subplots(
                figsize=(1.5 + 0.35 * n_in, 1.2 + 0.35 * n_out), layout="constrained"
            )
        self.image_ = ax.imshow(self.weights, cmap="viridis", vmin=0, aspect="auto")
        ax.set_xlabel("input step")
        ax.set_ylabel("decoded step")
        ax.set_xticks(np.arange(n_in))
        ax.set_yticks(np.arange(n_out))
        if self.input_labels is not None:
            ax.set_xticklabels(self.input_labels)
        if self.output_labels is not None:
            ax.set_yticklabels(self.output_labels)
        ax.figure.colorbar(self.image_, ax=ax, label="attention weight")
        self.ax_ = ax
        self.figure_ = ax.figure
        return self
