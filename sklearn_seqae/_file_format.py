"""The estimator file format: one zip archive, read without running its code.

The file holds two members:

``estimator.json``
    a document with the format tag, the package version, the class name, the
    parameters and the fitted state (NumPy arrays tagged with their dtype);
``model.weights.h5``
    the trained weights in Keras' own weights format (absent when unfitted).

This module knows the format and nothing else: not the estimator classes,
not Keras. :mod:`sklearn_seqae._persistence` turns an estimator into a document
and back; loading builds the Keras model with the package's own code and
then reads the weights, so nothing in a file is executed (no pickle, no
Keras deserialisation of arbitrary objects).

Its promises under faults (docs: "Saving and loading models safely"):

- **Atomic save.** A file is written to a temporary file beside the target
  (``.<name>.<pid>.<random>.seqae-partial``), flushed and fsynced, then
  renamed over the target with :func:`os.replace`, and the directory is
  fsynced. A save that fails or is killed leaves the previous file as it
  was; the partial files of killed saves are removed by the next successful
  save to the same path (only those whose process is gone, so two processes
  can save to one path at once).
- **Bounded load.** Before inflating anything, the archive must hold the
  format's members and nothing else, each no larger than its cap
  (:data:`MAX_STATE_BYTES`, :data:`MAX_WEIGHTS_BYTES`); members are inflated
  in chunks and never past their declared size, and the weights go to a
  file, not to memory. A hostile file is refused with
  :class:`FileFormatError` before it can exhaust memory.
"""

import base64
import io
import json
import os
import secrets
import zipfile
import zlib

import numpy as np

__all__ = [
    "MAX_STATE_BYTES",
    "MAX_WEIGHTS_BYTES",
    "FileFormatError",
    "atomic_write",
    "check_value",
    "read_file",
    "write_file",
]

_FORMAT = "sklearn_seqae/1"
_STATE_FILE = "estimator.json"
_WEIGHTS_FILE = "model.weights.h5"
_PARTIAL = ".seqae-partial"

#: Largest state document (inflated) a file may hold: 256 MiB. Far above any
#: estimator's (the largest, a 1,000,000-token vocabulary, is about 20 MB).
MAX_STATE_BYTES = 256 * 2**20
#: Largest weights member a file may hold: 16 GiB.
MAX_WEIGHTS_BYTES = 16 * 2**30
_CHUNK = 2**20


class FileFormatError(ValueError):
    """The file is not a readable sklearn_seqae estimator file.

    Raised by :func:`sklearn_seqae.load` for corrupt, truncated or foreign
    files. It subclasses :class:`ValueError`, so ``except ValueError``
    catches it too.

    Examples
    --------
    >>> import os, tempfile
    >>> from sklearn_seqae import FileFormatError, load
    >>> path = os.path.join(tempfile.mkdtemp(), "model.seqae")
    >>> with open(path, "w") as f:
    ...     _ = f.write("not an estimator")
    >>> try:
    ...     load(path)
    ... except FileFormatError as exc:
    ...     print("not loaded:", type(exc).__name__, isinstance(exc, ValueError))
    not loaded: FileFormatError True
    """


def _encode(value):
    if isinstance(value, np.ndarray):
        if value.dtype == object:
            return {"__object_array__": [_encode(v) for v in value.tolist()]}
        return {"__ndarray__": value.tolist(), "dtype": value.dtype.str}
    if isinstance(value, bytes):  # bytes tokens: JSON holds no bytes
        return {"__bytes__": base64.b64encode(value).decode("ascii")}
    if isinstance(value, np.random.RandomState):
        kind, keys, pos, has_gauss, gauss = value.get_state()
        return {"__random_state__": [kind, keys.tolist(), pos, has_gauss, gauss]}
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, tuple):
        return {"__tuple__": [_encode(v) for v in value]}
    if isinstance(value, list):
        return [_encode(v) for v in value]
    if isinstance(value, dict):
        return {"__dict__": [[_encode(k), _encode(v)] for k, v in value.items()]}
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    raise TypeError(
        f"cannot save a value of type {type(value).__name__}: the file holds "
        "numbers, strings, bytes and bools (as tokens and labels); pickle the "
        "estimator to keep others"
    )


def check_value(value):
    """Raise TypeError when ``value`` is not something the file can hold."""
    _encode(value)


def _decode(value):
    if isinstance(value, list):
        return [_decode(v) for v in value]
    if not isinstance(value, dict):
        return value
    if "__ndarray__" in value:
        dtype = np.dtype(value["dtype"])
        if dtype.hasobject:
            raise FileFormatError("an array tagged with an object dtype")
        # A ragged nested list raises here instead of becoming an object array.
        return np.asarray(value["__ndarray__"], dtype=dtype)
    if "__bytes__" in value:
        try:
            return base64.b64decode(value["__bytes__"], validate=True)
        except (TypeError, ValueError):
            raise FileFormatError("a bytes value that is not base64") from None
    if "__object_array__" in value:
        items = [_decode(v) for v in value["__object_array__"]]
        out = np.empty(len(items), dtype=object)
        out[:] = items
        return out
    if "__tuple__" in value:
        return tuple(_decode(v) for v in value["__tuple__"])
    if "__dict__" in value:
        return {_decode(k): _decode(v) for k, v in value["__dict__"]}
    if "__random_state__" in value:
        kind, keys, pos, has_gauss, gauss = value["__random_state__"]
        rng = np.random.RandomState()
        rng.set_state((kind, np.asarray(keys, dtype=np.uint32), pos, has_gauss, gauss))
        return rng
    raise FileFormatError(f"unknown tagged value in the file: {sorted(value)}")


