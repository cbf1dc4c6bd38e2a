"""Atomic file output: a render that fails or is killed leaves the old file intact."""

from __future__ import annotations

import contextlib
import os
import pathlib
import tempfile
from collections.abc import Iterator

PARTIAL_SUFFIX = ".partial"


def check_writable(target: str | os.PathLike, suffix: str | None = None) -> pathlib.Path:
    """Fail early, naming the problem, if ``target`` cannot be written."""
    target = pathlib.Path(target)
    if suffix is not None and target.suffix.lower() != suffix:
        raise ValueError(f"output {str(target)!r} must end in {suffix}")
    folder = target.parent
    if not folder.is_dir():
        raise ValueError(f"output folder {str(folder)!r} does not exist")
    if target.is_dir():
        raise ValueError(f"output {str(target)!r} is a folder, not a file")
    if not os.access(folder, os.W_OK):
        raise ValueError(f"output folder {str(folder)!r} is not writable")
    return target


def _new_file_mode() -> int:
    """The mode ``open`` would give a new file: 0o666 less the process's umask."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


@contextlib.contextmanager
def atomic_path(target: str | os.PathLike) -> Iterator[pathlib.Path]:
    """Yield a temporary path beside ``target``; rename it into place on success.

    The temporary file lives in the target's folder, so the final
    :func:`os.replace` is a rename within one file system: readers see either
    the old file or the complete new one, never a half-written file.

    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> with atomic_path(folder / "a.txt") as tmp:
    ...     _ = tmp.write_text("new")
    >>> (folder / "a.txt").read_text()
    'new'
    """
    target = check_writable(target)
    folder = target.parent
    handle, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=PARTIAL_SUFFIX, dir=folder)
    os.close(handle)
    tmp = pathlib.Path(name)
    try:
        yield tmp
        with open(tmp, "rb") as written:
            os.fsync(written.fileno())
        os.chmod(tmp, _new_file_mode())  # mkstemp makes 0o600; a rendered file gets the usual bits
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
