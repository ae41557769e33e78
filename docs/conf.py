"""Sphinx configuration: numpydoc API pages and a sphinx-gallery of examples."""

import os
from pathlib import Path

import sklearn_seqae

project = "sklearn_seqae"
author = "sklearn_seqae developers"
release = version = sklearn_seqae.__version__

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.intersphinx",
    "numpydoc",
    "sphinx_gallery.gen_gallery",
    # benchmarks.md is written by bench/run.py as markdown, like the README.
    "myst_parser",
]
autosummary_generate = True
numpydoc_show_class_members = False
numpydoc_class_members_toctree = False
# Every public parameter must be documented, known and described.
numpydoc_validation_checks = {"PR01", "PR02", "PR07"}
autodoc_default_options = {"members": True, "inherited-members": False}
intersphinx_mapping = {}
templates_path = ["_templates"]
# objectives_table.rst is written by bench/objectives.py and included by the
# user guide.
exclude_patterns = [
    "_build",
    "auto_examples/*.ipynb",
    "auto_examples/*.py.md5",
    "objectives_table.rst",
    "input_layouts.rst",
    "parallel_table.rst",
    "backends_table.rst",
]
html_theme = "alabaster"
nitpicky = False

# The gallery runs every example; SEQAE_GALLERY_SMALL shrinks them for CI.
os.environ.setdefault("SEQAE_GALLERY_SMALL", "1")
sphinx_gallery_conf = {
    "examples_dirs": str(Path(__file__).parent.parent / "examples"),
    "gallery_dirs": "auto_examples",
    "filename_pattern": r"/plot_",
    "download_all_examples": False,
    "remove_config_comments": True,
}
