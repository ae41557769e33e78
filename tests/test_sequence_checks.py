"""The project's own common checks, run on every public estimator.

scikit-learn's checks feed 2-D tables with one target per row; several of
them cannot apply to per-step estimators (one target per step) and are
listed as expected failures in ``test_common.py``. These checks cover what
those would have: each fits the estimator on sequences and targets it
accepts (``estimators.py``).
"""

import copy
import pickle

import numpy as np
import pytest
from estimators import cases, flat
from sklearn.base import clone
from sklearn.exceptions import NotFittedError

CASES = cases()
IDS = [case.name for case in CASES]


@pytest.fixture(scope="module", params=CASES, ids=IDS)
def fitted(request):
    case = request.param
    estimator = case.fit(clone(case.estimator))
    return case, estimator, flat(getattr(estimator, case.method)(case.X))


@pytest.mark.no_model
@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_unfitted_estimator_raises_not_fitted(case):
    with pytest.raises(NotFittedError):
        getattr(clone(case.estimator), case.method)(case.X)


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_fit_returns_self_and_keeps_params_and_data(case):
    estimator = clone(case.estimator)
    params = copy.deepcopy(estimator.get_params())
    X, y = copy.deepcopy(case.X), copy.deepcopy(case.y)
    assert case.fit(estimator) is estimator
    after = estimator.get_params()
    assert after.keys() == params.keys()
    for name, value in params.items():
        assert repr(after[name]) == repr(value), name
    for before, now in zip(X, case.X, strict=True):
        np.testing.assert_array_equal(before, now)
    if y is not None:
        np.testing.assert_array_equal(flat(list(y)), flat(list(case.y)))
    assert estimator.n_features_in_ == case.X[0].shape[1]


def test_clone_is_unfitted_with_equal_params(fitted):
    _, estimator, _ = fitted
    twin = clone(estimator)
    assert twin.get_params().keys() == estimator.get_params().keys()
    assert not [k for k in vars(twin) if k.endswith("_") and not k.startswith("_")]


def test_pickle_round_trip_gives_equal_outputs(fitted):
    case, estimator, output = fitted
    again = pickle.loads(pickle.dumps(estimator))
    np.testing.assert_array_equal(flat(getattr(again, case.method)(case.X)), output)


def test_fit_twice_equals_fit_once(fitted):
    # A seeded refit starts over: same weights, same outputs (idempotent fit).
    case, estimator, output = fitted
    refitted = case.fit(copy.deepcopy(estimator))
    np.testing.assert_array_equal(flat(getattr(refitted, case.method)(case.X)), output)


def test_outputs_do_not_depend_on_the_other_sequences(fitted):
    # Padding invariance: each sequence alone (no padding) gets the output it
    # gets in a batch padded to the longest sequence.
    case, estimator, output = fitted
    method = getattr(estimator, case.method)
    alone = np.concatenate([flat(method([x])) for x in case.X])
    np.testing.assert_allclose(alone, output, rtol=1e-5, atol=1e-6)


def test_wrong_number_of_features_is_refused(fitted):
    case, estimator, _ = fitted
    wider = [np.c_[x, x[:, :1]] for x in case.X]
    with pytest.raises(ValueError, match="features"):
        getattr(estimator, case.method)(wider)
