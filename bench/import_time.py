"""Import time of ``sklearn_seqae`` against ``import tensorflow``.

Each import runs in a fresh interpreter, ``repeats`` times; the median wall
time of the interpreter minus that of an empty interpreter is the import
cost. The ``sklearn_seqae`` case also records whether TensorFlow or Keras
were loaded (they must not be until a model is built).
"""

import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).parent))
from _common import main  # noqa: E402

REPEATS = {"quick": 3, "full": 7}
STATEMENTS = {
    "python": "pass",
    "sklearn": "import sklearn.base",
    "sklearn_seqae": "import sklearn_seqae",
    "tensorflow": "import tensorflow",
    "keras": "import keras",
}
_PROBE = (
    "import sys, json, sklearn_seqae; "
    "print(json.dumps({m: m in sys.modules for m in ('tensorflow', 'keras')}))"
)


def _wall(statement):
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-c", statement],
        check=True,
        capture_output=True,
        env=dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3"),
    )
    return time.perf_counter() - start


def run(mode):
    walls = {name: [] for name in STATEMENTS}
    for _ in range(REPEATS[mode]):  # interleaved, so drift hits every case
        for name, statement in STATEMENTS.items():
            walls[name].append(_wall(statement))
    base = statistics.median(walls["python"])
    results = {
        name: {"median_s": statistics.median(w) - base, "runs_s": w}
        for name, w in walls.items()
        if name != "python"
    }
    results["empty_interpreter_s"] = base
    probe = subprocess.run(
        [sys.executable, "-c", _PROBE], check=True, capture_output=True, text=True
    )
    results["loaded_by_import_sklearn_seqae"] = json.loads(probe.stdout)
    return results


def markdown(results):
    loaded = results["loaded_by_import_sklearn_seqae"]
    lines = [
        "| import | median time (s), empty interpreter subtracted |",
        "| --- | --- |",
    ]
    for name in ("sklearn_seqae", "sklearn", "keras", "tensorflow"):
        lines.append(f"| `import {name}` | {results[name]['median_s']:.2f} |")
    ratio = results["tensorflow"]["median_s"] / results["sklearn_seqae"]["median_s"]
    lines += [
        "",
        f"`import sklearn_seqae` is {ratio:.0f}x faster than `import tensorflow`; "
        f"it loads TensorFlow: {loaded['tensorflow']}, Keras: {loaded['keras']}.",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    main(__file__, {}, run, markdown)
