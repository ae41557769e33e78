"""Encoder-decoder plumbing shared by Seq2SeqRegressor and Seq2SeqClassifier.

:class:`_Seq2SeqBase` reads the input (numbers or token ids), builds the
network description and decodes the whole batch in one compiled function;
the regressor (``_seq2seq_regressor.py``) and the classifier
(``_seq2seq_classifier.py``) add their own targets.
"""

import numbers

from sklearn.utils._param_validation import StrOptions

from ._keras import import_networks
from ._supervised import SupervisedSequenceBase


class _Seq2SeqBase(SupervisedSequenceBase):
    """Encoder-decoder plumbing shared by the regressor and the classifier.

    Subclasses provide ``_fit_targets`` returning a dict with
    ``values`` (the training targets, float ``(n, T, F)`` or int ``(n, T)``),
    ``mask`` (``(n, T)`` or None) and whatever they need to decode, plus
    ``_feedback`` (what the decoder feeds back: ``"values"`` or ``"tokens"``).
    """

    _parameter_constraints = {
        **SupervisedSequenceBase._parameter_constraints,
        "conditional": ["boolean"],
        "attention": [StrOptions({"dot", "additive"}), None],
    }

    def _training_arrays(self, batch, targets):
        inputs = self._encoder_inputs(batch)
        if self.conditional:
            inputs["targets"] = targets["values"]
        if targets["mask"] is not None:
            inputs["target_mask"] = targets["mask"]
        return inputs, {"outputs": targets["values"]}

    # -- the Keras model ------------------------------------------------------
    def _network_spec(self, batch, targets, *, warm):
        return dict(
            self._encoder_config(batch),
            kind="seq2seq",
            conditional=bool(self.conditional),
            attention=self.attention,
            n_outputs=int(targets["n_outputs"]),
            n_steps=int(targets["values"].shape[1]),
            target_shape=tuple(targets["values"].shape[2:]),
            masked=targets["mask"] is not None,
            feedback=self._feedback,
        )

    # -- decoding -------------------------------------------------------------
    def _decode(self, X, n_steps, output="raw", beam_width=1):
        """Decode the whole batch in one compiled function.

        ``output``: ``"raw"`` (values or logits), ``"ids"`` (greedy, or the
        best beam with ``beam_width > 1``), ``"proba"`` or ``"attention"``.
        Returns ``(batch, decoded)``.
        """
        self._check_fitted()
        batch = self._read_X(X, reset=False)
        n_steps = self._default_steps() if n_steps is None else n_steps
        if not isinstance(n_steps, numbers.Integral) or n_steps < 1:
            raise ValueError(f"n_steps must be a positive int, got {n_steps!r}.")
        masked = not batch.mask.all()
        beam_width = int(beam_width) if output == "ids" else 1
        end_id = self._end_id()

        def build():
            networks = import_networks()
            return networks.decoding_model(
                self.model_,
                self._config,
                int(n_steps),
                output=output,
                masked=masked,
                beam_width=beam_width,
                end_id=end_id,
            )

        key = ("decode", int(n_steps), output, masked, beam_width, end_id)
        inputs = self._encoder_inputs(batch)
        decoded = self._predict_with(
            key, build, inputs if masked else inputs["sequences"]
        )
        return batch, decoded

    def _default_steps(self):
        return self._config["n_steps"]

    def _end_id(self):
        """The id of the end-of-sequence marker, if the targets have one."""
        return None

    def attention_weights(self, X, n_steps=None):
        """How much each decoded step attends to each input step.

        Available with ``attention`` set. The weights of a decoded step sum
        to 1 over the real input steps; padding gets none.

        Parameters
        ----------
        X : sequences
            Sequences in any layout :meth:`fit` accepts; lengths may differ
            from fit.
        n_steps : int, default=None
            As in ``predict``.

        Returns
        -------
        weights : ndarray of shape (n_samples, n_output_steps, n_input_steps), \
                or list
            A list of ``(n_output_steps, T_i)`` arrays when X is ragged.
        """
        self._check_fitted()
        if self._config.get("attention") is None:
            raise ValueError(
                "attention_weights needs a model fitted with attention='dot' or "
                "'additive'; this one has attention=None."
            )
        batch, weights = self._decode(X, n_steps, "attention")
        if batch.lengths.min() == batch.lengths.max():
            return weights
        return [weights[i, :, :n] for i, n in enumerate(batch.lengths)]

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.multi_output = True
        return tags
