"""What every supervised estimator shares: X and y in, an encoder to start from.

:class:`SupervisedSequenceBase` sits between the life cycle
(:mod:`sklearn_seqae._base`) and the seq2seq and per-step estimators: it
reads numeric or token input, fits the input scaling, and starts the
encoder from a fitted :class:`~sklearn_seqae.LSTMAutoencoderTransformer`
when ``encoder_init`` is given (Srivastava et al.'s fine-tuning).
"""

import numpy as np
from sklearn.utils._param_validation import HasMethods

from ._base import SequenceEstimatorBase
from ._sequences import validate_sequences
from ._tokens import token_batch
from ._warnings import warn

__all__ = ["SupervisedSequenceBase"]


def _fitted_encoder_source(encoder_init):
    """The fitted autoencoder behind ``encoder_init`` (FrozenEstimator unwrapped)."""
    source = getattr(encoder_init, "estimator", encoder_init)
    if getattr(source, "model_", None) is None or not hasattr(source, "code_size_"):
        raise ValueError(
            "encoder_init must be a fitted LSTMAutoencoderTransformer (or a "
            f"FrozenEstimator around one); got {type(encoder_init).__name__}"
            f"{'' if source is encoder_init else ' around an unfitted estimator'}. "
            "A search clones the values of its grid, which unfits them: list a "
            "fitted autoencoder there as FrozenEstimator(autoencoder)."
        )
    return source


class SupervisedSequenceBase(SequenceEstimatorBase):
    """Input handling and encoder transfer for estimators trained on ``(X, y)``.

    Subclasses provide ``_fit_targets`` and the network hooks of
    :class:`~sklearn_seqae._base.SequenceEstimatorBase`; those with an
    ``input_type`` parameter override :meth:`_token_input`.
    """

    _parameter_constraints = {
        **SequenceEstimatorBase._parameter_constraints,
        "standardize": ["boolean"],
        "encoder_init": [None, HasMethods(["transform"])],
        "freeze_encoder": ["boolean"],
    }

    _requires_y = True

    def _token_input(self):
        """``(reads token ids, embedding_dim)``: numbers, unless overridden."""
        return False, None

    def _unknown_tokens(self):
        """``handle_unknown``, for the estimators that can read tokens."""
        return "error"

    @property
    def _tokens(self):
        return self._token_input()[0]

    #: Whether ``embedding_dim`` also sizes an embedding of the outputs (the
    #: labels a classifier's decoder is fed back), so that numeric X uses it.
    _embeds_outputs = False

    # -- hooks of the life cycle ----------------------------------------------
    def _check_params(self):
        self._encoder_source()
        tokens, embedding_dim = self._token_input()
        if tokens:
            return
        ignored = "is ignored: input_type='numeric' reads numbers, not tokens"
        if self._unknown_tokens() != "error":
            warn(
                f"handle_unknown={self._unknown_tokens()!r} {ignored}. Set "
                "input_type='tokens' to read X as tokens.",
                UserWarning,
            )
        if embedding_dim is not None and not self._embeds_outputs:
            warn(
                f"embedding_dim={embedding_dim} {ignored}, and no labels are "
                "fed back. Set input_type='tokens' to embed tokens.",
                UserWarning,
            )

    def _fit_input(self, batch, sample_weight=None):
        source = self._encoder_source()
        if source is None:
            self._fit_scaler(
                batch,
                "global" if self.standardize and not self._tokens else None,
                sample_weight,
            )
            return
        self._check_transfer(source, batch)
        # The encoder learned on the autoencoder's scaling.
        self._scaling_mode = source._scaling_mode
        self.feature_mean_ = source.feature_mean_.copy()
        self.feature_scale_ = source.feature_scale_.copy()

    def _read_X(self, X, *, reset):
        if not self._tokens:
            return validate_sequences(self, X, reset=reset)
        return token_batch(self, X, reset=reset)

    def _encoder_inputs(self, batch):
        if self._tokens:
            values = batch.values[..., 0].astype(np.int32)
        else:
            values = self._scaled(batch)
        return {"sequences": values, "mask": batch.mask}

    def _encoder_config(self, batch):
        """The network config's encoder part, shared by every kind."""
        embedding_dim = self._token_input()[1]
        return dict(
            n_features=int(batch.n_features),
            n_tokens_in=int(self.n_tokens_in_) if self._tokens else None,
            embedding_dim=None if embedding_dim is None else int(embedding_dim),
            units=self._units(),
            bidirectional=bool(self.bidirectional),
            dropout=float(self.dropout),
            freeze_encoder=bool(self.freeze_encoder),
        )

    # -- encoder transfer -----------------------------------------------------
    def _encoder_source(self):
        if self.encoder_init is None:
            if self.freeze_encoder:
                raise ValueError(
                    "freeze_encoder=True needs encoder_init: a fitted "
                    "LSTMAutoencoderTransformer whose encoder to keep fixed."
                )
            return None
        return _fitted_encoder_source(self.encoder_init)

    def _check_transfer(self, source, batch):
        name = type(self).__name__
        if self._tokens:
            raise ValueError(
                f"encoder_init cannot start a {name} with input_type='tokens': the "
                "autoencoder's encoder reads numeric features."
            )
        if source.n_features_in_ != batch.n_features:
            raise ValueError(
                f"encoder_init was fitted on {source.n_features_in_} feature(s) per "
                f"time step, but X has {batch.n_features}."
            )
        theirs = source._config
        if theirs.get("patch_size", 1) > 1:
            raise ValueError(
                f"encoder_init reads patches of {theirs['patch_size']} steps (its "
                f"patch_size_), but a {name} reads X step by step; fit the "
                "autoencoder with patch_size=1 to start from its encoder."
            )
        ours = (self._units(), bool(self.bidirectional))
        if (theirs["units"], theirs["bidirectional"]) != ours:
            raise ValueError(
                f"encoder_init has units={theirs['units']} and bidirectional="
                f"{theirs['bidirectional']}, but this {name} has units={ours[0]} and "
                f"bidirectional={ours[1]}; set them equal to start from its encoder."
            )

    def __sklearn_clone__(self):
        clone = super().__sklearn_clone__()
        # A fitted encoder_init stays the fitted one, not an unfitted copy:
        # only its weights are read.
        if self.encoder_init is not None:
            clone.encoder_init = self.encoder_init
        return clone

    def _initialize(self, config, rng):
        super()._initialize(config, rng)
        source = self._encoder_source()
        if source is not None:
            encoder = self.model_.get_layer("encoder")
            encoder.set_weights(source.model_.get_layer("encoder").get_weights())
        return self
