"""Seq2SeqClassifier: sequences in, labels or label sequences out."""

import numbers

import numpy as np
from sklearn.base import ClassifierMixin, _fit_context
from sklearn.utils._param_validation import (
    Interval,
    StrOptions,
    validate_parameter_constraints,
)
from sklearn.utils.multiclass import check_classification_targets

from ._labels import (
    check_discrete_labels,
    check_known_labels,
    check_two_classes,
    class_weights,
    label_sequences,
    warn_if_one_hot,
)
from ._seq2seq import _Seq2SeqBase
from .metrics import exact_sequence_accuracy

__all__ = ["Seq2SeqClassifier"]


def _label_layout(single_label, ragged, longest):
    """How a classifier's y is laid out, in words for an error message."""
    if single_label:
        return "one label per sequence"
    if ragged:
        return f"ragged label sequences up to {longest} long"
    return f"equal-length label sequences, {longest} long"


class Seq2SeqClassifier(ClassifierMixin, _Seq2SeqBase):
    """Encoder-decoder LSTM predicting labels or label sequences.

    Targets and token inputs stay integer ids and train with sparse
    categorical cross-entropy: no one-hot array is ever built, so memory grows
    with ``n_samples x n_steps``, not with the vocabulary size.

    Parameters
    ----------
    units : int or tuple of int, default=64
        LSTM units of the encoder; a tuple stacks layers. The decoder mirrors
        them.
    conditional : bool, default=True
        True: the decoder is fed the previous target step (teacher forcing)
        while training and its own previous output when predicting. False: its
        input at every step is the encoder's code (unconditioned).
    attention : {None, "dot", "additive"}, default=None
        Let every decoded step attend over the encoder's outputs at all
        input steps (padding gets no weight): ``"dot"`` is Luong's
        multiplicative score, ``"additive"`` Bahdanau's. Helps long inputs,
        where one code cannot hold everything; see ``attention_weights``.
    beam_width : int, default=1
        Sequences kept per sample while decoding in ``predict``: 1 is greedy
        decoding; a larger width searches for the most likely label sequence
        (length-normalised when targets end at an end marker). It affects
        prediction only, so it can be changed after fit. ``predict_proba``
        stays greedy.
    dropout : float, default=0.0
        Dropout on the inputs of every LSTM layer while training.
    bidirectional : bool, default=False
        Bidirectional encoder.
    epochs : int, default=1000
        Most passes over the data.
    max_steps : int or None, default=1000
        Most optimizer steps (batches) in one ``fit``; training stops at
        ``epochs``, ``max_steps`` or early stopping, whichever comes first.
        The defaults (1,000 steps of 128 sequences at ``learning_rate=5e-3``,
        early stopping after 10 epochs without improvement) were measured
        from 250 to 100,000 sequences (user guide, "Training").
    batch_size : int, default=128
        Sequences per optimizer step.
    learning_rate : float, default=5e-3
        Adam's learning rate.
    validation_fraction : float or None, default=None
        Fraction of the training data held out to monitor ``val_loss``.
    n_iter_no_change : int or None, default=10
        Early stopping patience, in epochs, on ``val_loss`` (or the training
        loss without a validation set).
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
        training (its ``units`` and ``bidirectional`` must match, X its
        features, and it must read step by step: ``patch_size=1``); the
        autoencoder can learn from unlabelled sequences first.
        It stays a plain parameter: ``clone`` and GridSearchCV keep the
        fitted autoencoder rather than an unfitted copy.
    freeze_encoder : bool, default=False
        Keep the encoder from ``encoder_init`` fixed; only the decoder
        trains.
    class_weight : dict, "balanced" or None, default=None
        Weights of the classes in the loss, as in scikit-learn's
        classifiers: a dict ``{label: weight}`` (missing labels weigh 1), or
        ``"balanced"``, inversely proportional to the label frequencies in
        each fit's y. Multiplies ``sample_weight``.
    input_type : {"numeric", "tokens"}, default="numeric"
        ``"tokens"``: X holds tokens (2-D array or ragged lists): non-negative
        integer ids, or strings (or any hashable values) whose vocabulary is
        learned in fit, as CountVectorizer does.
    embedding_dim : int or None, default=None
        Size of the learned embedding of tokens (input tokens and the labels
        fed back to the decoder); None one-hot encodes them inside the graph.
    handle_unknown : {"error", "use_unknown"}, default="error"
        Tokens (or ids) that fit did not see: ``"error"`` refuses them;
        ``"use_unknown"`` maps them to one id reserved in fit.
    standardize : bool, default=True
        Standardize numeric X's features inside the estimator.

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
    max_output_length_ : int
        Longest target sequence in fit.
    model_ : keras.Model
    encoder_ : keras.Model
    history_ : dict of list of float
    n_iter_ : int
        Number of epochs trained.
    n_steps_ : int
        Number of optimizer steps (batches) trained.

    Examples
    --------
    >>> from sklearn_seqae import Seq2SeqClassifier
    >>> from sklearn_seqae.datasets import make_reversed_prefix
    >>> X, y = make_reversed_prefix(64, random_state=0)
    >>> clf = Seq2SeqClassifier(input_type="tokens", units=8, epochs=1,
    ...                         random_state=0).fit(X, y)
    >>> clf.predict(X).shape
    (64, 3)
    >>> clf.predict_proba(X).shape == (64, 3, len(clf.classes_))
    True
    """

    _feedback = "tokens"

    @property
    def _embeds_outputs(self):
        return bool(self.conditional)

    _parameter_constraints = {
        **_Seq2SeqBase._parameter_constraints,
        "input_type": [StrOptions({"numeric", "tokens"})],
        "embedding_dim": [Interval(numbers.Integral, 1, None, closed="left"), None],
        "handle_unknown": [StrOptions({"error", "use_unknown"})],
        "beam_width": [Interval(numbers.Integral, 1, None, closed="left")],
        "class_weight": [dict, StrOptions({"balanced"}), None],
    }

    def __init__(
        self,
        units=64,
        *,
        conditional=True,
        attention=None,
        beam_width=1,
        input_type="numeric",
        embedding_dim=None,
        handle_unknown="error",
        dropout=0.0,
        bidirectional=False,
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
        self.conditional = conditional
        self.attention = attention
        self.beam_width = beam_width
        self.input_type = input_type
        self.embedding_dim = embedding_dim
        self.handle_unknown = handle_unknown
        self.dropout = dropout
        self.bidirectional = bidirectional
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

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y, sample_weight=None):
        """Train on sequences ``X`` and labels ``y``.

        Parameters
        ----------
        X : sequences
            Numeric sequences in any layout, or token ids with
            ``input_type="tokens"``.
        y : array-like of shape (n_samples,) or (n_samples, n_steps), or list \
                of label sequences
            Labels may be any hashable values. With sequences of different
            lengths the model also learns where each sequence ends.

        sample_weight : array-like of shape (n_samples,), default=None
            Weight of each sequence in the loss and in the input scaling; 0
            removes its influence.

        Returns
        -------
        self : object
        """
        return self._fit(X, y, sample_weight=sample_weight)

    def partial_fit(self, X, y, classes=None, sample_weight=None):
        """Train one more epoch, starting a model if there is none.

        Parameters
        ----------
        X : sequences
            Sequences in any layout :meth:`fit` accepts; lengths may differ
            from fit.
        y : labels
            Targets as in :meth:`fit`.
        classes : array-like, default=None
            All labels that can occur; required only when the first batch lacks
            some of them.

        sample_weight : array-like of shape (n_samples,), default=None
            Weight of each sequence in the loss and in the input scaling; 0
            removes its influence.

        Returns
        -------
        self : object
        """
        self._validate_params()
        return self._fit(
            X, y, partial=True, sample_weight=sample_weight, classes=classes
        )

    def predict_proba(self, X, n_steps=None):
        """Class probabilities for every decoded step.

        Parameters
        ----------
        X : sequences
            Sequences in any layout :meth:`fit` accepts; lengths may differ
            from fit.
        n_steps : int, default=None
            Steps to decode (default: the training length; for variable-length
            targets, the longest training target plus one).

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes) or \
                (n_samples, n_steps, n_classes), or list of arrays
            A list of ``(length_i, n_classes)`` arrays for variable-length
            targets, each sequence cut at its end marker.
        """
        proba = self._decode_classes(X, n_steps, "proba")
        if not self._ragged:
            return self._in_fitted_shape(proba, n_steps=n_steps)
        lengths = self._lengths(proba.argmax(axis=-1))
        classes = proba[..., : len(self.classes_)]
        classes = classes / classes.sum(axis=-1, keepdims=True)
        return [classes[i, :n] for i, n in enumerate(lengths)]

    def predict(self, X, n_steps=None):
        """Greedy decoding of labels.

        Parameters
        ----------
        X : sequences
            Sequences in any layout :meth:`fit` accepts; lengths may differ
            from fit.
        n_steps : int, default=None
            As in :meth:`predict_proba`.

        Returns
        -------
        y_pred : ndarray of shape (n_samples,) or (n_samples, n_steps), or list
            A list of label arrays of their own lengths for variable-length
            targets.
        """
        ids = self._decode_classes(X, n_steps, "ids")
        if not self._ragged:
            labels = self.classes_[ids]
            return self._in_fitted_shape(labels, n_steps=n_steps)
        lengths = self._lengths(ids)
        return [self.classes_[ids[i, :n]] for i, n in enumerate(lengths)]

    def score(self, X, y, sample_weight=None):
        """Fraction of sequences predicted exactly (every step right).

        For one label per sequence this is the usual accuracy. See
        :func:`sklearn_seqae.metrics.per_step_accuracy` for a per-step figure.

        Parameters
        ----------
        X : sequences
            Sequences in any layout :meth:`fit` accepts; lengths may differ
            from fit.
        y : labels, as in fit
            The true targets of X, as :meth:`fit` reads them.
        sample_weight : array-like of shape (n_samples,), default=None
            Weight of each sequence in the score.

        Returns
        -------
        score : float
        """
        y_pred = self.predict(X)
        if sample_weight is None:
            return exact_sequence_accuracy(y, y_pred)
        true = y if isinstance(y, list) else list(np.asarray(y, dtype=object))
        right = [
            exact_sequence_accuracy([t], [p]) for t, p in zip(true, y_pred, strict=True)
        ]
        return float(np.average(right, weights=sample_weight))

    def _decode_classes(self, X, n_steps, output):
        self._check_fitted()
        if n_steps is None and self._ragged:
            n_steps = self.max_output_length_ + 1
        # beam_width may be set after fit (set_params): check it as fit would.
        validate_parameter_constraints(
            {"beam_width": self._parameter_constraints["beam_width"]},
            {"beam_width": self.beam_width},
            caller_name=type(self).__name__,
        )
        return self._decode(X, n_steps, output, self.beam_width)[1]

    def _token_input(self):
        return self.input_type == "tokens", self.embedding_dim

    def _unknown_tokens(self):
        return self.handle_unknown

    def _end_id(self):
        return len(self.classes_) if self._ragged else None

    def _lengths(self, ids):
        """Each sequence ends before its first end marker (or at the last step)."""
        is_end = ids == len(self.classes_)
        return np.where(is_end.any(axis=1), is_end.argmax(axis=1), is_end.shape[1])

    def _fit_targets(self, y, batch, *, reset, classes=None, sample_weight=None):
        n_samples = batch.n_samples
        if reset:
            warn_if_one_hot(y)
        ragged, sequences, single_label = label_sequences(y)
        if len(sequences) != n_samples:
            raise ValueError(
                f"y has {len(sequences)} samples, but X has {n_samples} sequences."
            )
        if single_label:
            check_classification_targets(np.asarray(sequences)[:, 0])
        flat = np.concatenate(sequences)
        for i, seq in enumerate(sequences):
            if len(seq) == 0:
                raise ValueError(f"y: label sequence {i} is empty.")
            if seq.dtype.kind == "f" and np.isnan(seq).any():
                raise ValueError(f"y: label sequence {i} contains NaN.")
        if not single_label:
            check_discrete_labels(sequences)
        try:
            labels = np.unique(flat)
        except TypeError:
            raise TypeError(
                "y mixes label types (for example strings and numbers); use one "
                "type for all labels."
            ) from None
        if reset or not hasattr(self, "classes_"):
            classes = labels if classes is None else np.unique(classes)
            if not ragged:
                # Ragged label sequences give the softmax a second output, their
                # end marker; one class alone would train a softmax of size 1.
                check_two_classes(classes, per_step=not single_label)
            self.classes_ = classes
            self._ragged = ragged
            self._dropped_axes = ("steps",) if single_label else ()
            self.max_output_length_ = max(len(s) for s in sequences)
        check_known_labels(labels, self.classes_)
        n_classes = len(self.classes_)
        ids = [np.searchsorted(self.classes_, s) for s in sequences]
        longest = max(len(s) for s in sequences)
        layout = (single_label, ragged, longest)
        fitted = (
            self._dropped_axes == ("steps",),
            self._ragged,
            self.max_output_length_,
        )
        if self._ragged:
            # End markers carry any lengths up to the longest seen, so a
            # chunk of equal-length sequences continues a ragged fit too.
            fits = not single_label and longest <= self.max_output_length_
        else:
            fits = layout == fitted
        if not fits:
            # Continued training keeps the fitted outputs; other targets
            # would be predicted in the first fit's layout without a word.
            raise ValueError(
                f"y has {_label_layout(*layout)}, but the model was first fitted "
                f"on {_label_layout(*fitted)}; pass targets like those of the "
                "first fit, or fit a new model."
            )
        weights = class_weights(self.class_weight, self.classes_, flat)
        if not self._ragged:
            values = np.stack(ids).astype(np.int32)
            return {
                "values": values,
                "mask": None,
                "n_outputs": n_classes,
                "weights": None if weights is None else weights[values],
            }
        # Variable lengths: append the end marker (id n_classes), pad, mask.
        lengths = np.array([len(s) + 1 for s in ids])
        values = np.zeros((len(ids), self.max_output_length_ + 1), dtype=np.int32)
        for i, s in enumerate(ids):
            values[i, : len(s)] = s
            values[i, len(s)] = n_classes
        mask = np.arange(values.shape[1])[None, :] < lengths[:, None]
        if weights is not None:
            # The end marker weighs as much as an average label.
            weights = np.append(weights, 1.0)[values]
        return {
            "values": values,
            "mask": mask,
            "n_outputs": n_classes + 1,
            "weights": weights,
        }
