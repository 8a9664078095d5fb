"""Shared bits of the embedded-driver tests."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[2]

#: one QEMU capability cache for the whole test run, shared with the child
#: processes through the environment (probing a binary per fresh root would
#: cost seconds each); fresh per run, so a cache written by an older probe
#: never leaks into a new run
CAPS_CACHE = os.environ.get("VIRTXML_TEST_CAPS_CACHE", "")
if not CAPS_CACHE:
    import atexit
    import shutil

    CAPS_CACHE = tempfile.mkdtemp(prefix="virtxml-test-caps-")
    os.environ["VIRTXML_TEST_CAPS_CACHE"] = CAPS_CACHE
    atexit.register(shutil.rmtree, CAPS_CACHE, True)
TEST_OPTIONS = {"caps_cache_dir": CAPS_CACHE}


def qemu_driver_available() -> bool:
    try:
        from drivers import get_driver

        get_driver("qemu")
    except Exception:
        return False
    return True


def qemu_usable() -> bool:
    """The QEMU driver exists and can complete a plain x86_64 guest here
    (it needs capabilities: a QEMU binary to probe)."""
    if not qemu_driver_available():
        return False
    try:
        from virtxml import api
        from virtxml.flags import ParseFlags

        api.parse(guest_xml("probe", "00000000-0000-4000-8000-000000000000"), driver="qemu",
                  flags=ParseFlags.INACTIVE | ParseFlags.ABI_UPDATE, options=TEST_OPTIONS)
    except Exception:
        return False
    return True


def open_embed(root: os.PathLike[str] | str, driver: str = "qemu", **kw: object):
    """Open ROOT with the test post-parse driver and the shared caps cache."""
    import virtxml.connect as vc

    if driver == "secret":
        return vc.open(embed_uri(root, "secret"))
    kw.setdefault("parse_driver", __getattr__("PARSE_DRIVER"))
    kw.setdefault("options", TEST_OPTIONS)
    return vc.open(embed_uri(root, driver), **kw)  # type: ignore[arg-type]


def embed_uri(root: os.PathLike[str] | str, driver: str = "qemu") -> str:
    return f"{driver}:///embed?root={os.fspath(root)}"


def guest_xml(name: str, uuid: str, version: int | str = 0, pad: int = 0,
              emulator: str | None = None) -> str:
    desc = f"v{version}" + (" " + "x" * pad if pad else "")
    dev = f"<devices><emulator>{emulator}</emulator></devices>" if emulator else ""
    return (f"<domain type='kvm'><name>{name}</name><uuid>{uuid}</uuid>"
            f"<description>{desc}</description><memory unit='MiB'>64</memory>"
            f"<os><type arch='x86_64'>hvm</type></os>{dev}</domain>")


def run_python(code: str, *args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONPATH=str(PROJECT))
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True,
                          timeout=timeout, cwd=str(PROJECT), env=env)


def spawn_python(code: str, *args: str, **kw: object) -> subprocess.Popen[str]:
    env = dict(os.environ, PYTHONPATH=str(PROJECT))
    return subprocess.Popen([sys.executable, "-c", code, *args], text=True, cwd=str(PROJECT),
                            env=env, **kw)  # type: ignore[call-overload]


_parse_driver: list[str] = []


def __getattr__(name: str) -> str:
    """``PARSE_DRIVER``: post-parse driver for definitions stored under
    qemu:///embed in tests about storage, locking and crash safety (not
    about QEMU rules): the QEMU driver when it can work here, libvirt's
    test driver otherwise.  Computed on first use (it may probe QEMU)."""
    if name == "PARSE_DRIVER":
        if not _parse_driver:
            _parse_driver.append("qemu" if qemu_usable() else "test")
        return _parse_driver[0]
    raise AttributeError(name)
