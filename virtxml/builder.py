"""Building and editing definitions in Python.

The model classes are attrs classes with keyword constructors, so a guest
is built by nesting them; this module adds what programs that generate
configs need around that: device lists found by class, lookup by kind and
address, copies with changes (``attrs.evolve``), and validation on demand.

    from virtxml import builder
    from virtxml.model.devices import Disk
    builder.add_device(dom, Disk(...))
    disks = builder.find_devices(dom, Disk, bus="virtio")
"""

from __future__ import annotations

from typing import Any, Iterator, TypeVar

import attrs

from .model import DEVICE_LISTS, Devices, Domain

T = TypeVar("T")

_SINGLE = {"redirfilter", "memballoon", "nvram", "iommu"}


def _list_for(devices: Devices, dev: Any) -> tuple[str, bool]:
    tag = type(dev).__xml_tag__
    for field, t in DEVICE_LISTS:
        if t == tag:
            return field, True
    if tag in _SINGLE:
        return tag, False
    raise TypeError(f"{type(dev).__name__} is not a device class")


def ensure_devices(dom: Domain) -> Devices:
    if dom.devices is None:
        dom.devices = Devices()
    return dom.devices


def add_device(dom: Domain, dev: Any) -> Any:
    """Append ``dev`` to the list of its kind (or set the single device)."""
    devices = ensure_devices(dom)
    field, is_list = _list_for(devices, dev)
    if is_list:
        getattr(devices, field).append(dev)
    else:
        setattr(devices, field, dev)
    return dev


def remove_device(dom: Domain, dev: Any) -> bool:
    """Remove ``dev`` (by identity, else by equality); True if found."""
    if dom.devices is None:
        return False
    field, is_list = _list_for(dom.devices, dev)
    if not is_list:
        if getattr(dom.devices, field) is dev or getattr(dom.devices, field) == dev:
            setattr(dom.devices, field, None)
            return True
        return False
    lst = getattr(dom.devices, field)
    for i, x in enumerate(lst):
        if x is dev:
            del lst[i]
            return True
    for i, x in enumerate(lst):
        if x == dev:
            del lst[i]
            return True
    return False


def iter_devices(dom: Domain) -> Iterator[Any]:
    if dom.devices is not None:
        yield from dom.devices.iter_devices()


def find_devices(dom: Domain, kind: type[T] | None = None, **match: Any) -> list[T]:
    """Devices of class ``kind`` (all when None) whose attributes equal ``match``;
    nested attributes with ``__``: ``find_devices(d, Disk, target__dev='vda')``."""
    out = []
    for dev in iter_devices(dom):
        if kind is not None and not isinstance(dev, kind):
            continue
        if all(_get(dev, k) == v for k, v in match.items()):
            out.append(dev)
    return out


def find_by_address(dom: Domain, **address: Any) -> list[Any]:
    """Devices whose ``<address>`` has these values, e.g. ``type='pci', slot=3``."""
    out = []
    for dev in iter_devices(dom):
        addr = getattr(dev, "address", None)
        if addr is None:
            continue
        if all(getattr(addr, k, None) == v for k, v in address.items()):
            out.append(dev)
    return out


def _get(obj: Any, dotted: str) -> Any:
    for part in dotted.split("__"):
        if obj is None:
            return None
        obj = getattr(obj, part, None)
    return obj


def evolve(obj: T, **changes: Any) -> T:
    """A changed copy (attrs.evolve) — the original is left alone."""
    return attrs.evolve(obj, **changes)  # type: ignore[misc]


def validate(dom: Domain, *, driver: Any = "test", options: dict[str, Any] | None = None,
             flags: int = 0) -> Domain:
    """Run the driver's full post-parse and validation on a copy of ``dom``
    as libvirt's define would (format → parse); returns the completed copy,
    raises the first error with libvirt's text."""
    from . import api
    from .flags import FormatFlags, ParseFlags

    text = api.format(dom, FormatFlags.SECURE | FormatFlags.INACTIVE)
    return api.parse(text.encode(), driver=driver, options=options, flags=flags | ParseFlags.INACTIVE)
