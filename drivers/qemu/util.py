"""Helpers of the QEMU driver: tolerant model access, new devices, machine
type predicates (qemuDomainIs*), device iteration in libvirt's order."""

from __future__ import annotations

import itertools
import operator
from typing import Any, Iterator

import attrs

from postparse.implicit import device_class, field_class  # noqa: F401 - re-exported for the driver
from postparse.implicit import ensure_devices as _ensure_devices
from postparse.util import (arch_is_arm, arch_is_ppc64, arch_is_riscv, arch_is_s390, arch_is_x86, device_lists,
                            has_field, os_arch, set_field)


def get(obj: Any, name: str, default: Any = None) -> Any:
    """``obj.name``, or ``default`` when ``obj`` is None or lacks the field."""
    if obj is None:
        return default
    return getattr(obj, name, default)


def devlist(dom: Any, name: str) -> list[Any]:
    """A ``<devices>`` list (a single-device field as a 0/1-element list)."""
    devs = getattr(dom, "devices", None)
    if devs is None:
        return []
    val = getattr(devs, name, None)
    if val is None:
        return []
    if val.__class__ is list:
        return val
    return [val]

__all__ = ["get", "set_field", "has_field", "devlist", "arch_is_arm", "arch_is_ppc64",
           "arch_is_riscv", "arch_is_s390", "arch_is_x86"]


# ------------------------------------------------------------------ domain bits

def arch(dom: Any) -> str | None:
    return os_arch(dom)


def machine(dom: Any) -> str | None:
    t = getattr(getattr(dom, "os", None), "type", None)
    return None if t is None else getattr(t, "machine", None)


def set_machine(dom: Any, value: str) -> None:
    t = getattr(getattr(dom, "os", None), "type", None)
    if t is not None:
        set_field(t, "machine", value)


def virt_type(dom: Any) -> str:
    return getattr(dom, "type", None) or "qemu"


def emulator(dom: Any) -> str | None:
    return getattr(getattr(dom, "devices", None), "emulator", None)


def ensure_devices(dom: Any) -> Any:
    return _ensure_devices(dom)


def feature_state(dom: Any, name: str) -> Any:
    """The value of a ``<features>`` child (None when absent)."""
    return getattr(getattr(dom, "features", None), name, None)


# ------------------------------------------------------------------ machine types

def _is_x86(dom: Any) -> bool:
    return arch_is_x86(arch(dom))


def machine_is_q35(m: str | None, a: str | None) -> bool:
    return arch_is_x86(a) and m is not None and (m == "q35" or m.startswith("pc-q35"))


def machine_is_i440fx(m: str | None, a: str | None) -> bool:
    return arch_is_x86(a) and m is not None and (
        m == "pc" or m.startswith(("pc-0.", "pc-1.", "pc-i440fx-", "rhel")))


def is_q35(dom: Any) -> bool:
    return machine_is_q35(machine(dom), arch(dom))


def is_i440fx(dom: Any) -> bool:
    return machine_is_i440fx(machine(dom), arch(dom))


def is_xenfv(dom: Any) -> bool:
    m = machine(dom)
    return _is_x86(dom) and m is not None and m.startswith("xenfv")


def is_microvm(dom: Any) -> bool:
    return _is_x86(dom) and machine(dom) == "microvm"


def is_s390_ccw(dom: Any) -> bool:
    m = machine(dom)
    return arch_is_s390(arch(dom)) and m is not None and m.startswith("s390-ccw")


def is_arm_virt(dom: Any) -> bool:
    m = machine(dom)
    return arch(dom) in ("armv6l", "armv7l", "aarch64") and m is not None and (
        m == "virt" or m.startswith("virt-"))


def is_riscv_virt(dom: Any) -> bool:
    m = machine(dom)
    return arch_is_riscv(arch(dom)) and m is not None and (m == "virt" or m.startswith("virt-"))


def is_pseries(dom: Any) -> bool:
    m = machine(dom)
    return arch_is_ppc64(arch(dom)) and m is not None and (m == "pseries" or m.startswith("pseries-"))


def is_mips_malta(dom: Any) -> bool:
    return arch(dom) in ("mips", "mipsel", "mips64", "mips64el") and machine(dom) == "malta"


def supports_pci(dom: Any, caps: Any) -> bool:
    """qemuDomainSupportsPCI."""
    a = arch(dom)
    if a not in ("armv6l", "armv7l", "aarch64") and not arch_is_riscv(a):
        return True
    if machine(dom) == "versatilepb":
        return True
    if (is_arm_virt(dom) or is_riscv_virt(dom)) and caps is not None and caps.has("gpex-pcihost"):
        return True
    return False


# ------------------------------------------------------------------ controllers

def controllers(dom: Any) -> list[Any]:
    return devlist(dom, "controllers")


def ctype(c: Any) -> str | None:
    return getattr(c, "type", None)


def cindex(c: Any) -> int:
    i = getattr(c, "index", None)
    return -1 if i is None else int(i)


def cmodel(c: Any) -> str | None:
    return getattr(c, "model", None)