def _process_gone(pid):
    if pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except (PermissionError, OSError):
        return False
    return False


def _remove_stale_partials(directory, name):
    """Remove the partial files of killed saves to ``name`` (process gone)."""
    prefix = f".{name}."
    for entry in os.listdir(directory):
        if not (entry.startswith(prefix) and entry.endswith(_PARTIAL)):
            continue
        pid = entry[len(prefix) :].split(".", 1)[0]
        if pid.isdigit() and _process_gone(int(pid)):
            try:
                os.remove(os.path.join(directory, entry))
            except OSError:
                pass  # another save removed it first


def _fsync_directory(directory):
    if not hasattr(os, "O_DIRECTORY"):  # Windows: a rename is durable as is
        return
    fd = os.open(directory, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    except OSError:
        pass  # some file systems refuse fsync on a directory
    finally:
        os.close(fd)


def atomic_write(path, write):
    """Call ``write(file_object)`` on a partial file, then rename it to ``path``.

    The file at ``path`` is either the previous one or the complete new one,
    whatever happens during ``write`` (an exception, a kill, a power cut
    after the directory's fsync).
    """
    path = os.path.abspath(os.fspath(path))
    directory, name = os.path.split(path)
    partial = os.path.join(
        directory, f".{name}.{os.getpid()}.{secrets.token_hex(4)}{_PARTIAL}"
    )
    try:
        with open(partial, "wb") as handle:
            write(handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(partial, path)
    except BaseException:
        try:
            os.remove(partial)
        except OSError:
            pass
        raise
    _fsync_directory(directory)
    _remove_stale_partials(directory, name)


def write_file(path, *, class_name, version, params, state, weights_file=None):
    """Write one estimator file atomically; ``weights_file`` is a Keras weights file."""
    document = {
        "format": _FORMAT,
        "version": version,
        "class": class_name,
        "params": _encode(params),
        "state": _encode(state),
    }

    def write(handle):
        with zipfile.ZipFile(handle, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            archive.writestr(_STATE_FILE, json.dumps(document))
            if weights_file is not None:
                archive.write(weights_file, _WEIGHTS_FILE)

    atomic_write(path, write)


def _refuse(path, why):
    raise FileFormatError(
        f"{os.fspath(path)!r} is not a readable sklearn_seqae estimator file: {why}"
    )


def _check_members(path, archive):
    """The format's members, nothing else, each within its cap."""
    infos = {info.filename: info for info in archive.infolist()}
    unknown = sorted(set(infos) - {_STATE_FILE, _WEIGHTS_FILE})
    if unknown or len(infos) != len(archive.infolist()):
        _refuse(
            path,
            f"it holds members the format does not name ({unknown or 'repeated'}); "
            f"a file holds {_STATE_FILE!r} and, when fitted, {_WEIGHTS_FILE!r}",
        )
    if _STATE_FILE not in infos:
        _refuse(path, f"it has no {_STATE_FILE!r} (corrupt or truncated?)")
    for name, cap in (
        (_STATE_FILE, MAX_STATE_BYTES),
        (_WEIGHTS_FILE, MAX_WEIGHTS_BYTES),
    ):
        if name in infos and infos[name].file_size > cap:
            _refuse(
                path,
                f"its {name!r} would inflate to {infos[name].file_size:,} bytes, "
                f"more than the cap of {cap:,}",
            )
    return infos


def _copy_member(archive, info, out):
    """Inflate one member into ``out`` in chunks, never past its declared size."""
    left = info.file_size
    with archive.open(info) as member:
        while True:
            chunk = member.read(min(_CHUNK, left + 1))
            if not chunk:
                break
            left -= len(chunk)
            if left < 0:
                raise FileFormatError("a member inflates past its declared size")
            out.write(chunk)


def read_file(path, weights_path=None):
    """``(class_name, version, params, state, has_weights)`` from an estimator file.

    When the file holds weights and ``weights_path`` is given, they are
    written there (a Keras weights file), inflated in bounded chunks.
    """
    try:
        with zipfile.ZipFile(path) as archive:
            infos = _check_members(path, archive)
            text = io.BytesIO()
            _copy_member(archive, infos[_STATE_FILE], text)
            document = json.loads(text.getvalue())
            del text
            has_weights = _WEIGHTS_FILE in infos
            if has_weights and weights_path is not None:
                with open(weights_path, "wb") as out:
                    _copy_member(archive, infos[_WEIGHTS_FILE], out)
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        KeyError,
        json.JSONDecodeError,
        EOFError,
        UnicodeDecodeError,
        NotImplementedError,
        zlib.error,
    ) as exc:
        raise FileFormatError(
            f"{os.fspath(path)!r} is not a readable sklearn_seqae estimator file "
            f"(corrupt or truncated?): {exc}"
        ) from None
    except RecursionError:
        _refuse(path, "its state document is nested too deeply")
    if not isinstance(document, dict) or document.get("format") != _FORMAT:
        raise FileFormatError(
            f"{os.fspath(path)!r} is not a sklearn_seqae estimator file."
        )
    try:
        params, state = _decode(document["params"]), _decode(document["state"])
    except (KeyError, TypeError, ValueError, RecursionError) as exc:
        if isinstance(exc, FileFormatError):
            raise
        _refuse(path, f"its state document is malformed ({type(exc).__name__}: {exc})")
    if not isinstance(params, dict) or not isinstance(state, dict):
        _refuse(path, "its parameters and state are not mappings")
    return document.get("class"), document.get("version"), params, state, has_weights
