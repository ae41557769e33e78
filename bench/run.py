"""Run the benchmark suite and write its tables and plots.

``make bench`` runs ``python bench/run.py --mode full``; ``make bench-quick``
the small mode (about a minute per benchmark). Results go to
``bench/results/``: one JSON file per benchmark, ``summary_<mode>.md`` with
every table, and the plots. A full run also writes every table into the docs'
Benchmarks page (``docs/benchmarks.md``) and the feature benchmark's headline
table into the README between the ``bench:start`` and ``bench:end`` markers:
nothing is copied by hand.

``--only NAME ...`` reruns some benchmarks; the summary then takes the others
from their last JSON results, each with the date it was measured.
``--tables-only`` runs nothing and rewrites the tables from the last results.
"""

import argparse
import importlib
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _common import MODES, RESULTS, machine  # noqa: E402

BENCHMARKS = {
    "import_time": "Import time",
    "overhead": "Overhead against the same model in plain Keras",
    "seq2seq": "Tutorial 002's approach against Seq2SeqClassifier",
    "scaling": "Scaling of fit time per epoch",
    "features": "Feature quality for classification",
    "objectives": "Choosing a code and an objective",
    "pretraining": "Pretraining on a synthetic corpus",
    "timestep": "Per-step estimators and encoder transfer",
    "decoding": "Attention and beam search",
    "parallel": "A grid search in one process, on loky and on Dask",
    "backends": "TensorFlow against JAX on the CPU",
    "anomaly": "Anomalies in long streams",
}
README = Path(__file__).parents[1] / "README.md"
DOCS_PAGE = Path(__file__).parents[1] / "docs" / "benchmarks.md"
DOCS_INTRO = """\
How the package compares with what a user would try instead, and what its
defaults cost. Written by ``make bench`` (``bench/run.py``) from the results
in ``bench/results/``; every accuracy figure stands next to 1-NN DTW and
MiniRocket and, for the autoencoder, next to the same network untrained.
Ratios measured side by side in one run are the figures to compare: these
machines are noisy."""


def summary(mode):
    lines = [f"# Benchmark results ({mode} mode)", ""]
    for name, title in BENCHMARKS.items():
        path = RESULTS / f"{name}_{mode}.json"
        if not path.exists():
            continue
        record = json.loads(path.read_text())
        module = importlib.import_module(name)
        m = record["machine"]
        lines += [
            f"## {title}",
            "",
            f"_{m['date']}, {m['cpu_cores']} CPU cores ({m['processor']}), no GPU, "
            f"{record['seconds']:.0f} s; `bench/{name}.py`_",
            "",
            module.markdown(record["results"]),
            "",
        ]
        plot = RESULTS / f"{name}_{mode}.png"
        if plot.exists():
            lines += [f"![{title}]({plot.name})", ""]
    return "\n".join(lines)


# README blocks: marker name -> (benchmark, the function that writes its table).
README_BLOCKS = {"bench": ("features", "headline"), "anomaly": ("anomaly", "markdown")}


def update_readme(mode):
    """Each headline table between its markers in the README."""
    readme = README.read_text()
    for marker, (name, function) in README_BLOCKS.items():
        start, end = f"<!-- {marker}:start -->", f"<!-- {marker}:end -->"
        path = RESULTS / f"{name}_{mode}.json"
        if start not in readme or end not in readme:
            raise SystemExit(f"README.md lacks the {start} / {end} markers")
        if not path.exists():
            continue
        record = json.loads(path.read_text())
        m = record["machine"]
        table = getattr(importlib.import_module(name), function)(record["results"])
        stamp = f"_{m['date']}, {m['cpu_cores']} CPU cores, no GPU; `bench/{name}.py`._"
        head, rest = readme.split(start, 1)
        _, tail = rest.split(end, 1)
        readme = f"{head}{start}\n{table}\n\n{stamp}\n{end}{tail}"
    README.write_text(readme)


def update_docs(text):
    """Every table, as the docs' Benchmarks page (MyST markdown)."""
    body = text.split("\n", 1)[1]
    body = body.replace("](", "](../bench/results/")
    DOCS_PAGE.write_text(f"# Benchmarks\n\n{DOCS_INTRO}\n{body.rstrip()}\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mode", choices=MODES, default="quick")
    parser.add_argument("--only", nargs="+", choices=list(BENCHMARKS))
    parser.add_argument("--tables-only", action="store_true")
    args = parser.parse_args()
    RESULTS.mkdir(exist_ok=True)
    for name in [] if args.tables_only else args.only or BENCHMARKS:
        print(f"{BENCHMARKS[name]} ({args.mode})", flush=True)
        module = importlib.import_module(name)
        start = time.perf_counter()
        results = module.run(args.mode)
        record = {
            "machine": machine(),
            "mode": args.mode,
            "seconds": time.perf_counter() - start,
            "results": results,
        }
        (RESULTS / f"{name}_{args.mode}.json").write_text(json.dumps(record, indent=1))
        if hasattr(module, "plot"):
            module.plot(results, RESULTS / f"{name}_{args.mode}.png")
        if args.mode == "full" and hasattr(module, "docs"):
            module.docs(results)
        print(module.markdown(results), flush=True)
    text = summary(args.mode)
    (RESULTS / f"summary_{args.mode}.md").write_text(text)
    if args.mode == "full":
        update_readme(args.mode)
        update_docs(text)
    print(f"wrote {RESULTS / f'summary_{args.mode}.md'}")


if __name__ == "__main__":
    main()
