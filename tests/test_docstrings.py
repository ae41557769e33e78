"""Every public parameter and fitted attribute is described (numpydoc).

The docs build runs the same numpydoc validation (docs/conf.py); this test
says which docstring fails without building the docs.
"""

import inspect

import pytest
from numpydoc.docscrape import ClassDoc
from numpydoc.validate import validate
from sklearn.base import clone
from test_sequence_checks import CASES, IDS

import sklearn_seqae
from sklearn_seqae import datasets, metrics, plotting

CHECKS = {"PR01", "PR02", "PR07"}  # undocumented, unknown, undescribed parameter


def _public_api():
    names = []
    for module, members in (
        (sklearn_seqae, sklearn_seqae.__all__),
        (datasets, datasets.__all__),
        (metrics, metrics.__all__),
        (plotting, plotting.__all__),
    ):
        for member in members:
            obj = getattr(module, member)
            if not callable(obj):
                continue
            names.append(f"{module.__name__}.{member}")
            if inspect.isclass(obj) and hasattr(obj, "get_params"):
                for attr in dir(obj):
                    method = getattr(obj, attr)
                    if (
                        not attr.startswith("_")
                        and callable(method)
                        and getattr(method, "__module__", "").startswith(
                            "sklearn_seqae"
                        )
                    ):
                        names.append(f"{module.__name__}.{member}.{attr}")
    return names


@pytest.mark.no_model
@pytest.mark.parametrize("name", _public_api())
def test_parameters_are_documented_and_described(name):
    errors = [msg for code, msg in validate(name)["errors"] if code in CHECKS]
    assert not errors, errors


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_fitted_attributes_are_documented(case):
    estimator = case.fit(clone(case.estimator))
    documented = {
        item.name.split(" ")[0] for item in ClassDoc(type(estimator))["Attributes"]
    }
    fitted = {
        name
        for name in vars(estimator)
        if name.endswith("_") and not name.startswith("_")
    }
    assert fitted <= documented, sorted(fitted - documented)
