"""The autoencoder's network side: training arrays, config, encode, decode.

:class:`~sklearn_seqae.LSTMAutoencoderTransformer` keeps the scikit-learn
API; this mixin turns its parameters and a :class:`SequenceBatch` into the
network config and arrays, and runs the encoder and decoders on new data.
"""

import numpy as np

from ._keras import import_networks
from ._patches import auto_patch_size, from_patches, to_patches
from ._sequences import SequenceBatch

__all__ = ["AutoencoderModelMixin"]

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


class AutoencoderModelMixin:
    """Network-side methods of the autoencoder (see the module docstring)."""

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

    def _training_arrays(self, batch, y_info):
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
    def _model_config(self, batch, y_info):
        enc_lengths = batch.lengths - (
            0 if self.mode == "reconstruct" else self.n_future
        )
        decoders = {
            "reconstruct": ("reconstruction",),
            "predict": ("future",),
            "composite": ("reconstruction", "future"),
        }[self.mode]
        n_timesteps = int(enc_lengths.max())
        if self.patch_size != "auto":
            patch_size = int(self.patch_size)
        elif self.__dict__.pop("_keep_patch_size", False):
            # Training goes on: the fitted patches stay, whatever the lengths.
            # (The flag is the fit's, not the estimator's: it is not saved.)
            patch_size = self.patch_size_
        else:
            patch_size = auto_patch_size(n_timesteps)
        return dict(
            kind="autoencoder",
            n_features=int(batch.n_features),
            patch_size=patch_size,
            patch_stats=patch_size > 1,
            units=self._units(),
            bidirectional=bool(self.bidirectional),
            dropout=float(self.dropout),
            readout=self.code,
            conditional=bool(self.conditional),
            decoders=decoders,
            n_future=int(self.n_future),
            n_timesteps=n_timesteps,
            **self._objectives(batch.n_samples),
            crop=float(self.crop_fraction),
        )

    def _objectives(self, n_samples):
        """``mask_fraction``, ``noise`` and ``contrastive_weight``, "auto" resolved."""
        few = n_samples < MIN_SEQUENCES_FOR_OBJECTIVES
        return {
            name: (0.0 if few else default)
            if getattr(self, name) == "auto"
            else float(getattr(self, name))
            for name, default in AUTO_OBJECTIVES.items()
        }

    def _after_build(self, config):
        self.code_size_ = int(self.model_.get_layer("encoder").code_size)
        if self._scaling_mode == "per_sequence":
            self.code_size_ += 2 * config["n_features"]
        self.n_timesteps_ = config["n_timesteps"]
        self.patch_size_ = config["patch_size"]

    def _require_decoder(self, name, method):
        if name not in self._config["decoders"]:
            raise ValueError(
                f"{method} needs the {name} decoder, which mode={self.mode!r} "
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

            model = self._inference_model("encoder_unmasked", build)
            codes = self._predict_arrays(model, values)
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

        model = self._inference_model((name, n_steps), build)
        return self._predict_arrays(model, codes.astype(np.float32))

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
