"""LSTMAutoencoderTransformer: sequences in, fixed-length codes out."""

import numbers

import numpy as np
from sklearn.base import TransformerMixin, _fit_context
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils._set_output import _get_output_config
from sklearn.utils.validation import _check_sample_weight, check_array

from ._base import SequenceEstimatorBase
from ._keras import import_networks
from ._patches import auto_patch_size, from_patches, to_patches
from ._sequences import SequenceBatch, validate_sequences
from ._warnings import warn

__all__ = ["LSTMAutoencoderTransformer"]

#: Optimizer steps of a fit at ``max_steps="auto"`` with no ``epochs`` set.
AUTO_MAX_STEPS = 600

#: How the code is read from the encoder's per-step outputs.
CODES = ("last", "mean", "max", "mean_max", "last_mean_max")

#: ``"auto"`` objectives for a training set of at least this many sequences;
#: fewer get no corruption and no contrastive term (a batch of one or two
#: sequences has nothing to contrast, and a handful is better memorised).
MIN_SEQUENCES_FOR_OBJECTIVES = 8
AUTO_OBJECTIVES = {"mask_fraction": 0.2, "noise": 0.1, "contrastive_weight": 1.0}


def _reverse_steps(values, lengths):
    """Reverse each sequence's first ``lengths[i]`` steps, keeping padding last."""
    n, t = values.shape[:2]
    index = lengths[:, None] - 1 - np.arange(t)[None, :]
    out = values[np.arange(n)[:, None], np.clip(index, 0, None)]
    out[index < 0] = 0
    return out


