"""Nothing lost under faults: atomic saves, bounded loads, concurrent use."""

import json
import signal
import subprocess
import sys
import textwrap
import threading
import time
import zipfile

import numpy as np
import pytest

from sklearn_seqae import (
    FileFormatError,
    LSTMAnomalyDetector,
    LSTMAutoencoderTransformer,
    Seq2SeqClassifier,
    TimestepClassifier,
    _file_format,
    load,
)
from sklearn_seqae.datasets import make_labelled_waves

pytestmark = pytest.mark.graph


def _members(path):
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _partials(directory):
    return sorted(p.name for p in directory.iterdir() if p.name.endswith("-partial"))


@pytest.fixture(scope="module")
def two_models(tmp_path_factory):
    """A small saved autoencoder (old) and a larger one (new) to save over it."""
    folder = tmp_path_factory.mktemp("models")
    X = np.sin(np.arange(16 * 12, dtype=float).reshape(16, 12) / 4)
    old = LSTMAutoencoderTransformer(units=4, epochs=1, random_state=0).fit(X)
    # Large enough weights that a save takes tens of milliseconds to write.
    new = LSTMAutoencoderTransformer(units=(256, 256), epochs=1, random_state=1).fit(X)
    old.save(folder / "old.seqae")
    start = time.perf_counter()
    new.save(folder / "new.seqae")
    return folder, X, old, new, time.perf_counter() - start


_SAVER = textwrap.dedent(
    """
    import importlib.util, os, sys, tempfile
    # The format module alone (it imports only NumPy and the standard
    # library): a saver process starts in a fraction of a second.
    spec = importlib.util.spec_from_file_location("_file_format", sys.argv[4])
    _file_format = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(_file_format)
    source, target, times = sys.argv[1], sys.argv[2], int(sys.argv[3])
    weights = os.path.join(tempfile.mkdtemp(), "w.h5")
    name, version, params, state, has_weights = _file_format.read_file(
        source, weights
    )
    print("ready", flush=True)
    for _ in range(times):
        _file_format.write_file(
            target, class_name=name, version=version, params=params, state=state,
            weights_file=weights if has_weights else None,
        )
    print("done", flush=True)
    """
)


