"""bench/parallel.py's search on a machine with more cores, at several n_jobs.

Not part of ``make bench`` (it is about machines with many cores): run it
by hand, ``python bench/parallel_cores.py --mode full --n-jobs 1,2,6``,
under the backend to measure. Each ``n_jobs`` runs in a fresh interpreter
with the same search, data and timing as ``bench/parallel.py``'s loky way
(TensorFlow or JAX imported inside the timed search, CPU time summed over
the parent and its workers), and prints one JSON document and a Markdown
table.
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).parent))
from _common import machine  # noqa: E402
from parallel import GRID, SIZES, _cpu_s, _data, _search  # noqa: E402


def case(mode, n_jobs):
    X, y = _data(mode)
    search = _search(mode, n_jobs=n_jobs)
    cpu_start = _cpu_s()
    start = time.perf_counter()
    search.fit(X, y)
    seconds = time.perf_counter() - start
    cpu = _cpu_s() - cpu_start
    if n_jobs > 1:
        from joblib.externals.loky import get_reusable_executor

        get_reusable_executor().shutdown(wait=True)
        cpu += _cpu_s(resource.RUSAGE_CHILDREN)
    return dict(search_s=seconds, cpu_s=cpu, best_params=search.best_params_)


def markdown(results):
    cores = results["machine"]["cpu_cores"]
    base = results["n_jobs"]["1"]["search_s"]
    chosen = results["n_jobs"]["1"]["best_params"]
    lines = [
        f"GridSearchCV of bench/parallel.py ({results['mode']}: 12 fits) on "
        f"{cores} CPU cores, Keras backend {results['backend']}, loky workers.",
        "",
        "| n_jobs | search s | speed-up | CPU s | cores busy | same best parameters |",
        "| ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for n_jobs, r in results["n_jobs"].items():
        lines.append(
            f"| {n_jobs} | {r['search_s']:.1f} | {base / r['search_s']:.2f}x "
            f"| {r['cpu_s']:.1f} | {r['cpu_s'] / r['search_s']:.2f} "
            f"| {'yes' if r['best_params'] == chosen else 'no'} |"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--mode", choices=list(SIZES), default="quick")
    parser.add_argument("--n-jobs", default="1,2")
    parser.add_argument("--case", type=int)
    args = parser.parse_args()
    if args.case:
        print(json.dumps(case(args.mode, args.case)))
        sys.exit()
    results = dict(
        machine=machine(),
        mode=args.mode,
        backend=os.environ.get("KERAS_BACKEND", "tensorflow"),
        grid=GRID,
        n_jobs={},
    )
    for n_jobs in [int(n) for n in args.n_jobs.split(",")]:
        print(f"  n_jobs={n_jobs} ...", file=sys.stderr, flush=True)
        proc = subprocess.run(
            [sys.executable, __file__, "--mode", args.mode, "--case", str(n_jobs)],
            capture_output=True,
            text=True,
            check=True,
        )
        last_line = proc.stdout.strip().splitlines()[-1]
        results["n_jobs"][str(n_jobs)] = json.loads(last_line)
    print(json.dumps(results, indent=1))
    print(markdown(results))
