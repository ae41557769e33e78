"""One grid search, three ways: in one process, on joblib's loky, on Dask.

The search: a Pipeline of ``LSTMAutoencoderTransformer`` (default settings
except ``max_steps``) and LogisticRegression, a grid of 4 candidates (the
autoencoder's ``units`` and the classifier's ``C``), ``cv=3``: 12 fits of
the autoencoder, each followed by a transform of its test fold. It runs

- sequentially (``n_jobs=1``): one process, TensorFlow sized to the whole
  machine;
- with ``n_jobs=2`` on joblib's default loky backend: two worker
  processes, each told by joblib (``OMP_NUM_THREADS``) to use its share of
  the cores;
- on a ``LocalCluster`` of 2 worker processes with 1 thread each, through
  joblib's dask backend (the nanny sets ``OMP_NUM_THREADS=1``).

Each way runs in a fresh interpreter. The search's wall time includes the
import of TensorFlow in every process that fits (the package imports it at
the first fit): once when sequential, once per worker otherwise. loky
starts its workers inside the timed search; Dask's cluster start-up is
timed apart. Peak RSS is the largest over the processes that ran fits: the
parent when sequential, the workers otherwise (loky's are shut down and
read from ``RUSAGE_CHILDREN``; Dask's report their own).

CPU time (user + system) is summed over the parent and every process that
ran fits, over the search alone. Over the wall time it gives the cores a
way kept busy, and so the ceiling of a speed-up on this machine: a way
whose CPU work fully loaded every core would take its CPU time over the
number of cores. TensorFlow runs an LSTM's independent ops side by side,
so the sequential search already keeps most of both cores busy.
"""

import os
import resource
import sys
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).parent))
from _common import main, run_case, write_list_table  # noqa: E402

SIZES = {
    "quick": dict(n_samples=90, length=20, max_steps=20),
    "full": dict(n_samples=600, length=100, max_steps=100),
}
GRID = {
    "lstmautoencodertransformer__units": [32, 64],
    "logisticregression__C": [0.1, 1.0],
}
CV = 3
WAYS = {
    "sequential": "sequential (n_jobs=1)",
    "loky": "joblib loky, n_jobs=2",
    "dask": "Dask LocalCluster, 2 workers x 1 thread",
}


def _peak_rss_mb():
    # ru_maxrss is in KiB on Linux. Defined here so that Dask ships it by value.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _cpu_s(who=resource.RUSAGE_SELF):
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def _search(mode, n_jobs):
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import GridSearchCV
    from sklearn.pipeline import make_pipeline

    from sklearn_seqae import LSTMAutoencoderTransformer

    pipeline = make_pipeline(
        LSTMAutoencoderTransformer(max_steps=SIZES[mode]["max_steps"], random_state=0),
        LogisticRegression(max_iter=1000),
    )
    return GridSearchCV(pipeline, GRID, cv=CV, refit=False, n_jobs=n_jobs)


def _data(mode):
    from sklearn_seqae.datasets import make_labelled_waves

    size = SIZES[mode]
    return make_labelled_waves(size["n_samples"], length=size["length"], random_state=0)


def _result(search, seconds, **extra):
    return dict(
        search_s=seconds,
        best_params=search.best_params_,
        mean_test_score=[float(s) for s in search.cv_results_["mean_test_score"]],
        **extra,
    )


def _timed_fit(search, X, y):
    start = time.perf_counter()
    search.fit(X, y)
    return time.perf_counter() - start


def case(mode, way):
    X, y = _data(mode)
    if way == "sequential":
        search = _search(mode, n_jobs=1)
        cpu_start = _cpu_s()
        seconds = _timed_fit(search, X, y)
        return _result(
            search,
            seconds,
            startup_s=0.0,
            peak_rss_mb=_peak_rss_mb(),
            cpu_s=_cpu_s() - cpu_start,
        )
    if way == "loky":
        from joblib.externals.loky import get_reusable_executor

        search = _search(mode, n_jobs=2)
        cpu_start = _cpu_s()
        seconds = _timed_fit(search, X, y)
        parent_cpu = _cpu_s() - cpu_start
        # The workers are this process's only children, started in the search.
        get_reusable_executor().shutdown(wait=True)
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        return _result(
            search,
            seconds,
            startup_s=None,
            peak_rss_mb=children.ru_maxrss / 1024,
            cpu_s=parent_cpu + children.ru_utime + children.ru_stime,
        )
    import joblib
    from distributed import Client, LocalCluster

    start = time.perf_counter()
    with (
        LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        Client(cluster) as client,
    ):
        startup = time.perf_counter() - start
        search = _search(mode, n_jobs=-1)
        workers_before = sum(client.run(_cpu_s).values())
        parent_before = _cpu_s()
        with joblib.parallel_config(backend="dask"):
            seconds = _timed_fit(search, X, y)
        parent_cpu = _cpu_s() - parent_before
        workers_cpu = sum(client.run(_cpu_s).values()) - workers_before
        peak = max(client.run(_peak_rss_mb).values())
    return _result(
        search,
        seconds,
        startup_s=startup,
        peak_rss_mb=peak,
        cpu_s=parent_cpu + workers_cpu,
    )


