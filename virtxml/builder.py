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


# --- factories: the common building blocks with libvirt's usual choices -----

def new_domain(name: str, *, memory_mib: int, vcpus: int = 1, virt_type: str = "kvm",
               arch: str = "x86_64", machine: str | None = None, emulator: str | None = None,
               os_type: str = "hvm", uuid: str | None = None) -> Domain:
    """A minimal guest: name, memory, vCPUs, OS type/arch/machine, emulator,
    and ACPI/APIC on x86."""
    from .model.cpu import Vcpu
    from .model.features import Apic, Features
    from .model.memory import MemoryElement
    from .model.os import OS, OSType

    features = Features(acpi=True, apic=Apic()) if arch in ("x86_64", "i686") else None
    return Domain(type=virt_type, name=name, uuid=uuid,
                  memory=MemoryElement(unit="KiB", value=memory_mib * 1024),
                  vcpu=Vcpu(placement="static", count=vcpus),
                  os=OS(type=OSType(arch=arch, machine=machine, type=os_type)),
                  features=features, devices=Devices(emulator=emulator))


def disk_file(path: str, target: str, *, bus: str = "virtio", fmt: str = "qcow2",
              device: str = "disk", readonly: bool = False) -> Any:
    """``<disk type='file'>`` backed by an image file."""
    from .model.devices.disk import Disk, DiskDriver, DiskTarget, SourceFile

    return Disk(type="file", device=device, driver=DiskDriver(name="qemu", type=fmt),
                source=SourceFile(file=path), target=DiskTarget(dev=target, bus=bus),
                readonly=readonly)


def network_interface(network: str = "default", *, model: str = "virtio", mac: str | None = None,
                      bridge: str | None = None) -> Any:
    """``<interface type='network'>`` (or ``type='bridge'`` when ``bridge`` is given).
    Without ``mac`` one is generated with QEMU's prefix, as libvirt's parser does."""
    from .model.devices.interface import Interface, NetMac, NetModel, NetSource, generate_mac

    if mac is None:
        mac = generate_mac("52:54:00")

    src = NetSource(bridge=bridge) if bridge else NetSource(network=network)
    return Interface(type="bridge" if bridge else "network", mac=NetMac(address=mac),
                     source=src, model=NetModel(type=model))


def vnc_graphics(*, listen: str | None = None, port: int | None = None) -> Any:
    """``<graphics type='vnc'>``: autoport unless ``port`` is given."""
    from .model.devices.graphics import Graphics, GraphicsListen

    return Graphics(type="vnc", port=port if port is not None else 0, autoport=port is None,
                    listens=[GraphicsListen(type="address", address=listen)])


def serial_console() -> list[Any]:
    """A pty serial port and the console on it (``<serial>`` + ``<console>``)."""
    from .model.devices.chardev import ChrTarget, Console, Serial

    return [Serial(type="pty", target=ChrTarget(type="none", port=0)),
            Console(type="pty", target=ChrTarget(type="serial", port=0))]
