"""Hypervisor drivers.  Each driver is a package exposing ``driver`` (a
:class:`postparse.Driver` instance); drivers are found through the
``virtxml.drivers`` entry-point group, so a third party can add one."""

from __future__ import annotations

from importlib import metadata
from typing import Any

from virtxml.errors import UsageError

GROUP = "virtxml.drivers"

#: built-in drivers, used when the package metadata is not installed
BUILTIN: dict[str, str] = {
    "test": "drivers.test:driver",
    "qemu": "drivers.qemu:driver",
    "generic": "drivers.generic:driver",
    "lxc": "drivers.lxc:driver",
    "bhyve": "drivers.bhyve:driver",
    "libxl": "drivers.libxl:driver",
    "vmware": "drivers.vmware:driver",
    "esx": "drivers.esx:driver",
    "hyperv": "drivers.hyperv:driver",
    "vbox": "drivers.vbox:driver",
    "vz": "drivers.vz:driver",
    "openvz": "drivers.openvz:driver",
    "phyp": "drivers.phyp:driver",
}

_cache: dict[str, Any] = {}


def _entry_points() -> dict[str, Any]:
    found: dict[str, Any] = {}
    try:
        for ep in metadata.entry_points(group=GROUP):
            found[ep.name] = ep
    except Exception:  # pragma: no cover - broken metadata
        pass
    return found


def list_drivers() -> list[str]:
    return sorted(set(BUILTIN) | set(_entry_points()))


def get_driver(name: str) -> Any:
    """The driver called ``name``; UsageError listing the known ones."""
    if name in _cache:
        return _cache[name]
    eps = _entry_points()
    if name in eps:
        drv = eps[name].load()
    elif name in BUILTIN:
        mod, _, attr = BUILTIN[name].partition(":")
        import importlib

        drv = getattr(importlib.import_module(mod), attr)
    else:
        raise UsageError(f"unknown driver '{name}'; known drivers: {', '.join(list_drivers())}")
    _cache[name] = drv
    return drv
