"""Crash-safe file operations for driver state under an embedded root.

Every write goes to ``<path>.new`` in the same folder (libvirt's
virFileRewrite naming), is fsync'ed, renamed over ``<path>`` and the folder
is fsync'ed.  A crash therefore leaves either the old or the new file,
never a partial one; at worst a stale ``*.new`` temp file, which
:func:`clean_stale_temps` removes when the driver is opened (under the
driver lock, so no live writer can own it)."""

from __future__ import annotations

import os

from .. import fileutil
from ..fileutil import fsync_dir

TEMP_SUFFIX = ".new"


def makedirs(path: str, mode: int = 0o777) -> None:
    """g_mkdir_with_parents: create every missing folder of ``path`` with
    ``mode`` (parents too, unlike os.makedirs), accept existing ones."""
    path = os.path.abspath(path)
    missing: list[str] = []
    cur = path
    while not os.path.isdir(cur):
        if os.path.lexists(cur):
            # a file (or dangling link) is in the way
            raise FileExistsError(17, os.strerror(17), cur) if cur == path else \
                NotADirectoryError(20, os.strerror(20), path)
        missing.append(cur)
        parent = os.path.dirname(cur)
        if parent == cur:
            break
        cur = parent
    for folder in reversed(missing):
        try:
            os.mkdir(folder, mode)
        except FileExistsError:
            if not os.path.isdir(folder):
                raise


def atomic_write(path: str, data: bytes, mode: int = 0o600) -> None:
    """Replace ``path`` by ``data`` atomically and durably, through the
    temp file ``<path>.new``."""
    fileutil.atomic_write(path, data, mode, temp_path=path + TEMP_SUFFIX)


def remove(path: str, *, missing_ok: bool = True) -> bool:
    """Unlink ``path`` and fsync its folder; False when it was not there."""
    try:
        os.unlink(path)
    except FileNotFoundError:
        if missing_ok:
            return False
        raise
    fsync_dir(os.path.dirname(path) or ".")
    return True


def clean_stale_temps(folder: str) -> list[str]:
    """Remove ``*.new`` files left by a writer that died mid-write."""
    removed: list[str] = []
    try:
        names = os.listdir(folder)
    except (FileNotFoundError, NotADirectoryError):
        return removed
    for name in names:
        if name.endswith(TEMP_SUFFIX):
            full = os.path.join(folder, name)
            try:
                os.unlink(full)
                removed.append(full)
            except OSError:
                pass
    if removed:
        fsync_dir(folder)
    return removed


def read_file(path: str) -> bytes:
    with open(path, "rb") as fh:
        return fh.read()
