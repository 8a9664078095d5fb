"""Atomic file writes: temp file in the same folder, fsync, rename, fsync
of the folder.  Nothing is half-written on failure, and a crash leaves the
old file or the new one (at worst a stale temp file beside it)."""

from __future__ import annotations

import os
import sys
import tempfile


def fsync_dir(folder: str) -> None:
    """Make a rename or unlink in ``folder`` durable."""
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def atomic_write(path: str | os.PathLike[str], data: bytes, mode: int = 0o644, *,
                 temp_path: str | None = None) -> None:
    """Replace ``path`` by ``data`` atomically and durably.

    The data goes to a fresh uniquely named temp file beside ``path`` that
    gets exactly ``mode``; or, with ``temp_path``, to that fixed name
    (created or truncated with ``mode`` under the umask), which a caller can
    find and remove after a crash."""
    path = os.fspath(path)
    folder = os.path.dirname(os.path.abspath(path))
    if temp_path is None:
        fd, tmp = tempfile.mkstemp(prefix="." + os.path.basename(path) + ".", suffix=".tmp",
                                   dir=folder)
    else:
        tmp = temp_path
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC, mode)
    try:
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
            os.fsync(fd)
        finally:
            os.close(fd)
        if temp_path is None:
            os.chmod(tmp, mode)  # mkstemp creates it 0600
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    fsync_dir(folder)


def write_output(path: str | os.PathLike[str] | None, data: bytes) -> None:
    """A command's result: written atomically to ``path``, or to standard
    output (flushed) without one."""
    if path:
        atomic_write(path, data)
    else:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
