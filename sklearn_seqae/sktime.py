"""sktime estimators built on this package's models.

sktime users can put the autoencoder's codes, and the sequence classifier and
regressor, into sktime pipelines, benchmarks and estimator checks. Each class
here follows sktime's extension templates (its base class, the private
``_fit``/``_transform``/``_predict`` methods, honest tags, ``get_test_params``)
and delegates the work to an estimator of this package, cloned at fit: the
models and their parameters are the ones the rest of the docs describe. A
wrapper's own ``save`` is sktime's, which pickles (loading it runs pickled
code, and :func:`sklearn_seqae.load` cannot read it); to keep the model in
the package's safe file format, save the fitted component
(``wrapper.classifier_.save(path)``, ``regressor_``, ``autoencoder_``):
:func:`sklearn_seqae.load` gives it back as the package's estimator (a
wrapper fits a clone of its component, so it cannot take a fitted one). Set
their parameters through the component, as sktime does for
wrapped scikit-learn estimators::

    LSTMAutoencoderCodes(LSTMAutoencoderTransformer(units=64))
    LSTMSequenceClassifier(Seq2SeqClassifier()).set_params(classifier__units=64)

sktime is imported with this module only: ``pip install
"sklearn-seqae[sktime]"``. The inner layout is sktime's ``df-list`` (one
DataFrame per instance, rows are time steps, columns are variables;
``pd-multiindex`` for the codes, whose rows keep the instance labels), so
unequal lengths and several variables pass through as they are.

The per-step estimators (:class:`~sklearn_seqae.TimestepClassifier`,
:class:`~sklearn_seqae.TimestepRegressor`) have no sktime counterpart: sktime
has no scitype for learning one label per time step from a collection of
labelled sequences.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.base import clone
from sktime.classification.base import BaseClassifier
from sktime.regression.base import BaseRegressor
from sktime.transformations.base import BaseTransformer

from ._autoencoder import LSTMAutoencoderTransformer
from ._seq2seq_classifier import Seq2SeqClassifier
from ._seq2seq_regressor import Seq2SeqRegressor

__all__ = ["LSTMAutoencoderCodes", "LSTMSequenceClassifier", "LSTMSequenceRegressor"]

_PANEL_TAGS = {
    "authors": ["sklearn_seqae developers"],
    "maintainers": ["sklearn_seqae developers"],
    "python_dependencies": ["tensorflow", "keras"],
    "X_inner_mtype": "df-list",
    "capability:multivariate": True,
    "capability:unequal_length": True,
    "capability:missing_values": False,
    "capability:random_state": True,
    "property:randomness": "derandomized",
}


def _sequences(X):
    """sktime's ``df-list`` as this package's list of ``(T_i, n_variables)``."""
    return [frame.to_numpy(dtype=np.float64) for frame in X]


def _instances(X):
    """sktime's ``pd-multiindex`` as ``(list of (T_i, n_variables), instances)``."""
    groups = X.groupby(level=0, sort=False)
    sequences = [frame.to_numpy(dtype=np.float64) for _, frame in groups]
    return sequences, X.index.get_level_values(0).unique()


def _component(estimator, default, random_state):
    """A fresh clone of ``estimator`` (or of ``default``), seeded if asked."""
    inner = clone(default if estimator is None else estimator)
    if random_state is not None:
        inner.set_params(random_state=random_state)
    return inner


def _tiny(estimator):
    """Test settings: a model small enough for sktime's many checks."""
    return estimator.set_params(units=2, epochs=1, batch_size=8)


class LSTMAutoencoderCodes(BaseTransformer):
    """The autoencoder's codes as an sktime transformer (Series to Primitives).

    Fits an :class:`~sklearn_seqae.LSTMAutoencoderTransformer` on a panel of
    series and gives one row of ``code_size_`` features per instance.

    Parameters
    ----------
    autoencoder : LSTMAutoencoderTransformer, default=None
        The model to fit, cloned at fit. None means its defaults.
    random_state : int or None, default=None
        Seeds the clone (overriding the autoencoder's own ``random_state``)
        when not None.

    Attributes
    ----------
    autoencoder_ : LSTMAutoencoderTransformer
        The fitted clone.

    Examples
    --------
    >>> from sktime.datasets import load_unit_test
    >>> from sklearn_seqae import LSTMAutoencoderTransformer
    >>> from sklearn_seqae.sktime import LSTMAutoencoderCodes
    >>> X, _ = load_unit_test(return_X_y=True, split="train")
    >>> codes = LSTMAutoencoderCodes(
    ...     LSTMAutoencoderTransformer(units=4, epochs=1), random_state=0
    ... ).fit_transform(X)
    >>> codes.shape
    (20, 10)
    """

    _tags = {
        **_PANEL_TAGS,
        # A long frame, not df-list: it carries the instance labels that index
        # the codes' rows.
        "X_inner_mtype": "pd-multiindex",
        "scitype:transform-input": "Series",
        "scitype:transform-output": "Primitives",
        "scitype:transform-labels": "None",
        "scitype:instancewise": False,
        "y_inner_mtype": "None",
        "requires_y": False,
        "fit_is_empty": False,
    }

    def __init__(self, autoencoder=None, random_state=None):
        self.autoencoder = autoencoder
        self.random_state = random_state
        super().__init__()

    def _fit(self, X, y=None):
        self.autoencoder_ = _component(
            self.autoencoder, LSTMAutoencoderTransformer(), self.random_state
        )
        self.autoencoder_.fit(_instances(X)[0])
        return self

    def _transform(self, X, y=None):
        sequences, instances = _instances(X)
        return pd.DataFrame(
            self.autoencoder_.transform(sequences),
            index=instances,
            columns=self.autoencoder_.get_feature_names_out(),
        )

    @classmethod
    def get_test_params(cls, parameter_set="default"):
        """Tiny settings for sktime's estimator checks.

        Parameters
        ----------
        parameter_set : str, default="default"
            Ignored: every set is the default one.

        Returns
        -------
        params : list of dict
            Two parameter sets; each builds a model small enough for sktime's
            many fits.
        """
        # Reconstruction only: the corruption and the contrastive term would
        # only add time to sktime's many fits.
        plain = dict(mask_fraction=0.0, noise=0.0, contrastive_weight=0.0)
        return [
            {
                "autoencoder": _tiny(LSTMAutoencoderTransformer(**plain)),
                "random_state": 0,
            },
            {
                "autoencoder": _tiny(LSTMAutoencoderTransformer(code="last", **plain)),
                "random_state": 1,
            },
        ]


