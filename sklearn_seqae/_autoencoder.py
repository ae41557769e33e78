"""LSTMAutoencoderTransformer: sequences in, fixed-length codes out."""

import numbers

import numpy as np
from sklearn.base import (
    ClassNamePrefixFeaturesOutMixin,
    TransformerMixin,
    _fit_context,
)
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils._set_output import _get_output_config
from sklearn.utils.validation import check_array

from ._base import SequenceEstimatorBase
from ._keras import import_keras, import_layers
from ._sequences import SequenceBatch, validate_sequences

__all__ = ["LSTMAutoencoderTransformer"]


def _reverse_steps(values, lengths):
    """Reverse each sequence's first ``lengths[i]`` steps, keeping padding last."""
    n, t = values.shape[:2]
    index = lengths[:, None] - 1 - np.arange(t)[None, :]
    out = values[np.arange(n)[:, None], np.clip(index, 0, None)]
    out[index < 0] = 0
    return out


class LSTMAutoencoderTransformer(
    ClassNamePrefixFeaturesOutMixin, TransformerMixin, SequenceEstimatorBase
):
    """LSTM encoder-decoder autoencoder; ``transform`` returns the code.

    An LSTM encoder reads each sequence and summarises it in a fixed-length
    vector, the code; one or two LSTM decoders are trained to rebuild the
    sequence and/or predict its continuation from the code alone (Srivastava
    et al., 2015). Trained without labels, the encoder then turns sequences of
    any length into features for ordinary estimators.

    Parameters
    ----------
    units : int or tuple of int, default=64
        LSTM units of the encoder; a tuple stacks layers, the last one being
        the code size. The reconstruction and future decoders mirror them.
    mode : {"reconstruct", "predict", "composite"}, default="reconstruct"
        ``"reconstruct"``: a decoder rebuilds the input. ``"predict"``: the
        encoder reads all but the last ``n_future`` steps of each sequence and
        a decoder predicts those steps. ``"composite"``: one encoder, both
        decoders (the reconstruction decoder rebuilds the part the encoder
        read), losses summed.
    n_future : int, default=1
        Steps to predict in the ``"predict"`` and ``"composite"`` modes. Every
        training sequence must be longer than ``n_future``.
    conditional : bool, default=False
        False: the decoder's input at every step is the code (unconditioned).
        True: the decoder is fed its previous output, the true one while
        training (teacher forcing) and its own when decoding.
    reverse : bool, default=False
        Reconstruct the sequence in reverse order, so the first step the
        decoder emits is the last one the encoder read.
    dropout : float, default=0.0
        Dropout on the inputs of every LSTM layer while training.
    bidirectional : bool, default=False
        Read sequences in both directions; the code is then twice the last
        entry of ``units`` long.
    standardize : bool, default=True
        Scale each feature to zero mean and unit variance (over the training
        time steps) inside the estimator; outputs are in the original units.
    epochs : int, default=100
        Training epochs (passes over the data).
    batch_size : int, default=32
        Sequences per gradient step.
    learning_rate : float, default=1e-3
        Adam's learning rate.
    validation_fraction : float or None, default=None
        Fraction of the training sequences held out to monitor ``val_loss``.
    n_iter_no_change : int or None, default=None
        Stop when the monitored loss (``val_loss`` when
        ``validation_fraction`` is set, else the training loss) has not
        improved by ``tol`` for this many epochs. With a validation set, the
        best weights are restored.
    tol : float, default=1e-4
        Minimum improvement for early stopping.
    random_state : int, RandomState instance or None, default=None
        Seeds weight initialisation, dropout, shuffling and the validation
        split. An int gives identical results in every process; no global
        random state is touched.
    verbose : int, default=0
        1 prints one line per epoch with the training (and validation) loss.
    warm_start : bool, default=False
        When True, ``fit`` continues training the current model.

    Attributes
    ----------
    n_features_in_ : int
        Number of features per time step (not the number of time steps).
    feature_names_in_ : ndarray of shape (``n_features_in_``,)
        Feature names, when X was a MultiIndex DataFrame with string columns.
    n_timesteps_ : int
        Length of the longest sequence the reconstruction decoder learned;
        ``inverse_transform`` decodes this many steps.
    code_size_ : int
        Length of the code returned by ``transform``.
    model_ : keras.Model
        The training model (encoder and decoders).
    encoder_ : keras.Model
        Standalone encoder sharing the trained weights; its inputs are
        ``sequences`` ``(n, T, n_features_in_)`` (standardized) and a boolean
        ``mask`` ``(n, T)``.
    history_ : dict of list of float
        Per-epoch training metrics (``loss``, ``val_loss``, ...).
    n_iter_ : int
        Number of epochs trained.

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
    >>> ae = LSTMAutoencoderTransformer(units=4, epochs=2, random_state=0)
    >>> ae.fit_transform(X).shape
    (20, 4)
    >>> ae.reconstruct(X).shape
    (20, 8)
    """

    _parameter_constraints = {
        **SequenceEstimatorBase._parameter_constraints,
        "mode": [StrOptions({"reconstruct", "predict", "composite"})],
        "n_future": [Interval(numbers.Integral, 1, None, closed="left")],
        "conditional": ["boolean"],
        "reverse": ["boolean"],
        "standardize": ["boolean"],
    }

    def __init__(
        self,
        units=64,
        *,
        mode="reconstruct",
        n_future=1,
        conditional=False,
        reverse=False,
        dropout=0.0,
        bidirectional=False,
        standardize=True,
        epochs=100,
        batch_size=32,
        learning_rate=1e-3,
        validation_fraction=None,
        n_iter_no_change=None,
        tol=1e-4,
        random_state=None,
        verbose=0,
        warm_start=False,
    ):
        self.units = units
        self.mode = mode
        self.n_future = n_future
        self.conditional = conditional
        self.reverse = reverse
        self.dropout = dropout
        self.bidirectional = bidirectional
        self.standardize = standardize
        self.epochs = epochs
        self.batch_size = batch_size
        self.learning_rate = learning_rate
        self.validation_fraction = validation_fraction
        self.n_iter_no_change = n_iter_no_change
        self.tol = tol
        self.random_state = random_state
        self.verbose = verbose
        self.warm_start = warm_start

    # -- scikit-learn API -----------------------------------------------------
    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None):
        """Train the autoencoder on sequences ``X``.

        Parameters
        ----------
        X : array-like, list of arrays or DataFrame
            ``(n_samples, n_timesteps)``, ``(n_samples, n_timesteps,
            n_features)``, a list of ``(T_i,)`` or ``(T_i, n_features)`` arrays,
            or a (instance, time) MultiIndex DataFrame.
        y : None
            Ignored.

        Returns
        -------
        self : object
        """
        return self._fit(X, epochs=self.epochs, incremental=self.warm_start)

    def partial_fit(self, X, y=None):
        """Train one more epoch on ``X``, starting a model if there is none.

        Parameters
        ----------
        X : sequences
            As in :meth:`fit`.
        y : None
            Ignored.

        Returns
        -------
        self : object
        """
        self._validate_params()
        return self._fit(X, epochs=1, incremental=True)

    def _fit(self, X, *, epochs, incremental):
        with self._restore_on_error():
            self._units()  # fail on bad units before touching any state
            warm = incremental and self._is_warm()
            batch = validate_sequences(self, X, reset=not warm)
            self._check_lengths(batch, "X")
            if not warm or not hasattr(self, "feature_mean_"):
                self._fit_scaler(batch, self.standardize)
                self._fit_2d = batch.layout in ("array2d", "wide") or (
                    batch.layout == "ragged" and batch.n_features == 1
                )
            return self._fit_sequences(
                batch, None, epochs=epochs, incremental=incremental
            )

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
            2-D when the model was fitted on 2-D input.
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
        return decoded[..., 0] if self._fit_2d else decoded

    def reconstruct(self, X):
        """Encode and decode ``X``; the result has X's layout and lengths.

        In ``"composite"`` mode the whole of each sequence is encoded and
        reconstructed.

        Parameters
        ----------
        X : sequences

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

        Available in the ``"predict"`` and ``"composite"`` modes.

        Parameters
        ----------
        X : sequences
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
        future = self._decode("future", self._encode(batch), int(n_steps))
        future = self._unscale(future)
        return future[..., 0] if self._fit_2d else future

    def score_samples(self, X):
        """Negative mean squared error of each sequence (higher = typical).

        The error covers everything the model predicts: the reconstruction
        and, in ``"predict"``/``"composite"`` mode, the last ``n_future`` steps
        predicted from the rest. It is measured in X's own units.

        Parameters
        ----------
        X : sequences

        Returns
        -------
        scores : ndarray of shape (n_samples,)
        """
        self._check_fitted()
        batch = validate_sequences(self, X, reset=False)
        self._check_lengths(batch, "X")
        squared, counts = 0.0, 0
        enc_batch, future = self._split_future(batch)
        codes = self._encode(enc_batch)
        if "reconstruction" in self._config["decoders"]:
            recon = self._decode_reconstruction(codes, enc_batch.lengths)
            err = (recon - enc_batch.values) ** 2
            squared = squared + (err * enc_batch.mask[..., None]).sum(axis=(1, 2))
            counts = counts + enc_batch.lengths * self.n_features_in_
        if future is not None:
            pred = self._unscale(self._decode("future", codes, self.n_future))
            squared = squared + ((pred - future) ** 2).sum(axis=(1, 2))
            counts = counts + self.n_future * self.n_features_in_
        return -(squared / counts)

    def score(self, X, y=None):
        """Mean of :meth:`score_samples`: higher is better, for model selection.

        Parameters
        ----------
        X : sequences
        y : None
            Ignored.

        Returns
        -------
        score : float
        """
        return float(np.mean(self.score_samples(X)))

    @property
    def _n_features_out(self):
        return self.code_size_

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.transformer_tags.preserves_dtype = ["float32"]
        return tags

    # -- data preparation -----------------------------------------------------
    def _check_lengths(self, batch, name):
        if self.mode == "reconstruct":
            return
        short = np.flatnonzero(batch.lengths <= self.n_future)
        if len(short):
            i = int(short[0])
            raise ValueError(
                f"{name}: sequence {i} has {batch.lengths[i]} time step(s), but "
                f"mode={self.mode!r} with n_future={self.n_future} needs sequences "
                f"longer than {self.n_future} (the encoder reads all but the last "
                f"{self.n_future} steps)."
            )

    def _split_future(self, batch):
        """The encoder's part of each sequence and, if predicting, the rest."""
        if self.mode == "reconstruct":
            return batch, None
        enc_lengths = batch.lengths - self.n_future
        steps = enc_lengths[:, None] + np.arange(self.n_future)[None, :]
        future = batch.values[np.arange(batch.n_samples)[:, None], steps]
        values = batch.values[:, : enc_lengths.max()].copy()
        values[np.arange(values.shape[1])[None, :] >= enc_lengths[:, None]] = 0
        enc = SequenceBatch(values=values, lengths=enc_lengths, layout=batch.layout)
        return enc, future

    def _training_arrays(self, batch, y_info):
        enc, future = self._split_future(batch)
        values = self._scaled(enc)
        inputs = {"sequences": values, "mask": enc.mask}
        targets = {}
        if "reconstruction" in self._config["decoders"]:
            target = _reverse_steps(values, enc.lengths) if self.reverse else values
            targets["reconstruction"] = target
        if future is not None:
            future_scaled = (future - self.feature_mean_) / self.feature_scale_
            targets["future"] = future_scaled.astype(np.float32)
        if self.conditional:
            for name, target in targets.items():
                inputs[f"{name}_target"] = target
        return inputs, targets

    # -- the Keras model ------------------------------------------------------
    def _model_config(self, batch, y_info):
        units = self._units()
        enc_lengths = batch.lengths - (
            0 if self.mode == "reconstruct" else self.n_future
        )
        decoders = {
            "reconstruct": ("reconstruction",),
            "predict": ("future",),
            "composite": ("reconstruction", "future"),
        }[self.mode]
        return dict(
            n_features=int(batch.n_features),
            units=units,
            bidirectional=bool(self.bidirectional),
            dropout=float(self.dropout),
            conditional=bool(self.conditional),
            decoders=decoders,
            n_future=int(self.n_future),
            learning_rate=float(self.learning_rate),
            n_timesteps=int(enc_lengths.max()),
        )

    def _build_models(self, config):
        keras = import_keras()
        layers = import_layers()
        seed = config["seed"]
        n_features = config["n_features"]
        sequences = keras.Input((None, n_features), name="sequences")
        mask = keras.Input((None,), dtype="bool", name="mask")
        encoder = layers.SequenceEncoder(
            config["units"],
            bidirectional=config["bidirectional"],
            dropout=config["dropout"],
            seed=seed,
            name="encoder",
        )
        code = encoder(sequences, mask=mask)
        decoder_units = (encoder.code_size, *reversed(config["units"][:-1]))
        inputs, outputs = [sequences, mask], {}
        for i, name in enumerate(config["decoders"]):
            decoder = layers.SequenceDecoder(
                decoder_units,
                n_features,
                conditional=config["conditional"],
                dropout=config["dropout"],
                seed=seed + 1000 * (i + 1),
                name=f"{name}_decoder",
            )
            n_steps = config["n_future"] if name == "future" else None
            targets = None
            if config["conditional"]:
                targets = keras.Input((n_steps, n_features), name=f"{name}_target")
                inputs.append(targets)
            outputs[name] = decoder(
                code,
                targets=targets,
                target_mask=mask if name == "reconstruction" else None,
                n_steps=n_steps,
            )
        model = keras.Model(inputs, outputs, name="lstm_autoencoder")
        self.model_ = self._compile(
            model, {name: "mse" for name in outputs}, config["learning_rate"]
        )
        self.encoder_ = keras.Model([sequences, mask], code, name="encoder")
        self.code_size_ = int(encoder.code_size)
        self.n_timesteps_ = config["n_timesteps"]

    def _require_decoder(self, name, method):
        if name not in self._config["decoders"]:
            raise ValueError(
                f"{method} needs the {name} decoder, which mode={self.mode!r} "
                "does not train; use mode='composite' to have both."
            )

    def _encode(self, batch):
        if not batch.mask.all():
            return self._predict_arrays(
                self.encoder_, {"sequences": self._scaled(batch), "mask": batch.mask}
            )

        # Without padding the mask changes nothing, and the LSTM runs about
        # 15% faster without it (bench/overhead.py).
        def build():
            keras = import_keras()
            sequences = keras.Input((None, self.n_features_in_), name="sequences")
            encoder = self.model_.get_layer("encoder")
            return keras.Model(sequences, encoder(sequences), name="encoder_unmasked")

        model = self._inference_model("encoder_unmasked", build)
        return self._predict_arrays(model, self._scaled(batch))

    def _decode(self, name, codes, n_steps):
        """Decode ``n_steps`` from codes, in standardized units."""

        def build():
            keras = import_keras()
            layers = import_layers()
            code = keras.Input((self.code_size_,), name="code")
            decoder = self.model_.get_layer(f"{name}_decoder")
            return keras.Model(code, layers.GreedyDecoding(decoder, n_steps)(code))

        model = self._inference_model((name, n_steps), build)
        return self._predict_arrays(model, codes.astype(np.float32))

    def _decode_reconstruction(self, codes, lengths):
        decoded = self._decode("reconstruction", codes, int(lengths.max()))
        if self.reverse:
            decoded = _reverse_steps(decoded, lengths)
        decoded = self._unscale(decoded)
        decoded[np.arange(decoded.shape[1])[None, :] >= lengths[:, None]] = 0.0
        return decoded
