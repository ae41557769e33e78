"""Warnings that point at the caller's line, not at the package's.

A fixed ``stacklevel`` is right for one call path only: the same check runs
under ``fit``, ``transform``, a Pipeline or another estimator, at different
depths. The warning is attributed to the first frame outside this package
and scikit-learn (whose wrappers and meta-estimators sit between the user
and our code), so it names the user's line, and Python's default filter
shows it once however many times the data is read.
"""

import functools
import os
import sys
import warnings

__all__ = ["warn"]


@functools.cache
def _prefixes():
    import sklearn

    return tuple(
        os.path.dirname(os.path.abspath(module.__file__)) + os.sep
        for module in (sys.modules[__package__], sklearn)
    )


def _skipped(filename):
    return os.path.abspath(filename).startswith(_prefixes())


def warn(message, category=UserWarning):
    """``warnings.warn`` attributed to the first frame outside the package."""
    frame, level = sys._getframe(1), 1
    while frame is not None and _skipped(frame.f_code.co_filename):
        frame, level = frame.f_back, level + 1
    if frame is None:  # called from the package itself, at top level
        level = 1
    warnings.warn(message, category, stacklevel=level + 1)