class LSTMSequenceClassifier(BaseClassifier):
    """:class:`~sklearn_seqae.Seq2SeqClassifier` as an sktime classifier.

    Parameters
    ----------
    classifier : Seq2SeqClassifier, default=None
        The model to fit, cloned at fit. None means its defaults.
    random_state : int or None, default=None
        Seeds the clone (overriding the classifier's own ``random_state``)
        when not None.

    Attributes
    ----------
    classifier_ : Seq2SeqClassifier
        The fitted clone.
    classes_ : ndarray
        The class labels, set by sktime.

    Examples
    --------
    >>> from sktime.datasets import load_unit_test
    >>> from sklearn_seqae import Seq2SeqClassifier
    >>> from sklearn_seqae.sktime import LSTMSequenceClassifier
    >>> X, y = load_unit_test(return_X_y=True, split="train")
    >>> clf = LSTMSequenceClassifier(
    ...     Seq2SeqClassifier(units=4, epochs=1), random_state=0
    ... ).fit(X, y)
    >>> clf.predict(X).shape
    (20,)
    """

    _tags = {**_PANEL_TAGS, "capability:predict_proba": True}

    def __init__(self, classifier=None, random_state=None):
        self.classifier = classifier
        self.random_state = random_state
        super().__init__()

    def _fit(self, X, y):
        self.classifier_ = _component(
            self.classifier, Seq2SeqClassifier(), self.random_state
        )
        self.classifier_.fit(_sequences(X), y)
        return self

    def _predict(self, X):
        return self.classifier_.predict(_sequences(X))

    def _predict_proba(self, X):
        proba = self.classifier_.predict_proba(_sequences(X))
        # sktime orders columns by its own classes_; they are the same sorted
        # labels, but a class missing from y would shift them.
        order = np.searchsorted(self.classifier_.classes_, self.classes_)
        return proba[:, order]

    @classmethod
    def get_test_params(cls, parameter_set="default"):
        """Tiny settings for sktime's estimator checks.

        Parameters
        ----------
        parameter_set : str, default="default"
            Ignored: every set is the default one.

        Returns
        -------
        params : list of dict
            Two parameter sets; each builds a model small enough for sktime's
            many fits.
        """
        return [
            {"classifier": _tiny(Seq2SeqClassifier()), "random_state": 0},
            {"classifier": _tiny(Seq2SeqClassifier(dropout=0.1)), "random_state": 1},
        ]


class LSTMSequenceRegressor(BaseRegressor):
    """:class:`~sklearn_seqae.Seq2SeqRegressor` as an sktime regressor.

    One value per series, as sktime's time series regression expects.

    Parameters
    ----------
    regressor : Seq2SeqRegressor, default=None
        The model to fit, cloned at fit. None means its defaults.
    random_state : int or None, default=None
        Seeds the clone (overriding the regressor's own ``random_state``) when
        not None.

    Attributes
    ----------
    regressor_ : Seq2SeqRegressor
        The fitted clone.

    Examples
    --------
    >>> from sktime.datasets import load_unit_test
    >>> from sklearn_seqae import Seq2SeqRegressor
    >>> from sklearn_seqae.sktime import LSTMSequenceRegressor
    >>> X, y = load_unit_test(return_X_y=True, split="train")
    >>> reg = LSTMSequenceRegressor(
    ...     Seq2SeqRegressor(units=4, epochs=1), random_state=0
    ... ).fit(X, y.astype(float))
    >>> reg.predict(X).shape
    (20,)
    """

    _tags = {**_PANEL_TAGS, "y_inner_mtype": "numpy1D"}

    def __init__(self, regressor=None, random_state=None):
        self.regressor = regressor
        self.random_state = random_state
        super().__init__()

    def _fit(self, X, y):
        self.regressor_ = _component(
            self.regressor, Seq2SeqRegressor(), self.random_state
        )
        self.regressor_.fit(_sequences(X), np.asarray(y, dtype=np.float64))
        return self

    def _predict(self, X):
        return np.asarray(self.regressor_.predict(_sequences(X))).reshape(-1)

    @classmethod
    def get_test_params(cls, parameter_set="default"):
        """Tiny settings for sktime's estimator checks.

        Parameters
        ----------
        parameter_set : str, default="default"
            Ignored: every set is the default one.

        Returns
        -------
        params : list of dict
            Two parameter sets; each builds a model small enough for sktime's
            many fits.
        """
        return [
            {"regressor": _tiny(Seq2SeqRegressor()), "random_state": 0},
            {"regressor": _tiny(Seq2SeqRegressor(dropout=0.1)), "random_state": 1},
        ]
