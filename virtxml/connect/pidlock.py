"""The driver lock: libvirt's virPidFileAcquire / virPidFileRelease.

``<stateDir>/driver.pid`` is opened (created 0644), a non-blocking POSIX
write lock is taken on byte 0 (``fcntl(F_SETLK, F_WRLCK)``), the file is
truncated and the pid written (no newline).  A second process gets libvirt's
``Failed to acquire pid file '<path>': Resource temporarily unavailable`` at
once.  The kernel drops the lock when the holder exits or is killed;
:meth:`PidFile.release` unlinks the file and closes it, as libvirt does.

POSIX record locks belong to the *process*: closing any descriptor of the
file drops them.  The registry in :mod:`virtxml.connect.state` therefore
keeps exactly one PidFile per driver and process."""

from __future__ import annotations

import fcntl
import os

from .errors import is_lock_busy, system_error


class PidFile:
    def __init__(self, path: str, fd: int) -> None:
        self.path = path
        self.fd = fd

    @classmethod
    def acquire(cls, state_dir: str, name: str = "driver", pid: int | None = None) -> "PidFile":
        path = os.path.join(state_dir, name + ".pid")
        pid = os.getpid() if pid is None else pid
        while True:
            try:
                fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_CLOEXEC, 0o644)
            except OSError as err:
                raise system_error(err, f"Failed to open pid file '{path}'") from None
            try:
                st_fd = os.fstat(fd)
            except OSError as err:
                os.close(fd)
                raise system_error(err, f"Unable to check status of pid file '{path}'") from None
            try:
                fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB, 1, 0, os.SEEK_SET)
            except OSError as err:
                os.close(fd)
                if is_lock_busy(err):
                    # libvirt reports the errno it got (EAGAIN or EACCES)
                    raise system_error(err, f"Failed to acquire pid file '{path}'") from None
                raise system_error(err, f"Failed to acquire pid file '{path}'") from None
            # the file we locked must still be the one at ``path`` (a releasing
            # holder unlinks it); otherwise retry, as virPidFileAcquirePath does
            try:
                st_path = os.stat(path)
            except FileNotFoundError:
                os.close(fd)
                continue
            if (st_path.st_dev, st_path.st_ino) != (st_fd.st_dev, st_fd.st_ino):
                os.close(fd)
                continue
            break
        try:
            os.ftruncate(fd, 0)
        except OSError as err:
            os.close(fd)
            raise system_error(err, f"Failed to truncate pid file '{path}'") from None
        try:
            os.write(fd, str(pid).encode())
        except OSError as err:
            os.close(fd)
            raise system_error(err, f"Failed to write to pid file '{path}'") from None
        return cls(path, fd)

    def release(self) -> None:
        if self.fd < 0:
            return
        try:
            os.unlink(self.path)
        except OSError:
            pass
        os.close(self.fd)
        self.fd = -1