def find_controller(dom: Any, type_: str, idx: int) -> Any:
    for c in controllers(dom):
        if ctype(c) == type_ and cindex(c) == idx:
            return c
    return None


def has_pci_root(dom: Any) -> bool:
    c = find_controller(dom, "pci", 0)
    return c is not None and cmodel(c) == "pci-root"


def has_pcie_root(dom: Any) -> bool:
    c = find_controller(dom, "pci", 0)
    return c is not None and cmodel(c) == "pcie-root"


# ------------------------------------------------------------------ new objects

_FIELD_NAMES: dict[type, frozenset[str]] = {}


def new_obj(cls: Any, **kw: Any) -> Any:
    """``cls(**kw)`` keeping only the fields the model has."""
    names = _FIELD_NAMES.get(cls)
    if names is None:  # the field names of a class, computed once
        names = _FIELD_NAMES[cls] = frozenset(f.name for f in attrs.fields(cls))
    return cls(**{k: v for k, v in kw.items() if k in names})


def new_device(list_name: str, **kw: Any) -> Any:
    return new_obj(device_class(list_name), **kw)


def add_controller(dom: Any, type_: str, idx: int, model: str | None = None) -> Any:
    """virDomainDefAddController: append a controller."""
    kw: dict[str, Any] = {"type": type_, "index": idx}
    if model is not None:
        kw["model"] = model
    cont = new_device("controllers", **kw)
    ensure_devices(dom).controllers.append(cont)
    return cont


def maybe_add_controller(dom: Any, type_: str, idx: int, model: str | None = None) -> Any:
    if find_controller(dom, type_, idx) is not None:
        return None
    return add_controller(dom, type_, idx, model)


# ------------------------------------------------------------------ addresses

def addr_type(dev: Any) -> str | None:
    a = getattr(dev, "address", None)
    return None if a is None else getattr(a, "type", None)


def set_address(dev: Any, addr: Any) -> None:
    set_field(dev, "address", addr)


# ------------------------------------------------------------------ iteration

#: virDomainDeviceInfoIterateFlags order: (list name, device kind)
INFO_ORDER: tuple[tuple[str, str], ...] = (
    ("disks", "disk"), ("interfaces", "net"), ("sounds", "sound"), ("hostdevs", "hostdev"),
    ("videos", "video"), ("controllers", "controller"), ("smartcards", "smartcard"),
    ("serials", "serial"), ("parallels", "parallel"), ("channels", "channel"),
    ("consoles", "console"), ("inputs", "input"), ("filesystems", "fs"),
    ("watchdogs", "watchdog"), ("memballoon", "memballoon"), ("hubs", "hub"),
    ("shmems", "shmem"), ("tpms", "tpm"), ("panics", "panic"), ("memories", "memory"),
    ("redirdevs", "redirdev"), ("rngs", "rng"), ("nvram", "nvram"), ("vsocks", "vsock"),
    ("cryptos", "crypto"), ("iommu", "iommu"),
)


_INFO_NAMES = tuple(name for name, _kind in INFO_ORDER)
_GET_INFO_LISTS = operator.attrgetter(*_INFO_NAMES)


def _info_lists(dom: Any) -> tuple[Any, Any]:
    """(the device lists in INFO_ORDER, the serials) of ``dom``'s devices."""
    devs = getattr(dom, "devices", None)
    if devs is None:
        return (), None
    return device_lists(devs, _INFO_NAMES, _GET_INFO_LISTS), getattr(devs, "serials", None)


def _skips_first_console(consoles: list[Any], all_consoles: bool, serials: Any) -> bool:
    """The first console is the serial-compat one, visited as the serial."""
    return not all_consoles and bool(serials) and \
        getattr(getattr(consoles[0], "target", None), "type", None) in (None, "serial")


def iter_info_devices(dom: Any, all_consoles: bool = False) -> Iterator[tuple[str, Any]]:
    """(kind, device) for every device with device info, libvirt's order."""
    lists, serials = _info_lists(dom)
    for (_name, kind), items in zip(INFO_ORDER, lists):
        if items.__class__ is list:
            if not items:
                continue
            if kind == "console" and _skips_first_console(items, all_consoles, serials):
                for dev in itertools.islice(items, 1, None):
                    yield kind, dev
                continue
            for dev in items:
                yield kind, dev
        elif items is not None:
            yield kind, items


def info_devices(dom: Any, all_consoles: bool = False) -> list[tuple[str, Any]]:
    """``list(iter_info_devices(dom, all_consoles))`` without the generator
    (the PCI assignment lists the devices per pass)."""
    lists, serials = _info_lists(dom)
    out: list[tuple[str, Any]] = []
    for (_name, kind), items in zip(INFO_ORDER, lists):
        if items.__class__ is list:
            if not items:
                continue
            skip = kind == "console" and _skips_first_console(items, all_consoles, serials)
            for dev in itertools.islice(items, 1, None) if skip else items:
                out.append((kind, dev))
        elif items is not None:
            out.append((kind, items))
    return out