CASES = {way: (lambda mode, way=way: case(mode, way)) for way in WAYS}


def run(mode):
    results = {
        "sizes": SIZES[mode],
        "grid": GRID,
        "cv": CV,
        "cpu_cores": os.cpu_count(),
        "ways": {},
    }
    for way in WAYS:
        print(f"  parallel: {way} ...", flush=True)
        start = time.perf_counter()
        results["ways"][way] = run_case(__file__, way, mode)
        print(f"    {time.perf_counter() - start:.0f} s", flush=True)
    return results


def _rows(results):
    ways = results["ways"]
    base = ways["sequential"]["search_s"]
    chosen = ways["sequential"]["best_params"]
    for way, label in WAYS.items():
        r = ways[way]
        yield dict(
            label=label,
            search=f"{r['search_s']:.1f}",
            startup="in search" if r["startup_s"] is None else f"{r['startup_s']:.1f}",
            speedup=f"{base / r['search_s']:.2f}x",
            cpu=f"{r['cpu_s']:.1f}",
            busy=f"{r['cpu_s'] / r['search_s']:.2f}",
            ceiling=f"{base / (r['cpu_s'] / results['cpu_cores']):.2f}x",
            rss=f"{r['peak_rss_mb']:.0f}",
            same="yes" if r["best_params"] == chosen else "no",
        )


def _caption(results):
    s = results["sizes"]
    n_candidates = len(GRID["lstmautoencodertransformer__units"]) * len(
        GRID["logisticregression__C"]
    )
    return (
        f"GridSearchCV, {n_candidates} candidates x cv={results['cv']} = "
        f"{n_candidates * results['cv']} autoencoder fits ({s['n_samples']} sequences "
        f"of {s['length']} steps, max_steps={s['max_steps']}) on "
        f"{results['cpu_cores']} CPU cores"
    )


def _cores_note(results):
    return (
        "CPU s: user + system time of the parent and every process that ran "
        "fits, during the search. Cores busy: CPU s over search s. Speed-up "
        "ceiling: the speed-up that way would reach if its CPU work kept all "
        f"{results['cpu_cores']} cores busy for the whole search (its CPU s "
        f"over {results['cpu_cores']}): no way of spreading the fits over "
        "processes can beat it on this machine."
    )


HEADER = (
    "how",
    "search s",
    "start-up s",
    "speed-up",
    "CPU s",
    "cores busy",
    "speed-up ceiling",
    "peak RSS per fitting process (MiB)",
    "same best parameters",
)


def markdown(results):
    lines = [
        f"{_caption(results)}. Speed-up: the sequential search's time over "
        "each way's; the cluster's start-up is apart, loky's is inside the "
        "search time. Peak RSS grows with the networks a process builds "
        "(TensorFlow keeps every traced model; a later fit of the same network "
        "reuses one). Same best parameters: as the sequential search.",
        "",
        _cores_note(results),
        "",
        "| " + " | ".join(HEADER) + " |",
        "| --- |" + " ---: |" * 7 + " --- |",
    ]
    for row in _rows(results):
        lines.append(
            "| {label} | {search} | {startup} | {speedup} | {cpu} | {busy} "
            "| {ceiling} | {rss} | {same} |".format(**row)
        )
    return "\n".join(lines)


DOCS_TABLE = Path(__file__).parents[1] / "docs" / "parallel_table.rst"


def docs(results):
    """Write the table for the scaling page (a full run only)."""
    keys = ("search", "startup", "speedup", "cpu", "busy", "ceiling", "rss", "same")
    rows = [(row["label"], *(row[k] for k in keys)) for row in _rows(results)]
    write_list_table(DOCS_TABLE, "parallel", _caption(results), (HEADER, *rows))


if __name__ == "__main__":
    main(__file__, CASES, run, markdown)
