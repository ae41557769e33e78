"""TimestepClassifier: a label for every time step."""

import numpy as np
from sklearn.base import ClassifierMixin
from sklearn.utils._param_validation import StrOptions

from ._labels import (
    check_discrete_labels,
    check_known_labels,
    check_two_classes,
    class_weights,
    label_sequences,
)
from ._timestep import _aligned_targets, _check_step_lengths, _TimestepBase

__all__ = ["TimestepClassifier"]


class TimestepClassifier(ClassifierMixin, _TimestepBase):
    """LSTM tagger: a label for every time step of every sequence.

    Parameters
    ----------
    units : int or tuple of int, default=64
        LSTM units of the encoder; a tuple stacks layers.
    bidirectional : bool, default=False
        False: causal, each step's label depends on that step and the ones
        before it. True: on the whole sequence.
    input_type : {"numeric", "tokens"}, default="numeric"
        ``"tokens"``: X holds tokens: non-negative integer ids, or strings
        (or any hashable values) whose vocabulary is learned in fit.
    embedding_dim : int or None, default=None
        Size of the learned token embedding; None one-hot encodes tokens
        inside the graph.
    handle_unknown : {"error", "use_unknown"}, default="error"
        Tokens (or ids) that fit did not see: ``"error"`` refuses them;
        ``"use_unknown"`` maps them to one id reserved in fit.
    dropout : float, default=0.0
        Dropout on the inputs of every LSTM layer while training.
    standardize : bool, default=True
        Standardize numeric X's features inside the estimator.
    epochs : int, default=1000
        Most passes over the data.
    max_steps : int or None, default=1000
        Most optimizer steps (batches) in one ``fit``; training stops at
        ``epochs``, ``max_steps`` or early stopping, whichever comes first.
        The defaults (1,000 steps of 128 sequences at ``learning_rate=5e-3``,
        early stopping after 10 epochs without improvement) were measured
        from 250 to 100,000 sequences (user guide, "Training").
    batch_size : int, default=128
        Sequences per gradient step.
    learning_rate : float, default=5e-3
        Adam's learning rate.
    validation_fraction : float or None, default=None
        Fraction of the training sequences held out to monitor ``val_loss``.
    n_iter_no_change : int or None, default=10
        Stop when the monitored loss has not improved by ``tol`` for this
        many epochs; the best weights are restored.
    tol : float, default=1e-4
        Minimum improvement for early stopping.
    random_state : int, RandomState instance or None, default=None
        An int gives identical results in every process.
    verbose : int, default=0
        0 prints nothing. 1 shows one progress line per fit, updated after
        every optimizer step: the epoch, the steps done of the budget, the
        loss and an estimate of the time left (on a terminal or in a
        notebook only; a log file or a grid search's worker gets nothing).
        2 prints one line per epoch with the training (and validation) loss.
    warm_start : bool, default=False
        When True, ``fit`` continues training the current model.
    callbacks : list of keras.callbacks.Callback or None, default=None
        Keras callbacks (ModelCheckpoint, CSVLogger, TensorBoard, your own),
        called at the points and with the logs ``model.fit`` would give them;
        one can stop training by setting ``model.stop_training = True``.
    devices : None, int, "all" or list of str, default=None
        Train data-parallel over several devices (JAX backend only, through
        :class:`keras.distribution.DataParallel`): every batch is split evenly
        over the devices, each computes its share of the gradient, and one
        model is updated with their mean. None trains on Keras' default
        device; an int takes the first devices of
        :func:`keras.distribution.list_devices` (GPUs when there are any);
        "all" takes them all; a list names them (``["gpu:0", "gpu:1"]``).
        ``batch_size`` must be a multiple of the number of devices; the
        partial batch left at the end of an epoch is cut to a multiple too
        (the few sequences cut change every epoch). See "Scaling out".
    encoder_init : LSTMAutoencoderTransformer or None, default=None
        A fitted autoencoder whose encoder weights and input scaling start
        training (its ``units`` and ``bidirectional`` must match, and it
        must read step by step: ``patch_size=1``).
    freeze_encoder : bool, default=False
        Keep the encoder from ``encoder_init`` fixed; only the head trains.
    class_weight : dict, "balanced" or None, default=None
        Weights of the classes in the loss, as in scikit-learn's
        classifiers: a dict ``{label: weight}`` (missing labels weigh 1), or
        ``"balanced"``, inversely proportional to the label frequencies in
        each fit's y. Multiplies ``sample_weight``.

    Attributes
    ----------
    classes_ : ndarray
        The labels seen in fit, sorted.
    n_features_in_ : int
        Features per time step of X (1 for tokens).
    feature_mean_ : ndarray of shape (``n_features_in_``,)
        Per-feature mean of the training steps, subtracted before the network
        reads X (zeros when X is not scaled this way).
    feature_scale_ : ndarray of shape (``n_features_in_``,)
        Per-feature standard deviation of the training steps that X is divided
        by (ones when X is not scaled this way).
    n_tokens_in_ : int
        Number of token ids, with ``input_type="tokens"``: the largest id + 1
        for integer ids, the vocabulary size for other tokens (+ 1 with
        ``handle_unknown="use_unknown"``).
    vocabulary_ : dict or None
        Token -> id, learned in fit for non-integer tokens (None for ids).
    model_ : keras.Model
        The training model.
    encoder_ : keras.Model
        Standalone encoder sharing the trained weights.
    history_ : dict of list of float
        Per-epoch training metrics.
    n_iter_ : int
        Number of epochs trained.
    n_steps_ : int
        Number of optimizer steps (batches) trained.

    See Also
    --------
    Seq2SeqClassifier : one label, or a label sequence of its own length, per
        input sequence.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_seqae import TimestepClassifier
    >>> rng = np.random.RandomState(0)
    >>> X = rng.normal(size=(40, 8))
    >>> y = np.where(X > 0, "up", "down")  # a label per step
    >>> clf = TimestepClassifier(units=8, epochs=2, random_state=0).fit(X, y)
    >>> clf.predict(X).shape, clf.predict_proba(X).shape
    ((40, 8), (40, 8, 2))
    """

    _target_kind = "classes"
    _parameter_constraints = {
        **_TimestepBase._parameter_constraints,
        "class_weight": [dict, StrOptions({"balanced"}), None],
    }

    def __init__(
        self,
        units=64,
        *,
        bidirectional=False,
        input_type="numeric",
        embedding_dim=None,
        handle_unknown="error",
        dropout=0.0,
        standardize=True,
        epochs=1000,
        max_steps=1000,
        batch_size=128,
        learning_rate=5e-3,
        validation_fraction=None,
        n_iter_no_change=10,
        tol=1e-4,
        random_state=None,
        verbose=0,
        warm_start=False,
        callbacks=None,
        devices=None,
        encoder_init=None,
        freeze_encoder=False,
        class_weight=None,
    ):
        self.units = units
        self.bidirectional = bidirectional
        self.input_type = input_type
        self.embedding_dim = embedding_dim
        self.handle_unknown = handle_unknown
        self.dropout = dropout
        self.standardize = standardize
        self.epochs = epochs
        self.max_steps = max_steps
        self.batch_size = batch_size
        self.learning_rate = learning_rate
        self.validation_fraction = validation_fraction
        self.n_iter_no_change = n_iter_no_change
        self.tol = tol
        self.random_state = random_state
        self.verbose = verbose
        self.warm_start = warm_start
        self.callbacks = callbacks
        self.devices = devices
        self.encoder_init = encoder_init
        self.freeze_encoder = freeze_encoder
        self.class_weight = class_weight

    def partial_fit(self, X, y, classes=None, sample_weight=None):
        """Train one more epoch, starting a model if there is none.

        Parameters
        ----------
        X : sequences
            Sequences in any layout :meth:`fit` accepts; lengths may differ
            from fit.
        y : per-step labels, as in fit
            One label per input step, as in :meth:`fit`.
        classes : array-like, default=None
            Every label that can occur; needed in the first call when its y
            lacks some.
        sample_weight : array-like or list, default=None
            As in fit.

        Returns
        -------
        self : object
        """
        self._validate_params()
        return self._fit(
            X, y, partial=True, sample_weight=sample_weight, classes=classes
        )

    def predict(self, X):
        """The most likely label of every step.

        Parameters
        ----------
        X : sequences
            Sequences in any layout :meth:`fit` accepts; lengths may differ
            from fit.

        Returns
        -------
        y_pred : ndarray of shape (n_samples, n_timesteps), list of arrays, \
                pandas Series or DataFrame
            In X's layout: a list for ragged X, a Series on X's index for a
            MultiIndex DataFrame; other frames hold the labels in a column
            named ``"prediction"`` (a wide frame in its step columns).
        """
        batch, ids = self._step_outputs(X, "ids")
        return self._in_layout(batch, self.classes_[ids][..., None], squeeze=True)

    def predict_proba(self, X):
        """Class probabilities of every step.

        Parameters
        ----------
        X : sequences
            Sequences in any layout :meth:`fit` accepts; lengths may differ
            from fit.

        Returns
        -------
        proba : ndarray of shape (n_samples, n_timesteps, n_classes), list, \
                or DataFrame
            A list of ``(T_i, n_classes)`` arrays for ragged X; for a long or
            nested frame X, a frame in its layout with one column per class,
            named after ``classes_``. A wide frame X (one value per step)
            gets the array.
        """
        batch, proba = self._step_outputs(X, "proba")
        return self._in_layout(batch, proba, squeeze=False, output_names=self.classes_)

    def score(self, X, y, sample_weight=None):
        """Fraction of real time steps labelled right.

        Parameters
        ----------
        X : sequences
            Sequences in any layout :meth:`fit` accepts; lengths may differ
            from fit.
        y : per-step labels, as in fit
            One label per input step, as in :meth:`fit`.
        sample_weight : array-like of shape (n_samples,) or (n_samples, \
                n_timesteps), or list, default=None
            Weight of each sequence, or of each step, as in :meth:`fit`.

        Returns
        -------
        score : float
        """
        batch, ids = self._step_outputs(X, "ids")
        truth = self._step_labels(y, batch)
        right = np.concatenate(
            [
                np.asarray(t) == self.classes_[ids[i, : len(t)]]
                for i, t in enumerate(truth)
            ]
        )
        weights = self._score_weights(sample_weight, batch)
        return float(np.average(right, weights=weights))

    @staticmethod
    def _step_labels(y, batch):
        """``y`` as one label sequence per sequence of X, each of its length."""
        _, sequences, single = label_sequences(_aligned_targets(y, batch, labels=True))
        if single:
            raise ValueError(
                "TimestepClassifier needs a label for every time step, y of shape "
                "(n_samples, n_timesteps) or a list of label sequences; for one "
                "label per sequence use Seq2SeqClassifier."
            )
        if len(sequences) != batch.n_samples:
            raise ValueError(
                f"y has {len(sequences)} samples, but X has {batch.n_samples} "
                "sequences."
            )
        _check_step_lengths([len(s) for s in sequences], batch, "y")
        return sequences

    def _fit_targets(self, y, batch, *, reset, classes=None, sample_weight=None):
        sequences = self._step_labels(y, batch)
        check_discrete_labels(sequences)
        labels = np.unique(np.concatenate(sequences))
        if reset or not hasattr(self, "classes_"):
            classes = labels if classes is None else np.unique(classes)
            check_two_classes(classes)
            self.classes_ = classes
        check_known_labels(labels, self.classes_)
        values = np.zeros(batch.values.shape[:2], dtype=np.int32)
        for i, seq in enumerate(sequences):
            values[i, : len(seq)] = np.searchsorted(self.classes_, seq)
        flat = np.concatenate(sequences)
        weights = class_weights(self.class_weight, self.classes_, flat)
        return {
            "values": values,
            "n_outputs": len(self.classes_),
            "weights": None if weights is None else weights[values],
        }
