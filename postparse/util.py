"""Small helpers shared by the post-parse steps: device iteration in
libvirt's order, tolerant field access (the model grows area by area),
arch families."""

from __future__ import annotations

import operator
from typing import Any

import attrs

#: virDomainDeviceInfoIterateInternal's order (device lists with info)
ITERATE_ORDER: tuple[str, ...] = (
    "disks", "interfaces", "sounds", "hostdevs", "videos", "controllers", "smartcards",
    "serials", "parallels", "channels", "consoles", "inputs", "filesystems", "watchdogs",
    "memballoon", "rngs", "nvram", "hubs", "shmems", "tpms", "panics", "memories", "redirdevs",
    "vsocks", "cryptos",
)
#: devices without device info, visited with DOMAIN_DEVICE_ITERATE_MISSING_INFO
MISSING_INFO_ORDER: tuple[str, ...] = ("graphics", "leases", "iommu", "audios")


def get(obj: Any, name: str, default: Any = None) -> Any:
    """``obj.name`` or ``default`` when ``obj`` is None or has no such field."""
    if obj is None:
        return default
    return getattr(obj, name, default)


_FIELD_NAMES: dict[type, frozenset[str] | None] = {}


def _field_names(cls: type) -> frozenset[str] | None:
    try:
        return _FIELD_NAMES[cls]
    except KeyError:
        pass
    try:
        names: frozenset[str] | None = frozenset(f.name for f in attrs.fields(cls))
    except Exception:  # noqa: BLE001 - not an attrs class
        names = None
    _FIELD_NAMES[cls] = names
    return names


def has_field(obj: Any, name: str) -> bool:
    if obj is None:
        return False
    names = _field_names(type(obj))
    if names is None:
        return hasattr(obj, name)
    return name in names


def set_field(obj: Any, name: str, value: Any) -> bool:
    """Set ``obj.name`` when the model has that field; returns whether it did."""
    if has_field(obj, name):
        setattr(obj, name, value)
        return True
    return False


def devlist(dom: Any, name: str) -> list[Any]:
    # getattr(None, name, None) is None: no separate None checks needed
    val = getattr(getattr(dom, "devices", None), name, None)
    if val is None:
        return []
    if val.__class__ is list or isinstance(val, list):
        return val  # type: ignore[no-any-return]
    return [val]


_GET_ITERATE = operator.attrgetter(*ITERATE_ORDER)
_GET_MISSING_INFO = operator.attrgetter(*MISSING_INFO_ORDER)


def device_lists(devs: Any, names: tuple[str, ...], getter: Any) -> Any:
    """The values of ``names`` on ``devs`` (one C call when the model has
    them all, else one by one with None for a missing field)."""
    try:
        return getter(devs)
    except AttributeError:
        return tuple(getattr(devs, n, None) for n in names)


def iter_postparse_devices(dom: Any, all_consoles: bool = True,
                           missing_info: bool = True) -> list[Any]:
    """Every device in libvirt's iteration order (a new list: callbacks
    may add devices while the caller walks it).

    Without ``all_consoles`` the first console is skipped when it is the
    serial-compat console (libvirt does not visit it twice)."""
    devs = getattr(dom, "devices", None)
    if devs is None:
        return []
    out: list[Any] = []
    # most kinds are empty: filter() drops them in C (a singleton device is
    # a model object, always true)
    for items in filter(None, device_lists(devs, ITERATE_ORDER, _GET_ITERATE)):
        if items.__class__ is list:
            out += items
        else:
            out.append(items)
    if not all_consoles:
        consoles = getattr(devs, "consoles", None)
        if consoles and _is_compat_console(dom, consoles[0]):
            out.remove(consoles[0])
    if missing_info:
        for items in filter(None, device_lists(devs, MISSING_INFO_ORDER, _GET_MISSING_INFO)):
            if items.__class__ is list:
                out += items
            else:
                out.append(items)
    return out


def _is_compat_console(dom: Any, console: Any) -> bool:
    from .chr import target_type

    return os_type(dom) == "hvm" and target_type(console) in ("serial", "none", None)


def device_kind(dev: Any) -> str:
    """The XML tag of a device object (``disk``, ``controller``, ...)."""
    cls = type(dev)
    tag = getattr(cls, "__xml_tag__", _MISSING)
    return cls.__name__.lower() if tag is _MISSING else tag  # type: ignore[no-any-return]


_MISSING = object()


# ---------------------------------------------------------------- arches
def arch_is_x86(arch: str | None) -> bool:
    return arch in ("i686", "x86_64")


def arch_is_ppc64(arch: str | None) -> bool:
    return arch in ("ppc64", "ppc64le")


def arch_is_ppc(arch: str | None) -> bool:
    return arch in ("ppc", "ppcle", "ppc64", "ppc64le", "ppcemb")


def arch_is_s390(arch: str | None) -> bool:
    return arch in ("s390", "s390x")


def arch_is_arm(arch: str | None) -> bool:
    return arch in ("armv6l", "armv7l", "armv7b", "aarch64")


def arch_is_riscv(arch: str | None) -> bool:
    return arch in ("riscv32", "riscv64")


def os_type(dom: Any) -> str | None:
    """``<os><type>`` text (hvm, xen, linux, exe, xenpvh, uml)."""
    # getattr(None, name, None) is None: the same as get() here
    t = getattr(getattr(dom, "os", None), "type", None)
    if t is None:
        return None
    if isinstance(t, str):
        return t
    return getattr(t, "value", None) or getattr(t, "text", None) or getattr(t, "type", None)


def os_arch(dom: Any) -> str | None:
    os_ = getattr(dom, "os", None)
    t = getattr(os_, "type", None)
    if t is not None and not isinstance(t, str):
        a = getattr(t, "arch", None)
        if a is not None:
            return a
    return getattr(os_, "arch", None)