class LSTMAutoencoderTransformer(TransformerMixin, SequenceEstimatorBase):
    """LSTM encoder-decoder autoencoder; ``transform`` returns the code.

    An LSTM encoder reads each sequence and summarises it in a fixed-length
    vector, the code; one or two LSTM decoders are trained to rebuild the
    sequence and/or predict its continuation from the code alone (Srivastava
    et al., 2015). Trained without labels, the encoder then turns sequences of
    any length into features for ordinary estimators.

    Parameters
    ----------
    units : int or tuple of int, default=128
        LSTM units of the encoder; a tuple stacks layers. The reconstruction
        and future decoders mirror them. 128 units trained 600 steps beat 64
        units trained 1,000 steps on the cross-validated training splits, in
        about the same time (user guide, "Choosing a code and an
        objective").
    patch_size : int or "auto", default="auto"
        The encoder reads, and the reconstruction decoder emits, patches of
        this many consecutive steps (each one input vector of ``patch_size *
        n_features_in_`` values), so a long sequence costs the LSTM
        ``patch_size`` times fewer steps and its start is not forgotten.
        ``"auto"`` reads a sequence of the median training length in at
        most 96 patches and the longest in at most 384 (``max(ceil(median /
        96), ceil(longest / 384))``: ``ceil(length / 96)`` for equal
        lengths; 1, step by step, up to 96 steps) and keeps the fitted size
        when training continues (``warm_start``, ``partial_fit``). Padding
        never changes a code: the last, partial patch of a sequence is zero
        past its end.
    code : {"last", "mean", "max", "mean_max", "last_mean_max"}, \
            default="mean_max"
        How the code is read from the last encoder layer's outputs:
        ``"last"`` is its hidden state after the last real step; ``"mean"``
        and ``"max"`` pool its outputs over all real steps; joined names
        concatenate. Each part is ``units[-1]`` long (twice that when
        bidirectional). Padding never changes a code. See the user guide,
        "Choosing a code and an objective".
    mode : {"reconstruct", "forecast", "composite"}, default="reconstruct"
        ``"reconstruct"``: a decoder rebuilds the input. ``"forecast"``: the
        encoder reads all but the last ``n_future`` steps of each sequence and
        a decoder predicts those steps (:meth:`forecast` continues whole
        sequences). ``"composite"``: one encoder, both decoders (the
        reconstruction decoder rebuilds the part the encoder read), losses
        summed. ``"predict"``, the 0.2 spelling of ``"forecast"``, still works
        with a FutureWarning and will be removed in 0.4.
    n_future : int, default=1
        Steps to predict in the ``"forecast"`` and ``"composite"`` modes.
        Every training sequence must be longer than ``n_future``.
    conditional : bool, default=False
        False: the decoder's input at every step is the code (unconditioned).
        True: the decoder is fed its previous output, the true one while
        training (teacher forcing) and its own when decoding.
    reverse : bool, default=False
        Reconstruct the sequence in reverse order, so the first step the
        decoder emits is the last one the encoder read. Outputs come back in
        time order either way; :meth:`inverse_transform`, which does not know
        each sequence's length, then aligns a shorter sequence's steps at the
        end of its ``n_timesteps_`` (see there).
    dropout : float, default=0.0
        Dropout on the inputs of every LSTM layer while training.
    bidirectional : bool, default=False
        Read sequences in both directions; the code is then twice the last
        entry of ``units`` long.
    standardize : {"global", "per_sequence"} or bool, default="per_sequence"
        ``"global"`` (or True): scale each feature to zero mean and unit
        variance over all training time steps. ``"per_sequence"``: scale each
        sequence by its own mean and standard deviation, so the network sees
        shapes, not levels; the code then ends with each sequence's
        per-feature mean and log standard deviation (``2 * n_features_in_``
        values), so no information is lost and ``inverse_transform`` can undo
        it. False: no scaling. Outputs are always in the original units.
    mask_fraction : float or "auto", default="auto"
        Denoising: while training, each time step (patch) the encoder reads
        is hidden (set to the mean) with this probability, and the decoders
        must still rebuild the clean sequence. ``"auto"``: 0.2, or 0 when
        training on fewer than 8 sequences.
    noise : float or "auto", default="auto"
        Denoising: standard deviation of Gaussian noise added to the
        encoder's (standardized) input while training. ``"auto"``: 0.1, or
        0 on fewer than 8 sequences.
    contrastive_weight : float or "auto", default="auto"
        Weight of a contrastive term (in-batch InfoNCE, temperature 0.2)
        added to the reconstruction loss: the code of each (corrupted)
        sequence must match the code of a random crop of it (see
        ``crop_fraction``) rather than the other sequences' in the batch.
        0 turns it off. ``"auto"``: 1.0, or 0 on fewer than 8 sequences,
        which give a batch nothing to contrast. The first fit decides
        every ``"auto"`` objective; ``partial_fit`` and ``warm_start`` keep
        that choice whatever the size of the data they continue on.
    crop_fraction : float, default=0.5
        The contrastive term's second view keeps a random window of at
        least this fraction of each sequence's steps (T-Loss, TS2Vec): a
        code that must match any large crop describes the whole sequence,
        not where it starts. 1.0 contrasts two corruptions of the whole
        sequence.
    epochs : int or None, default=None
        Most training epochs (passes over the data). None: as many as
        ``max_steps`` takes.
    max_steps : int, "auto" or None, default="auto"
        Most optimizer steps (batches) in one ``fit``; training stops at
        ``epochs``, ``max_steps`` or early stopping, whichever comes first.
        ``"auto"``: 600 steps when ``epochs`` is None (a 50-sequence set
        gets many epochs, a 100,000-sequence set a fraction of one, so fit
        time grows with sequence length, not with the number of
        sequences), and no step limit when you set ``epochs``, which is
        then trained in full. The defaults were chosen by cross-validation
        on training splits (user guide, "Choosing a code and an
        objective").
    batch_size : int, default=32
        Sequences per gradient step.
    learning_rate : float, default=1e-3
        Adam's learning rate.
    validation_fraction : float or None, default=None
        Fraction of the training sequences held out to monitor ``val_loss``.
    n_iter_no_change : int or None, default=None
        Stop when the monitored loss (``val_loss`` when
        ``validation_fraction`` is set, else the training loss) has not
        improved by ``tol`` for this many epochs; the weights of the best
        epoch are restored. None (the default) trains to the budget: the
        training loss of a corrupted, contrasted fit jumps from epoch to
        epoch, and stopping on it ended most fits too soon.
    tol : float, default=1e-4
        Minimum improvement for early stopping.
    random_state : int, RandomState instance or None, default=None
        Seeds weight initialisation, dropout, shuffling and the validation
        split. An int gives identical results in every process; no global
        random state is touched.
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

    Attributes
    ----------
    n_features_in_ : int
        Number of features per time step (not the number of time steps).
    feature_mean_ : ndarray of shape (``n_features_in_``,)
        Per-feature mean of the training steps, subtracted before the network
        reads X (zeros when X is not scaled this way).
    feature_scale_ : ndarray of shape (``n_features_in_``,)
        Per-feature standard deviation of the training steps that X is divided
        by (ones when X is not scaled this way).
    feature_names_in_ : ndarray of shape (``n_features_in_``,)
        Feature names, when X was a long or nested pandas or polars frame
        with string column names.
    n_timesteps_ : int
        Length of the longest sequence the reconstruction decoder learned;
        ``inverse_transform`` decodes this many steps.
    patch_size_ : int
        Steps per patch the encoder reads (``patch_size``, or the size
        ``"auto"`` chose).
    code_size_ : int
        Length of the code returned by ``transform``.
    model_ : keras.Model
        The training model (encoder and decoders).
    encoder_ : keras.Model
        Standalone encoder sharing the trained weights; its inputs are
        ``sequences`` ``(n, P, patch_size_ * n_features_in_)`` (standardized,
        cut into ``P`` patches, zero past each sequence's end) and a boolean
        ``mask`` ``(n, P)`` of the patches that hold a real step.
    history_ : dict of list of float
        Per-epoch training metrics (``loss``, ``val_loss``, ...).
    n_iter_ : int
        Number of epochs trained.
    n_steps_ : int
        Number of optimizer steps (batches) trained.

    See Also
    --------
    Seq2SeqRegressor : encoder-decoder mapping sequences to sequences.

    References
    ----------
    N. Srivastava, E. Mansimov, R. Salakhutdinov, "Unsupervised Learning of
    Video Representations using LSTMs", ICML 2015.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_seqae import LSTMAutoencoderTransformer
    >>> X = np.sin(np.linspace(0, 3, 8) + np.arange(20)[:, None])  # 20 sequences
    >>> ae = LSTMAutoencoderTransformer(units=4, max_steps=20, random_state=0)
    >>> ae.fit_transform(X).shape  # mean and max of 4 units, level, log scale
    (20, 10)
    >>> ae.get_feature_names_out()[[0, 4, 8, 9]].tolist()
    ['lstmautoencodertransformer_mean0', 'lstmautoencodertransformer_max0',
     'lstmautoencodertransformer_level0', 'lstmautoencodertransformer_log_scale0']
    >>> ae.reconstruct(X).shape
    (20, 8)
    """

    _time_aligned = ("sequences", "mask", "reconstruction", "reconstruction_target")

    _parameter_constraints = {
        **SequenceEstimatorBase._parameter_constraints,
        "mode": [
            StrOptions({"reconstruct", "forecast", "composite", "predict"}),
        ],
        "n_future": [Interval(numbers.Integral, 1, None, closed="left")],
        "patch_size": [
            Interval(numbers.Integral, 1, None, closed="left"),
            StrOptions({"auto"}),
        ],
        "code": [StrOptions(set(CODES))],
        "conditional": ["boolean"],
        "reverse": ["boolean"],
        "standardize": [StrOptions({"global", "per_sequence"}), "boolean"],
        "mask_fraction": [
            Interval(numbers.Real, 0, 1, closed="left"),
            StrOptions({"auto"}),
        ],
        "noise": [Interval(numbers.Real, 0, None, closed="left"), StrOptions({"auto"})],
        "contrastive_weight": [
            Interval(numbers.Real, 0, None, closed="left"),
            StrOptions({"auto"}),
        ],
        "crop_fraction": [Interval(numbers.Real, 0, 1, closed="right")],
        "epochs": [Interval(numbers.Integral, 1, None, closed="left"), None],
        "max_steps": [
            Interval(numbers.Integral, 1, None, closed="left"),
            StrOptions({"auto"}),
            None,
        ],
    }

    def __init__(
        self,
        units=128,
        *,
        patch_size="auto",
        code="mean_max",
        mode="reconstruct",
        n_future=1,
        conditional=False,
        reverse=False,
        dropout=0.0,
        bidirectional=False,
        standardize="per_sequence",
        mask_fraction="auto",
        noise="auto",
        contrastive_weight="auto",
        crop_fraction=0.5,
        epochs=None,
        max_steps="auto",
        batch_size=32,
        learning_rate=1e-3,
        validation_fraction=None,
        n_iter_no_change=None,
        tol=1e-4,
        random_state=None,
        verbose=0,
        warm_start=False,
        callbacks=None,
        devices=None,
    ):
        self.units = units
        self.patch_size = patch_size
        self.code = code
        self.mode = mode
        self.n_future = n_future
        self.conditional = conditional
        self.reverse = reverse
        self.dropout = dropout
        self.bidirectional = bidirectional
        self.standardize = standardize
        self.mask_fraction = mask_fraction
        self.noise = noise
        self.contrastive_weight = contrastive_weight
        self.crop_fraction = crop_fraction
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

    def _training_budget(self):
        if self.max_steps != "auto":
            if self.epochs is None and self.max_steps is None:
                raise ValueError(
                    "epochs and max_steps cannot both be None: training would "
                    "never end. Set one of them."
                )
            return self.epochs, self.max_steps
        if self.epochs is None:
            return None, AUTO_MAX_STEPS
        return self.epochs, None

    # -- scikit-learn API -----------------------------------------------------
    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None, sample_weight=None):
        """Train the autoencoder on sequences ``X``.

        Parameters
        ----------
        X : array-like, list of arrays or DataFrame
            ``(n_samples, n_timesteps)``, ``(n_samples, n_timesteps,
            n_features)``, a list of ``(T_i,)`` or ``(T_i, n_features)`` arrays,
            or a (instance, time) MultiIndex DataFrame.
        y : None
            Ignored.
        sample_weight : array-like of shape (n_samples,), default=None
            Weight of each sequence in the loss and in the input scaling; 0
            removes its influence on the reconstruction.

        Returns
        -------
        self : object
        """
        return self._fit(X, sample_weight=sample_weight)

    def partial_fit(self, X, y=None, sample_weight=None):
        """Train one more epoch on ``X``, starting a model if there is none.

        Parameters
        ----------
        X : sequences
            As in :meth:`fit`; lengths may differ from earlier calls.
        y : None
            Ignored.
        sample_weight : array-like of shape (n_samples,), default=None
            Weight of each sequence in the loss and in the input scaling; 0
            removes its influence.

        Returns
        -------
        self : object
        """
        self._validate_params()
        return self._fit(X, partial=True, sample_weight=sample_weight)

    def _restore(self, state, weights):
        # Models fitted by 0.2 read their sequences step by step and
        # contrasted uncropped views; so do its unfitted pickles' parameters.
        if weights is not None and "patch_size_" not in state:
            state = dict(state, patch_size_=1, patch_size=1, crop_fraction=1.0)
        elif "patch_size" not in state and "patch_size" not in self.__dict__:
            state = dict(state, patch_size=1, crop_fraction=1.0)
        super()._restore(state, weights)

    # -- hooks of the life cycle ----------------------------------------------
    def _read_X(self, X, *, reset):
        batch = validate_sequences(self, X, reset=reset)
        self._check_future_lengths(batch, "X")
        return batch

    def _fit_targets(self, y, batch, *, reset, classes=None, sample_weight=None):
        return None  # y is ignored: the sequences are their own targets

    @property
    def _mode(self):
        """``mode``, with its 0.2 spelling ``"predict"`` read as ``"forecast"``."""
        return "forecast" if self.mode == "predict" else self.mode

    def _check_params(self):
        if self.mode == "predict":
            warn(
                "mode='predict' was renamed mode='forecast' in 0.3 (the method it "
                "trains is forecast); 'predict' will stop working in 0.4.",
                FutureWarning,
            )
        # Settings that differ from their default but cannot act are named,
        # so that a search over them does not compare identical fits.
        ignored = []
        if self._mode == "reconstruct" and self.n_future != 1:
            ignored.append(
                f"n_future={self.n_future} (mode='reconstruct' predicts no "
                "future steps; use mode='forecast' or 'composite')"
            )
        if self._mode == "forecast" and self.reverse:
            ignored.append(
                "reverse=True (it orders the reconstruction, which "
                "mode='forecast' does not train; use mode='composite')"
            )
        if self.contrastive_weight == 0 and self.crop_fraction != 0.5:
            ignored.append(
                f"crop_fraction={self.crop_fraction} (it crops the contrastive "
                "term's second view, and contrastive_weight=0 turns the term off)"
            )
        for setting in ignored:
            warn(f"{setting} is ignored.", UserWarning)

    def _fit_input(self, batch, sample_weight=None):
        mode = {"per_sequence": "per_sequence", False: None}
        self._fit_scaler(batch, mode.get(self.standardize, "global"), sample_weight)
        univariate_2d = batch.layout in ("array2d", "wide") or (
            batch.layout == "ragged" and all(d == 1 for d in batch.item_ndim)
        )
        self._dropped_axes = ("features",) if univariate_2d else ()

    # -- data preparation -----------------------------------------------------
    def _check_future_lengths(self, batch, name):
        if self._mode == "reconstruct":
            return
        short = np.flatnonzero(batch.lengths <= self.n_future)
        if len(short):
            i = int(short[0])
            raise ValueError(
                f"{name}: sequence {i} has {batch.lengths[i]} time step(s), but "
                f"mode={self._mode!r} with n_future={self.n_future} needs sequences "
                f"longer than {self.n_future} (the encoder reads all but the last "
                f"{self.n_future} steps)."
            )

    def _split_future(self, batch):
        """The encoder's part of each sequence and, if predicting, the rest."""
        if self._mode == "reconstruct":
            return batch, None
        enc_lengths = batch.lengths - self.n_future
        steps = enc_lengths[:, None] + np.arange(self.n_future)[None, :]
        future = batch.values[np.arange(batch.n_samples)[:, None], steps]
        values = batch.values[:, : enc_lengths.max()].copy()
        values[np.arange(values.shape[1])[None, :] >= enc_lengths[:, None]] = 0
        enc = SequenceBatch(values=values, lengths=enc_lengths, layout=batch.layout)
        return enc, future

    def _split_code(self, codes):
        """Network codes, and the mean and scale that undo standardization.

        With ``standardize="per_sequence"`` the code ends with each
        sequence's per-feature mean and log scale.
        """
        if self._scaling_mode != "per_sequence":
            return (codes, *self._scaling(None))
        n_features = self.n_features_in_
        network = codes[:, : -2 * n_features]
        mean = codes[:, -2 * n_features : -n_features, None].transpose(0, 2, 1)
        scale = np.exp(codes[:, -n_features:, None]).transpose(0, 2, 1)
        return network, mean.astype(np.float64), scale.astype(np.float64)

    def _training_arrays(self, batch, targets):
        enc, future = self._split_future(batch)
        scaling = self._scaling(enc)
        values = self._scaled(enc, scaling)
        patches, mask = to_patches(
            values, enc.mask, self.patch_size_, self._config.get("patch_stats")
        )
        inputs = {"sequences": patches, "mask": mask}
        targets = {}
        if "reconstruction" in self._config["decoders"]:
            target = _reverse_steps(values, enc.lengths) if self.reverse else values
            target_patches, _ = to_patches(target, enc.mask, self.patch_size_)
            targets["reconstruction"] = target_patches
        if future is not None:
            mean, scale = scaling
            targets["future"] = ((future - mean) / scale).astype(np.float32)
        if self._config["contrastive_weight"] > 0:
            # The network computes this loss itself; Keras wants a target.
            targets["contrastive"] = np.zeros(len(patches), np.float32)
        if self.conditional:
            for name in self._config["decoders"]:
                inputs[f"{name}_target"] = targets[name]
        return inputs, targets

    # -- the Keras model ------------------------------------------------------
    def _network_spec(self, batch, targets, *, warm):
        enc_lengths = batch.lengths - (
            0 if self._mode == "reconstruct" else self.n_future
        )
        decoders = {
            "reconstruct": ("reconstruction",),
            "forecast": ("future",),
            "composite": ("reconstruction", "future"),
        }[self._mode]
        n_timesteps = int(enc_lengths.max())
        if self.patch_size != "auto":
            patch_size = int(self.patch_size)
        elif warm:
            # Training goes on: the fitted patches stay, whatever the lengths.
            patch_size = self.patch_size_
        else:
            patch_size = auto_patch_size(enc_lengths)
        return dict(
            kind="autoencoder",
            n_features=int(batch.n_features),
            patch_size=patch_size,
            patch_stats=patch_size > 1,
            units=self._units(),
            bidirectional=bool(self.bidirectional),
            dropout=float(self.dropout),
            code=self.code,
            conditional=bool(self.conditional),
            decoders=decoders,
            n_future=int(self.n_future),
            n_timesteps=n_timesteps,
            **self._objectives(batch.n_samples, warm=warm),
            crop=float(self.crop_fraction),
        )

    def _objectives(self, n_samples, *, warm=False):
        """``mask_fraction``, ``noise`` and ``contrastive_weight``, "auto" resolved.

        "auto" is resolved from the first fit's number of sequences; training
        that goes on keeps that choice, so a ``partial_fit`` batch of another
        size does not change the network.
        """
        few = n_samples < MIN_SEQUENCES_FOR_OBJECTIVES
        given = {
            "mask_fraction": self.mask_fraction,
            "noise": self.noise,
            "contrastive_weight": self.contrastive_weight,
        }
        resolved = {}
        for name, value in given.items():
            if value != "auto":
                resolved[name] = float(value)
            elif warm:
                resolved[name] = self._config[name]
            else:
                resolved[name] = 0.0 if few else AUTO_OBJECTIVES[name]
        return resolved

    def _after_build(self, config):
        self.code_size_ = int(self.model_.get_layer("encoder").code_size)
        if self._scaling_mode == "per_sequence":
            self.code_size_ += 2 * config["n_features"]
        self.n_timesteps_ = config["n_timesteps"]
        self.patch_size_ = config["patch_size"]

    def _require_decoder(self, name, method):
        if name not in self._config["decoders"]:
            raise ValueError(
                f"{method} needs the {name} decoder, which mode={self._mode!r} "
                "does not train; use mode='composite' to have both."
            )

    def _encode(self, batch):
        """The codes of ``batch``, as ``transform`` returns them."""
        scaling = self._scaling(batch)
        values, mask = to_patches(
            self._scaled(batch, scaling),
            batch.mask,
            self.patch_size_,
            self._config.get("patch_stats"),
        )
        if mask.all():

            def build():
                networks = import_networks()
                return networks.encoder_model(self.model_, self._config, masked=False)

            codes = self._predict_with("encoder_unmasked", build, values)
        else:
            inputs = {"sequences": values, "mask": mask}
            codes = self._predict_arrays(self.encoder_, inputs)
        if self._scaling_mode != "per_sequence":
            return codes
        mean, scale = (v[:, 0, :].astype(np.float32) for v in scaling)
        return np.concatenate([codes, mean, np.log(scale)], axis=1)

    def _decode(self, name, codes, n_steps):
        """Decode ``n_steps`` from codes, in standardized units."""

        def build():
            networks = import_networks()
            return networks.decoding_model(
                self.model_,
                self._config,
                n_steps,
                decoder=f"{name}_decoder",
                from_code=True,
            )

        return self._predict_with((name, n_steps), build, codes.astype(np.float32))

    def _decode_reconstruction(self, codes, lengths):
        codes, mean, scale = self._split_code(codes)
        n_steps = int(lengths.max())
        n_patches = -(-n_steps // self.patch_size_)
        decoded = from_patches(
            self._decode("reconstruction", codes, n_patches),
            self.patch_size_,
            self.n_features_in_,
        )[:, :n_steps]
        if self.reverse:
            decoded = _reverse_steps(decoded, lengths)
        decoded = decoded * scale + mean
        decoded[np.arange(decoded.shape[1])[None, :] >= lengths[:, None]] = 0.0
        return decoded

    # -- scikit-learn API, continued -------------------------------------------
    def transform(self, X):
        """Encode each sequence into a vector of length ``code_size_``.

        Parameters
        ----------
        X : sequences
            Any layout accepted by :meth:`fit`; lengths may differ from fit.

        Returns
        -------
        codes : ndarray of shape (n_samples, ``code_size_``)
        """
        self._check_fitted()
        batch = validate_sequences(self, X, reset=False)
        codes = self._encode(batch)
        if batch.layout == "multiindex" and (
            _get_output_config("transform", self)["dense"] == "pandas"
        ):
            # sklearn would reuse the (instance, time) row index; one row per
            # instance needs the instance index instead.
            import pandas as pd

            return pd.DataFrame(
                codes,
                index=batch.instance_index,
                columns=self.get_feature_names_out(),
            )
        return codes

    def inverse_transform(self, X):
        """Decode codes back into sequences of length ``n_timesteps_``.

        Parameters
        ----------
        X : array-like of shape (n_samples, ``code_size_``)
            Codes, as returned by :meth:`transform`.

        Returns
        -------
        sequences : ndarray of shape (n_samples, ``n_timesteps_``) or \
                (n_samples, ``n_timesteps_``, ``n_features_in_``)
            2-D when the model was fitted on 2-D input. A code does not say how
            long its sequence was, so every row is decoded to ``n_timesteps_``
            steps: the sequence of a shorter one starts at step 0 and the
            decoder goes on past its end, or, with ``reverse=True`` (decoded
            from its last step backwards), it ends at the last step and the
            steps before it are the decoder's. :meth:`reconstruct` knows the
            lengths and returns each sequence as long as it was.
        """
        self._check_fitted()
        self._require_decoder("reconstruction", "inverse_transform")
        codes = check_array(X, dtype=np.float32, input_name="X")
        if codes.shape[1] != self.code_size_:
            raise ValueError(
                f"X has {codes.shape[1]} columns, but the codes of this "
                f"{type(self).__name__} have code_size_={self.code_size_}."
            )
        lengths = np.full(len(codes), self.n_timesteps_)
        decoded = self._decode_reconstruction(codes, lengths)
        return self._in_fitted_shape(decoded)

    def reconstruct(self, X):
        """Encode and decode ``X``; the result has X's layout and lengths.

        In ``"composite"`` mode the whole of each sequence is encoded and
        reconstructed.

        Parameters
        ----------
        X : sequences
            Sequences in any layout :meth:`fit` accepts; lengths may differ
            from fit.

        Returns
        -------
        reconstruction : same layout as X
            Ragged in, ragged out; DataFrame in, DataFrame out.
        """
        self._check_fitted()
        self._require_decoder("reconstruction", "reconstruct")
        batch = validate_sequences(self, X, reset=False)
        decoded = self._decode_reconstruction(self._encode(batch), batch.lengths)
        return batch.to_layout(decoded)

    def forecast(self, X, n_steps=None):
        """Predict the ``n_steps`` steps that follow each whole sequence.

        Available in the ``"forecast"`` and ``"composite"`` modes.

        Parameters
        ----------
        X : sequences
            Sequences in any layout :meth:`fit` accepts; lengths may differ
            from fit.
        n_steps : int, default=None
            Steps to decode; defaults to ``n_future``.

        Returns
        -------
        future : ndarray of shape (n_samples, n_steps) or \
                (n_samples, n_steps, ``n_features_in_``)
            2-D when the model was fitted on univariate 2-D or ragged 1-D input.
        """
        self._check_fitted()
        self._require_decoder("future", "forecast")
        n_steps = self.n_future if n_steps is None else n_steps
        if not isinstance(n_steps, numbers.Integral) or n_steps < 1:
            raise ValueError(f"n_steps must be a positive int, got {n_steps!r}.")
        batch = validate_sequences(self, X, reset=False)
        codes, mean, scale = self._split_code(self._encode(batch))
        future = self._decode("future", codes, int(n_steps)) * scale + mean
        return self._in_fitted_shape(future)

    def score_samples(self, X):
        """Negative mean squared error of each sequence (higher = typical).

        The error covers everything the model predicts: the reconstruction
        and, in ``"forecast"``/``"composite"`` mode, the last ``n_future`` steps
        predicted from the rest. It is measured in X's own units.

        Parameters
        ----------
        X : sequences
            Sequences in any layout :meth:`fit` accepts; lengths may differ
            from fit.

        Returns
        -------
        scores : ndarray of shape (n_samples,)
        """
        self._check_fitted()
        batch = validate_sequences(self, X, reset=False)
        self._check_future_lengths(batch, "X")
        squared, counts = 0.0, 0
        enc_batch, future = self._split_future(batch)
        codes = self._encode(enc_batch)
        if "reconstruction" in self._config["decoders"]:
            recon = self._decode_reconstruction(codes, enc_batch.lengths)
            err = (recon - enc_batch.values) ** 2
            squared = squared + (err * enc_batch.mask[..., None]).sum(axis=(1, 2))
            counts = counts + enc_batch.lengths * self.n_features_in_
        if future is not None:
            codes, mean, scale = self._split_code(codes)
            pred = self._decode("future", codes, self.n_future) * scale + mean
            squared = squared + ((pred - future) ** 2).sum(axis=(1, 2))
            counts = counts + self.n_future * self.n_features_in_
        return -(squared / counts)

    def _step_errors(self, batch):
        """Squared reconstruction error per step ``(n, T)``, in scaled units.

        Each feature's error is divided by its scale, so features of large
        and small range count alike; padded steps are 0.
        """
        recon = self._decode_reconstruction(self._encode(batch), batch.lengths)
        _, scale = self._scaling(batch)
        err = ((recon - batch.values) / scale) ** 2
        return err.mean(axis=2) * batch.mask

    def score(self, X, y=None, sample_weight=None):
        """Mean of :meth:`score_samples`: higher is better, for model selection.

        Parameters
        ----------
        X : sequences
            Sequences in any layout :meth:`fit` accepts; lengths may differ
            from fit.
        y : None
            Ignored.
        sample_weight : array-like of shape (n_samples,), default=None
            Weights of the sequences in the mean, as in :meth:`fit`.

        Returns
        -------
        score : float
        """
        scores = self.score_samples(X)
        if sample_weight is not None:
            sample_weight = _check_sample_weight(sample_weight, scores)
        return float(np.average(scores, weights=sample_weight))

    def get_feature_names_out(self, input_features=None):
        """Names of the code's columns, saying where each comes from.

        ``<prefix>_last3`` is unit 3 of the last state, ``_mean3`` and
        ``_max3`` its mean and maximum over time; with
        ``standardize="per_sequence"`` the code ends with each input
        feature's level and log scale, ``_level_<name>`` and
        ``_log_scale_<name>`` (``_level<j>`` and ``_log_scale<j>`` when the
        features have no names).

        Parameters
        ----------
        input_features : array-like of str or None, default=None
            Names of the features per time step: None takes
            ``feature_names_in_`` when fit saw them; given, they must match
            it, or number ``n_features_in_``. For a model fitted on 2-D or
            wide input, names of another length are the time steps' (the
            columns a ColumnTransformer passes) and are not used.

        Returns
        -------
        feature_names_out : ndarray of str
        """
        self._check_fitted()
        features = self._input_feature_names(input_features)
        prefix = type(self).__name__.lower()
        size = self.model_.get_layer("encoder").output_size
        # The fitted network's code, even after a set_params(code=...).
        code = self._config["code"]
        names = [f"{part}{i}" for part in code.split("_") for i in range(size)]
        if self._scaling_mode == "per_sequence":
            for part in ("level", "log_scale"):
                names += [
                    f"{part}{j}" if name is None else f"{part}_{name}"
                    for j, name in enumerate(features)
                ]
        return np.asarray([f"{prefix}_{name}" for name in names], dtype=object)

    def _input_feature_names(self, input_features):
        """Each input feature's name, or None for each when they have none."""
        fitted = getattr(self, "feature_names_in_", None)
        if input_features is None:
            if fitted is None:
                return [None] * self.n_features_in_
            return list(fitted)
        names = np.asarray(input_features, dtype=object)
        if (
            names.ndim == 1
            and len(names) != self.n_features_in_
            and "features" in getattr(self, "_dropped_axes", ())
        ):
            # 2-D or wide X: the columns a ColumnTransformer or a Pipeline
            # passes are time steps, and the one feature has no name.
            return [None] * self.n_features_in_
        if fitted is not None and not np.array_equal(names, fitted):
            raise ValueError(
                "input_features is not equal to feature_names_in_: "
                f"{list(names)} against {list(fitted)}."
            )
        if names.ndim != 1 or len(names) != self.n_features_in_:
            raise ValueError(
                f"input_features should have length equal to n_features_in_ "
                f"({self.n_features_in_}), the features per time step; got "
                f"{len(names) if names.ndim == 1 else names.shape}."
            )
        return [str(name) for name in names]

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.transformer_tags.preserves_dtype = ["float32"]
        return tags
