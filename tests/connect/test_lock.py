"""The driver lock with real processes (behaviour §8: virPidFileAcquire)."""

from __future__ import annotations

import os
import signal
import time

import pytest

import virtxml.connect as vc
from virtxml.connect.errors import ConnectError

from .helpers import PARSE_DRIVER, TEST_OPTIONS, embed_uri, run_python, spawn_python

HOLDER = """
import sys, virtxml.connect as vc
from tests.connect.helpers import TEST_OPTIONS
conn = vc.open(sys.argv[1], parse_driver=sys.argv[2], options=TEST_OPTIONS)
print("locked", flush=True)
sys.stdin.readline()          # hold until told (or killed)
conn.close()
print("closed", flush=True)
"""

TRY_OPEN = """
import sys, time, virtxml.connect as vc
from tests.connect.helpers import TEST_OPTIONS
t = time.monotonic()
try:
    conn = vc.open(sys.argv[1], parse_driver=sys.argv[2], options=TEST_OPTIONS)
except Exception as err:
    print("ERR", round(time.monotonic() - t, 3), err.message, sep="|")
else:
    print("OK", round(time.monotonic() - t, 3), conn.load_errors, sep="|")
    conn.close()
"""


def _read_pid(path) -> str:
    """Read the pid file from another process: opening and closing it here
    would drop this process's own POSIX lock (fcntl semantics)."""
    import subprocess

    return subprocess.run(["cat", str(path)], capture_output=True, text=True).stdout


def _holder(uri: str):
    import subprocess

    proc = spawn_python(HOLDER, uri, PARSE_DRIVER, stdin=subprocess.PIPE,
                        stdout=subprocess.PIPE)
    line = proc.stdout.readline().strip()
    assert line == "locked", line
    return proc


@pytest.mark.parametrize("driver, state_dir", [("qemu", "run/qemu"), ("secret", "run/secrets")])
def test_second_process_refused_then_admitted(tmp_path, driver, state_dir) -> None:
    uri = embed_uri(tmp_path, driver)
    pidfile = tmp_path / state_dir / "driver.pid"
    holder = _holder(uri)
    try:
        assert pidfile.read_text() == str(holder.pid)
        # this process is the second one: refused at once, libvirt's text
        t = time.monotonic()
        with pytest.raises(ConnectError) as info:
            vc.open(uri, parse_driver=PARSE_DRIVER, options=TEST_OPTIONS)
        assert time.monotonic() - t < 1.0
        assert info.value.message == (f"Failed to acquire pid file '{pidfile}': "
                                      "Resource temporarily unavailable")
        # and a third process as well
        out = run_python(TRY_OPEN, uri, PARSE_DRIVER).stdout.strip().split("|")
        assert out[0] == "ERR", out
        assert float(out[1]) < 1.0
        assert out[2] == (f"Failed to acquire pid file '{pidfile}': "
                          "Resource temporarily unavailable")
        # the holder's pid is untouched by the failed attempts
        assert pidfile.read_text() == str(holder.pid)
    finally:
        holder.stdin.write("\n")
        holder.stdin.flush()
        assert holder.stdout.readline().strip() == "closed"
        holder.wait(10)
    # the holder exited: admitted
    out = run_python(TRY_OPEN, uri, PARSE_DRIVER).stdout.strip().split("|")
    assert out[0] == "OK", out
    conn = vc.open(uri, parse_driver=PARSE_DRIVER, options=TEST_OPTIONS)
    assert _read_pid(pidfile) == str(os.getpid())
    conn.close()


def test_lock_released_by_kill_9(tmp_path) -> None:
    uri = embed_uri(tmp_path)
    holder = _holder(uri)
    with pytest.raises(ConnectError):
        vc.open(uri, parse_driver=PARSE_DRIVER, options=TEST_OPTIONS)
    os.kill(holder.pid, signal.SIGKILL)
    holder.wait(10)
    # the pid file is still there (nobody removed it) but no longer locked
    pidfile = tmp_path / "run" / "qemu" / "driver.pid"
    assert pidfile.read_text() == str(holder.pid)
    conn = vc.open(uri, parse_driver=PARSE_DRIVER, options=TEST_OPTIONS)
    try:
        assert _read_pid(pidfile) == str(os.getpid())
        out = run_python(TRY_OPEN, uri, PARSE_DRIVER).stdout.strip().split("|")
        assert out[0] == "ERR" and "Failed to acquire pid file" in out[2], out
    finally:
        conn.close()


def test_lock_is_posix_byte0_write_lock(tmp_path) -> None:
    """Another tool using fcntl on byte 0 (like libvirt itself) sees the lock."""
    import fcntl

    holder = _holder(embed_uri(tmp_path))
    try:
        fd = os.open(tmp_path / "run" / "qemu" / "driver.pid", os.O_WRONLY)
        try:
            with pytest.raises(OSError):
                fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB, 1, 0)
            # byte 1 is free: the lock covers byte 0 only
            fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB, 1, 1)
        finally:
            os.close(fd)
    finally:
        holder.kill()
        holder.wait(10)


def test_fork_child_does_not_inherit_the_driver(tmp_path) -> None:
    """A forked child has no lock: its inherited connection refuses work,
    closing it does not remove the parent's pid file, and opening the root
    in the child fails on the parent's lock."""
    conn = vc.open(embed_uri(tmp_path), parse_driver=PARSE_DRIVER, options=TEST_OPTIONS)
    try:
        r, w = os.pipe()
        pid = os.fork()
        if pid == 0:  # pragma: no cover - child
            os.close(r)
            code = 0
            try:
                try:
                    conn.list_domains()
                    code |= 1
                except ConnectError:
                    pass
                conn.close()
                try:
                    vc.open(embed_uri(tmp_path), parse_driver=PARSE_DRIVER, options=TEST_OPTIONS)
                    code |= 2
                except ConnectError as err:
                    if "Failed to acquire pid file" not in err.message:
                        code |= 4
            finally:
                os.write(w, bytes([code]))
                os._exit(0)
        os.close(w)
        result = os.read(r, 1)
        os.close(r)
        os.waitpid(pid, 0)
        assert result == b"\x00"
        assert (tmp_path / "run" / "qemu" / "driver.pid").exists()
        assert conn.list_domains() == []
        out = run_python(TRY_OPEN, embed_uri(tmp_path), PARSE_DRIVER).stdout.strip().split("|")
        assert out[0] == "ERR", out
    finally:
        conn.close()
