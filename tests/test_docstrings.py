"""Every public parameter is described (numpydoc).

The docs build runs the same numpydoc validation (docs/conf.py); this test
says which docstring fails without building the docs. Fitted attributes are
checked on fitted estimators in test_sequence_checks.py.
"""

import inspect

import pytest
from numpydoc.validate import validate

import sklearn_seqae
from sklearn_seqae import datasets, metrics, plotting

CHECKS = {"PR01", "PR02", "PR07"}  # undocumented, unknown, undescribed parameter


def _public_api():
    names = []
    modules = [sklearn_seqae, datasets, metrics, plotting]
    try:
        from sklearn_seqae import sktime

        modules.append(sktime)
    except ImportError:  # sktime is an optional extra
        pass
    for module in modules:
        members = module.__all__
        for member in members:
            obj = getattr(module, member)
            if not callable(obj):
                continue
            names.append(f"{module.__name__}.{member}")
            if inspect.isclass(obj):
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