def _saver(source, target, times):
    proc = subprocess.Popen(
        [
            sys.executable,
            "-c",
            _SAVER,
            str(source),
            str(target),
            str(times),
            _file_format.__file__,
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout.readline().strip() == "ready"
    return proc


def test_a_save_killed_at_any_moment_leaves_the_old_or_the_new_file(
    two_models, tmp_path
):
    folder, X, old, new, save_s = two_models
    old_members = _members(folder / "old.seqae")
    new_members = _members(folder / "new.seqae")
    target = tmp_path / "model.seqae"
    rng = np.random.RandomState(0)
    outcomes, killed_mid_write = set(), 0
    for _ in range(16):
        target.write_bytes((folder / "old.seqae").read_bytes())
        proc = _saver(folder / "new.seqae", target, 1_000)
        # The saver writes back to back: a kill before its first save ends
        # leaves the old file, a later one the new.
        time.sleep(rng.uniform(0.0, 3 * save_s))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        killed_mid_write += bool(_partials(tmp_path))
        # Byte for byte the old or the new model: never a mix, never truncated.
        members = _members(target)
        assert members in (old_members, new_members)
        outcomes.add("new" if members == new_members else "old")
    # The kills landed in the middle of writes: the test saw what it tests.
    assert killed_mid_write >= 5
    # The next successful save removes the partial files of the killed ones.
    new.save(target)
    assert _partials(tmp_path) == []
    np.testing.assert_array_equal(load(target).transform(X), new.transform(X))
    assert outcomes == {"old", "new"}


def test_a_save_that_fails_leaves_the_previous_file_and_no_partial(
    two_models, tmp_path, monkeypatch
):
    folder, X, old, new, _ = two_models
    target = tmp_path / "model.seqae"
    old.save(target)
    before = target.read_bytes()

    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(zipfile.ZipFile, "write", broken)
    with pytest.raises(OSError, match="disk full"):
        new.save(target)
    assert target.read_bytes() == before
    assert _partials(tmp_path) == []


def test_two_processes_saving_to_one_path_leave_a_loadable_file(two_models, tmp_path):
    folder, X, old, new, _ = two_models
    target = tmp_path / "model.seqae"
    savers = [
        _saver(folder / "old.seqae", target, 15),
        _saver(folder / "new.seqae", target, 15),
    ]
    for proc in savers:
        assert proc.stdout.readline().strip() == "done"
        assert proc.wait() == 0
    assert _members(target) in (
        _members(folder / "old.seqae"),
        _members(folder / "new.seqae"),
    )
    assert _partials(tmp_path) == []
    assert load(target).transform(X).shape[0] == len(X)


_BOMB = textwrap.dedent(
    """
    import resource, sys
    from sklearn_seqae import FileFormatError, load
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    try:
        load(sys.argv[1])
    except FileFormatError as exc:
        print(str(exc).splitlines()[0])
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print((after - before) / 1024)
    print("keras" in sys.modules)
    """
)


def test_a_state_that_inflates_past_a_gigabyte_is_refused_unread(tmp_path):
    bomb = tmp_path / "bomb.seqae"
    spaces = b" " * 2**20
    with zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        with archive.open("estimator.json", "w", force_zip64=True) as member:
            for _ in range(1100):  # 1.1 GiB of JSON whitespace
                member.write(spaces)
    assert bomb.stat().st_size < 5 * 2**20
    out = subprocess.run(
        [sys.executable, "-c", _BOMB, str(bomb)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()
    message, grown_mb, keras_loaded = out
    assert "would inflate to 1,153,433,600 bytes, more than the cap" in message
    assert float(grown_mb) < 100
    assert keras_loaded == "False"


def _rewrite(source, target, edit):
    members = _members(source)
    document = json.loads(members["estimator.json"])
    raw = edit(document, members)
    members["estimator.json"] = raw or json.dumps(document).encode()
    with zipfile.ZipFile(target, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return target


def test_hostile_files_are_refused_with_a_reason(two_models, tmp_path):
    folder, X, old, new, _ = two_models
    source = folder / "old.seqae"

    def extra_member(document, members):
        members["run_me.py"] = b"print('no')"

    def deep(document, members):
        nested = b"[" * 100_000 + b"]" * 100_000
        return b'{"format": "sklearn_seqae/1", "state": ' + nested + b"}"

    def object_array(document, members):
        document["state"]["__dict__"].append(
            ["x", {"__ndarray__": [1, 2], "dtype": "|O"}]
        )

    def wrong_size(document, members):
        pairs = document["state"]["__dict__"]
        for pair in pairs:
            if pair[0] == "feature_mean_":
                pair[1] = {"__ndarray__": [0.0, 0.0, 0.0], "dtype": "<f8"}

    def bad_units(document, members):
        for pair in document["params"]["__dict__"]:
            if pair[0] == "units":
                pair[1] = "abc"

    cases = [
        (bad_units, "holds a parameter value LSTMAutoencoderTransformer refuses"),
        (extra_member, "holds members the format does not name"),
        (deep, "nested too deeply"),
        (object_array, "object dtype"),
        (wrong_size, r"feature_mean_ has shape \(3,\), not \(1,\)"),
    ]
    for edit, match in cases:
        path = _rewrite(source, tmp_path / f"{edit.__name__}.seqae", edit)
        with pytest.raises(FileFormatError, match=match):
            load(path)
    assert load(source).transform(X).shape == old.transform(X).shape


def test_a_detector_file_gets_the_size_checks_and_a_weightless_file_is_refused(
    two_models, tmp_path
):
    X = np.sin(np.arange(16 * 12, dtype=float).reshape(16, 12, 1) / 4)
    detector = LSTMAnomalyDetector(units=2, epochs=1, random_state=0).fit(X)
    source = tmp_path / "detector.seqae"
    detector.save(source)

    def inner_wrong_size(document, members):
        for pair in document["state"]["__dict__"]:
            if pair[0] == "_autoencoder_state":
                for inner in pair[1]["__dict__"]:
                    if inner[0] == "feature_mean_":
                        inner[1] = {"__ndarray__": [0.0, 0.0, 0.0], "dtype": "<f8"}

    path = _rewrite(source, tmp_path / "inner.seqae", inner_wrong_size)
    with pytest.raises(FileFormatError, match=r"feature_mean_ has shape \(3,\)"):
        load(path)
    weightless = tmp_path / "weightless.seqae"
    members = _members(two_models[0] / "old.seqae")
    with zipfile.ZipFile(weightless, "w") as archive:
        archive.writestr("estimator.json", members["estimator.json"])
    with pytest.raises(FileFormatError, match="holds no weights"):
        load(weightless)


def test_a_flipped_byte_in_the_compressed_state_is_a_file_format_error(
    two_models, tmp_path
):
    source = two_models[0] / "old.seqae"
    data = bytearray(source.read_bytes())
    with zipfile.ZipFile(source) as archive:
        info = archive.getinfo("estimator.json")
    assert info.compress_type == zipfile.ZIP_DEFLATED
    start = info.header_offset + 30 + len(info.filename) + len(info.extra)
    refused = 0
    for offset in range(0, min(info.compress_size, 40)):
        flipped = bytearray(data)
        flipped[start + offset] ^= 0xFF
        (tmp_path / "flipped.seqae").write_bytes(flipped)
        try:
            load(tmp_path / "flipped.seqae")
        except FileFormatError:
            refused += 1
    # Every flip is refused as a file error (none escapes as zlib.error).
    assert refused == min(info.compress_size, 40)


def test_a_member_larger_than_its_cap_is_refused(two_models, tmp_path, monkeypatch):
    folder, X, old, new, _ = two_models
    monkeypatch.setattr(_file_format, "MAX_WEIGHTS_BYTES", 1000)
    with pytest.raises(FileFormatError, match="'model.weights.h5' would inflate"):
        load(folder / "old.seqae")


def test_concurrent_predictions_equal_serial_ones():
    X, labels = make_labelled_waves(40, length=10, random_state=0)
    ragged = [x[: 5 + i % 5] for i, x in enumerate(X)]
    tags = (X > 0).astype(int)
    kw = dict(units=4, epochs=1, random_state=0)
    calls = {}
    ae = LSTMAutoencoderTransformer(**kw).fit(ragged)
    calls["ae.transform"] = lambda: ae.transform(ragged)
    calls["ae.reconstruct"] = lambda: np.concatenate(ae.reconstruct(ragged))
    clf = Seq2SeqClassifier(**kw).fit(X, labels)
    calls["clf.predict"] = lambda: clf.predict(X)
    calls["clf.predict_proba"] = lambda: clf.predict_proba(X)
    step = TimestepClassifier(**kw).fit(X, tags)
    calls["step.predict"] = lambda: step.predict(X)
    serial = {name: call() for name, call in calls.items()}
    # Emptied caches: the threads also race to build the inference models,
    # not only to run them.
    for est in (ae, clf, step):
        est._inference_models.clear()
    names = list(calls) * 4
    results, errors = [[] for _ in range(4)], []

    def serve(worker):
        try:
            order = np.random.RandomState(worker).permutation(len(names))
            for i in order:
                results[worker].append((names[i], calls[names[i]]()))
        except Exception as exc:  # reported below, with the thread's name
            errors.append(exc)

    threads = [threading.Thread(target=serve, args=(w,)) for w in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sum(len(r) for r in results) == 4 * len(names)
    for worker in results:
        for name, value in worker:
            np.testing.assert_array_equal(value, serial[name], err_msg=name)
