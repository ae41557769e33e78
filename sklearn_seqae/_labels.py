"""Label sequences: the layouts a classifier's ``y`` may take."""

import numbers

import numpy as np

from ._warnings import warn

__all__ = [
    "check_discrete_labels",
    "check_known_labels",
    "check_two_classes",
    "class_weights",
    "label_sequences",
    "warn_if_one_hot",
]


def _check_one_label_type(sequences):
    """Refuse missing labels, and labels of mixed types, which NumPy would
    coerce to strings."""
    import pandas as pd

    flat = np.concatenate([np.asarray(s, dtype=object).ravel() for s in sequences])
    missing = pd.isna(flat)
    if missing.any():
        raise ValueError(
            f"y contains {int(missing.sum())} missing label(s) (None, NaN or "
            f"pd.NA, the first {flat[int(np.argmax(missing))]!r}); every sequence "
            "and every step needs a class label."
        )
    if pd.api.types.infer_dtype(flat, skipna=False).startswith("mixed"):
        raise TypeError(
            "y mixes label types (for example strings and numbers); use one "
            "type for all labels."
        )


def _is_sequence(item):
    """One item of y that is a label sequence (a list of Series reads like a
    list of lists)."""
    import pandas as pd

    return isinstance(item, (list, tuple, np.ndarray, pd.Series))


def label_sequences(y):
    """``(ragged, list of 1-D label arrays, one_label_per_sample)`` from ``y``."""
    import pandas as pd

    if y is None:
        raise ValueError("y is None; the classifier needs labels.")
    if isinstance(y, (list, tuple)) or (
        isinstance(y, (np.ndarray, pd.Series)) and y.dtype == object and y.ndim == 1
    ):
        items = list(y)
        if items and all(_is_sequence(item) for item in items):
            sequences = [np.asarray(item) for item in items]
            for i, seq in enumerate(sequences):
                if seq.ndim != 1:
                    raise ValueError(
                        f"y: label sequence {i} has shape {seq.shape}; expected a "
                        "1-D sequence of labels."
                    )
            _check_one_label_type(items)
            ragged = len({len(s) for s in sequences}) > 1
            return ragged, sequences, False
    y = np.asarray(y)
    if y.dtype == object:
        _check_one_label_type([y.ravel()])
    if _one_hot(y, axis=-1) and y.ndim == 3:
        raise ValueError(
            f"y of shape {y.shape} looks one-hot encoded (one 1 per step); pass "
            "class labels instead, for example y.argmax(axis=-1)."
        )
    if y.ndim == 0 or y.ndim > 2 or len(y) == 0:
        raise ValueError(
            "y must be (n_samples,) labels, (n_samples, n_steps) label sequences "
            f"or a list of label sequences; got shape {y.shape}."
        )
    return False, list(y[:, None] if y.ndim == 1 else y), y.ndim == 1


def _one_hot(y, axis):
    return (
        y.ndim >= 2
        and y.shape[axis] >= 2
        and y.dtype.kind in "biuf"
        and np.isin(y, (0, 1)).all()
        and (y.sum(axis=axis) == 1).all()
    )


def warn_if_one_hot(y):
    """A 2-D 0/1 ``y`` with one 1 per row is probably one-hot encoded labels."""
    if isinstance(y, (list, tuple)) or str(getattr(y, "dtype", "")) == "object":
        # Label sequences, which may be ragged: not one-hot rows.
        return
    y = np.asarray(y)
    if y.ndim == 2 and _one_hot(y, axis=1):
        warn(
            f"y of shape {y.shape} looks one-hot encoded (a single 1 in every row); "
            f"it is read as {y.shape[0]} label sequences of {y.shape[1]} steps. Pass "
            "class labels instead (for example y.argmax(axis=1)) if each row is "
            "one label.",
            UserWarning,
        )


def check_discrete_labels(sequences):
    """Refuse continuous labels (floats that are not whole numbers), as
    scikit-learn's classifiers do, rather than make every value a class.

    scikit-learn's ``check_classification_targets`` is not used on the steps
    pooled together: it warns when the classes outnumber half the labels,
    which a short label sequence over a large vocabulary does.
    """
    flat = np.concatenate([np.ravel(s) for s in sequences])
    if flat.dtype.kind == "O" and all(
        isinstance(v, numbers.Real) and not isinstance(v, bool) for v in flat
    ):
        flat = flat.astype(float)
    if flat.dtype.kind != "f":
        return
    if not np.isfinite(flat).all():
        raise ValueError("y contains NaN or infinity; every step needs a class label.")
    fractional = flat[flat != np.round(flat)]
    if fractional.size:
        raise ValueError(
            "Unknown label type: continuous. y holds real values (for example "
            f"{float(fractional[0])!r}), not class labels; for real-valued targets "
            "use TimestepRegressor or Seq2SeqRegressor."
        )


def check_two_classes(classes, per_step=True):
    """Refuse a single class, on which a softmax cannot be trained."""
    if len(classes) < 2:
        (only,) = np.asarray(classes).tolist()
        where = "at every step" if per_step else "for every sequence"
        raise ValueError(
            f"y holds a single class ({only!r}) {where}; a classifier needs at "
            "least two classes, and y has one class. With partial_fit, pass "
            "every class that can occur as classes= in the first call."
        )


def check_known_labels(labels, classes):
    """Refuse labels outside ``classes``, pointing at ``partial_fit``'s remedy."""
    unseen = np.setdiff1d(labels, classes)
    if len(unseen):
        raise ValueError(
            f"y contains labels not seen in the first fit: {unseen[:5]!r}. With "
            "partial_fit, pass every label that can occur as classes= in the "
            "first call; with warm_start, set warm_start=False to fit them."
        )


def class_weights(class_weight, classes, labels):
    """Weight of each class id (None when ``class_weight`` is None)."""
    if class_weight is None:
        return None
    from sklearn.utils.class_weight import compute_class_weight

    if class_weight == "balanced":
        present = np.unique(labels)
        weights = np.ones(len(classes))
        weights[np.searchsorted(classes, present)] = compute_class_weight(
            "balanced", classes=present, y=labels
        )
        return weights
    unknown = set(class_weight) - set(classes.tolist())
    if unknown:
        raise ValueError(
            f"class_weight names labels that are not classes: {sorted(unknown)!r}."
        )
    for label, weight in class_weight.items():
        if (
            not isinstance(weight, numbers.Real)
            or not np.isfinite(weight)
            or weight < 0
        ):
            raise ValueError(
                f"class_weight[{label!r}] is {weight!r}; class weights must be "
                "finite, non-negative numbers."
            )
    weights = np.array([float(class_weight.get(c, 1.0)) for c in classes.tolist()])
    if not weights[np.isin(classes, labels)].any():
        raise ValueError(
            "class_weight gives every class in y weight 0: nothing would be learnt."
        )
    return weights
