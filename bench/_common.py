"""Shared plumbing of the benchmarks: subprocess cases, machine, results.

Every case runs in a fresh interpreter so that peak memory, imports and
traced functions of one case never leak into another. A benchmark module
defines ``CASES`` (name -> function(mode) returning a JSON-able dict) and
calls :func:`main`; ``bench/run.py`` runs every module and writes the tables.
"""

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import time
from pathlib import Path

RESULTS = Path(__file__).parent / "results"
MODES = ("quick", "full")


def peak_rss_mb():
    # ru_maxrss is in KiB on Linux.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def machine():
    return {
        "host": platform.node(),
        "cpu_cores": os.cpu_count(),
        "processor": platform.processor() or platform.machine(),
        "python": platform.python_version(),
        "date": time.strftime("%Y-%m-%d"),
    }


def run_case(script, name, mode, timeout=3600, env=None):
    """Run ``script --case name --mode mode`` in a fresh interpreter."""
    env = dict(os.environ if env is None else env, TF_CPP_MIN_LOG_LEVEL="3")
    proc = subprocess.run(
        [sys.executable, str(script), "--case", name, "--mode", mode],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=timeout,
    )
    if proc.returncode != 0:
        raise RuntimeError(
            f"{Path(script).name} case {name} failed:\n{proc.stderr[-3000:]}"
        )
    return json.loads(proc.stdout.strip().splitlines()[-1])


def run_cases(script, cases, mode, label=None):
    """Run every case of one benchmark module, each in a fresh interpreter."""
    results = {}
    for name in cases:
        print(f"  {label or Path(script).stem}: {name} ...", flush=True)
        start = time.perf_counter()
        results[name] = run_case(script, name, mode)
        print(f"    {time.perf_counter() - start:.0f} s", flush=True)
    return results


def main(script, cases, run, markdown):
    """Command line of one benchmark module: the whole module, or one case.

    ``run(mode)`` returns the module's results; ``markdown(results)`` its
    table. A child process (``--case``) prints its result as the last line.
    """
    parser = argparse.ArgumentParser()
    parser.add_argument("--mode", choices=MODES, default="quick")
    parser.add_argument("--case", choices=list(cases))
    args = parser.parse_args()
    if args.case:
        print(json.dumps(cases[args.case](args.mode)))
        return
    results = run(args.mode)
    print(json.dumps(results, indent=1))
    print(markdown(results))


def write_list_table(path, name, caption, rows):
    """Write ``rows`` (the header first) as an RST list-table for the docs."""
    lines = [
        f".. Written by bench/{name}.py (make bench ONLY={name}); do not edit.",
        "",
        f".. list-table:: {caption}",
        "   :header-rows: 1",
        "",
    ]
    for row in rows:
        lines.append(f"   * - {row[0]}")
        lines += [f"     - {cell}" for cell in row[1:]]
    Path(path).write_text("\n".join(lines) + "\n")
