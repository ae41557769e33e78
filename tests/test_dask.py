"""A grid search on a Dask cluster scores exactly like the same search in-process.

The fits run in two worker processes of a real ``LocalCluster`` through
joblib's dask backend: the estimators travel there pickled, are fitted
there (TensorFlow imported and configured in each worker) and come back
as scores. Seeded fits are bit-identical across processes, so the scores
are compared exactly.
"""

import os

import joblib
import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import make_pipeline

from sklearn_seqae import LSTMAutoencoderTransformer
from sklearn_seqae.datasets import make_labelled_waves


@pytest.fixture
def environ():
    """Undo what starting a cluster does to this process's environment.

    Dask's nanny sets ``distributed.nanny.pre-spawn-environ`` (among them
    ``OMP_NUM_THREADS=1``) in the environment of the process that spawns
    the workers, here the test process; a later first fit in this process
    would then size TensorFlow's thread pools to one thread.
    """
    saved = os.environ.copy()
    yield
    os.environ.clear()
    os.environ.update(saved)


def _search(n_jobs):
    pipeline = make_pipeline(
        LSTMAutoencoderTransformer(max_steps=5, random_state=0),
        LogisticRegression(),
    )
    # Log-loss, not accuracy: a continuous score shows any difference in the
    # codes, where accuracy on 30 sequences would hide most.
    return GridSearchCV(
        pipeline,
        {"lstmautoencodertransformer__units": [2, 4]},
        cv=2,
        scoring="neg_log_loss",
        refit=False,
        n_jobs=n_jobs,
    )


@pytest.mark.graph  # the workers run compiled; so must the local search
def test_grid_search_on_a_local_cluster_matches_one_process(environ):
    # Imported here, not at module level: without dask this test fails (an
    # import error at collection would stop the whole test session instead),
    # and it is never skipped.
    from distributed import Client, LocalCluster, get_task_stream

    X, y = make_labelled_waves(60, length=12, random_state=0)
    local = _search(n_jobs=1).fit(X, y)

    with (
        LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
        ) as cluster,
        Client(cluster) as client,
    ):
        with (
            joblib.parallel_config(backend="dask"),
            get_task_stream(client) as tasks,
        ):
            remote = _search(n_jobs=-1).fit(X, y)
        addresses = set(client.scheduler_info()["workers"])

    # The fits ran in the cluster's worker processes.
    workers = {task["worker"] for task in tasks.data}
    assert workers and workers <= addresses
    assert remote.best_params_ == local.best_params_
    for key in ("split0_test_score", "split1_test_score", "mean_test_score"):
        np.testing.assert_array_equal(remote.cv_results_[key], local.cv_results_[key])
    assert list(remote.cv_results_["params"]) == list(local.cv_results_["params"])
    np.testing.assert_array_equal(
        remote.cv_results_["rank_test_score"], local.cv_results_["rank_test_score"]
    )
    assert np.isfinite(local.cv_results_["mean_test_score"]).all()
