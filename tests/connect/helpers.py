"""Shared bits of the embedded-driver tests."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[2]


def qemu_driver_available() -> bool:
    try:
        from drivers import get_driver

        get_driver("qemu")
    except Exception:
        return False
    return True


#: post-parse driver for definitions stored under qemu:///embed in tests that
#: are about storage, locking and crash safety (not about QEMU rules): the
#: QEMU driver once it exists, libvirt's test driver until then
PARSE_DRIVER = "qemu" if qemu_driver_available() else "test"


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
