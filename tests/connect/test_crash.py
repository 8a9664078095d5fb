"""Crash safety: a writer SIGKILLed at random points never leaves a partial
definition or a temp file behind (atomic writes, §8 persistence)."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time

import virtxml.connect as vc
from virtxml import api
from virtxml.connect.domains import QemuEmbedDriver, save_file_bytes
from virtxml.flags import FormatFlags

from . import crash_writer as W
from .helpers import PROJECT, TEST_OPTIONS, embed_uri, run_python

TOTAL = 500
#: the storage layer is the same whatever the post-parse driver; libvirt's
#: test driver keeps each cycle cheap so that the test stays well under a
#: minute on a loaded 2-core machine (the QEMU driver costs ~15 ms a define)
PARSE_DRIVER = "test"


def _expected_bytes(name: str, version: int, cache: dict) -> bytes:
    key = (name, version)
    if key not in cache:
        dom = api.parse(W.xml_of(name, version), driver=PARSE_DRIVER,
                        flags=QemuEmbedDriver.define_flags, options=TEST_OPTIONS)
        cache[key] = save_file_bytes(dom, api.format(dom, FormatFlags.SECURE))
    return cache[key]


def _replay(journal: str, offset: int, base: dict[str, int | None]
            ) -> tuple[dict[str, int | None], tuple | None, int, int]:
    """Apply the journal written since ``offset`` (one writer's run) to the
    state observed at the previous check: returns the state after its
    completed operations, the operation in flight (if any), the total of
    completed operations and the new offset."""
    state = dict(base)
    pending = None
    with open(journal, "rb") as fh:
        data = fh.read()
    for line in data[offset:].decode().splitlines():
        parts = line.split()
        if not parts:
            continue
        if parts[0] == "B":
            _, i, name, op, ver = parts
            assert pending is None, line  # one writer: B and E alternate
            pending = (int(i), name, op, int(ver))
        elif parts[0] == "E":
            assert pending is not None and pending[0] == int(parts[1]), line
            _, name, op, ver = pending
            state[name] = ver if op == "define" else None
            pending = None
    done = data.decode().count("\nE ") + data.decode().startswith("E ")
    return state, pending, done, len(data)


def _temp_files(root) -> list[str]:
    found = []
    for folder, _dirs, files in os.walk(root):
        found += [os.path.join(folder, f) for f in files if f.endswith(".new")]
    return found


def _check(root, journal: str, cache: dict, base: dict, offset: int):
    state, pending, done, offset = _replay(journal, offset, base)
    allowed = {name: {state[name]} for name in W.NAMES}
    if pending is not None:
        _, name, op, ver = pending
        allowed[name].add(ver if op == "define" else None)
    temps_before = len(_temp_files(root))
    observed: dict[str, int | None] = {}
    conn = vc.open(embed_uri(root), parse_driver=PARSE_DRIVER, options=TEST_OPTIONS)
    try:
        assert conn.load_errors == [], conn.load_errors
        present = set(conn.list_domain_names())
        config_dir = os.path.join(root, "etc", "qemu")
        files = sorted(os.listdir(config_dir)) if os.path.isdir(config_dir) else []
        assert sorted(f for f in files if f != "autostart") == sorted(n + ".xml" for n in present)
        for name in W.NAMES:
            if name not in present:
                assert None in allowed[name], (name, allowed[name], "missing")
                observed[name] = None
                continue
            data = open(os.path.join(config_dir, name + ".xml"), "rb").read()
            ok = [v for v in allowed[name] if v is not None
                  and data == _expected_bytes(name, v, cache)]
            assert ok, (name, allowed[name], data[:400])
            observed[name] = ok[0]
            # what the connection serves is the file's definition
            desc = conn.lookup(name).definition(inactive=True).description
            assert desc.split()[0] == f"v{ok[0]}"
        assert _temp_files(root) == [], _temp_files(root)
    finally:
        conn.close()
    return done, temps_before, pending is not None, observed, offset


def test_sigkill_during_500_define_undefine_cycles(tmp_path) -> None:
    root = tmp_path / "root"
    journal = str(tmp_path / "journal")
    cache: dict = {}
    rng = random.Random(0x5EED)
    env = dict(os.environ, PYTHONPATH=str(PROJECT))
    kills = in_flight = temps_seen = 0
    started = time.monotonic()
    done = offset = 0
    observed: dict = {name: None for name in W.NAMES}
    rounds = 0
    while done < TOTAL:
        rounds += 1
        assert rounds <= 60, "the writer makes no progress"
        proc = subprocess.Popen([sys.executable, "-m", "tests.connect.crash_writer", str(root),
                                 journal, str(TOTAL), PARSE_DRIVER], cwd=str(PROJECT), env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        # let it complete a random number of operations, then kill it at a
        # random moment (in whatever step of an operation it then is)
        base = os.path.getsize(journal) if os.path.exists(journal) else 0
        target = rng.randint(30, 90)
        seen = 0
        while proc.poll() is None:
            if os.path.exists(journal) and os.path.getsize(journal) > base:
                with open(journal, "rb") as fh:
                    fh.seek(base)
                    chunk = fh.read()
                # only whole lines count; keep reading from the last newline
                cut = chunk.rfind(b"\n") + 1
                seen += chunk[:cut].count(b"B ")
                base += cut
                if seen >= target:
                    break
            time.sleep(0.01)
        time.sleep(rng.uniform(0.0, 0.004))
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)
            kills += 1
        _, err = proc.communicate(timeout=30)
        assert proc.returncode in (0, -signal.SIGKILL), err.decode()
        done, temps, pending, observed, offset = _check(str(root), journal, cache, observed,
                                                        offset)
        in_flight += pending
        temps_seen += temps
    assert done == TOTAL
    assert kills >= 5, kills
    print(f"\ncrash test: {kills} kills, {in_flight} with an operation in flight, "
          f"{temps_seen} stale temp files cleaned, {time.monotonic() - started:.1f}s")


KILL_AT = """
import os, signal, sys
import virtxml.connect as vc
from virtxml import fileutil
from tests.connect.helpers import TEST_OPTIONS
root, where = sys.argv[1], sys.argv[2]
conn = vc.open("qemu:///embed?root=" + root, parse_driver=sys.argv[3],
               options=TEST_OPTIONS)
# the steps of virtxml.fileutil.atomic_write, which the driver's store uses
def die(*a, **k):
    os.kill(os.getpid(), signal.SIGKILL)
if where == "before-rename":
    os.replace = die
elif where == "before-dir-fsync":
    fileutil.fsync_dir = die
from tests.connect import crash_writer as W
conn.define_xml(W.xml_of("g1", 2))
"""


def test_kill_inside_the_write_window(tmp_path) -> None:
    """Deterministic kills between the steps of an atomic write."""
    cache: dict = {}
    for where, expect in (("before-rename", 1), ("before-dir-fsync", 2)):
        root = tmp_path / where
        conn = vc.open(embed_uri(root), parse_driver=PARSE_DRIVER, options=TEST_OPTIONS)
        conn.define_xml(W.xml_of("g1", 1))
        conn.close()
        res = run_python(KILL_AT, str(root), where, PARSE_DRIVER)
        assert res.returncode == -signal.SIGKILL, res.stderr
        temps = _temp_files(root)
        assert temps == ([str(root / "etc" / "qemu" / "g1.xml.new")]
                         if where == "before-rename" else [])
        conn = vc.open(embed_uri(root), parse_driver=PARSE_DRIVER, options=TEST_OPTIONS)
        try:
            assert conn.load_errors == []
            assert _temp_files(root) == []
            data = (root / "etc" / "qemu" / "g1.xml").read_bytes()
            assert data == _expected_bytes("g1", expect, cache)
        finally:
            conn.close()
