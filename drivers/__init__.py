"""Hypervisor drivers.  Each driver is a package exposing ``driver`` (a
:class:`postparse.Driver` instance); drivers are found through the
``virtxml.drivers`` entry-point group, so a third party can add one (under
a name of its own: the built-in names are ours)."""

from __future__ import annotations

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
    from importlib import metadata  # reads every installed distribution: only when needed

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
    if name in BUILTIN:  # our own entry points name these same objects
        mod, _, attr = BUILTIN[name].partition(":")
        import importlib

        drv = getattr(importlib.import_module(mod), attr)
    else:
        eps = _entry_points()
        if name not in eps:
            raise UsageError(f"unknown driver '{name}'; known drivers: {', '.join(list_drivers())}")
        drv = eps[name].load()
    _cache[name] = drv
    return drv
