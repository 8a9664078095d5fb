"""Small helpers shared by the post-parse steps: device iteration in
libvirt's order, tolerant field access (the model grows area by area),
arch families."""

from __future__ import annotations

from typing import Any, Iterator

import attrs

#: virDomainDeviceInfoIterateInternal's order (device lists with info)
ITERATE_ORDER: tuple[str, ...] = (
    "disks", "interfaces", "sounds", "hostdevs", "videos", "controllers", "smartcards",
    "serials", "parallels", "channels", "consoles", "inputs", "filesystems", "watchdogs",
    "memballoon", "hubs", "shmems", "tpms", "panics", "memories", "redirdevs", "rngs",
    "nvram", "vsocks", "cryptos",
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


def iter_postparse_devices(dom: Any, all_consoles: bool = True,
                           missing_info: bool = True) -> Iterator[Any]:
    """Every device in libvirt's iteration order.

    Without ``all_consoles`` the first console is skipped when it is the
    serial-compat console (libvirt does not visit it twice)."""
    devs = getattr(dom, "devices", None)
    for name in ITERATE_ORDER:
        items = getattr(devs, name, None)
        if items is None:
            continue
        if not isinstance(items, list):
            items = [items]
        if name == "consoles" and not all_consoles:
            for i, dev in enumerate(items):
                if i == 0 and _is_compat_console(dom, dev):
                    continue
                yield dev
            continue
        yield from items
    if missing_info:
        for name in MISSING_INFO_ORDER:
            items = getattr(devs, name, None)
            if items is None:
                continue
            if not isinstance(items, list):
                items = [items]
            yield from items


def _is_compat_console(dom: Any, console: Any) -> bool:
    from .chr import target_type

    return os_type(dom) == "hvm" and target_type(console) in ("serial", "none", None)


def device_kind(dev: Any) -> str:
    """The XML tag of a device object (``disk``, ``controller``, ...)."""
    return getattr(type(dev), "__xml_tag__", type(dev).__name__.lower())


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
    os_ = get(dom, "os")
    t = get(os_, "type")
    if t is None:
        return None
    if isinstance(t, str):
        return t
    return get(t, "value", None) or get(t, "text", None) or get(t, "type", None)


def os_arch(dom: Any) -> str | None:
    os_ = get(dom, "os")
    t = get(os_, "type")
    if t is not None and not isinstance(t, str):
        a = get(t, "arch")
        if a is not None:
            return a
    return get(os_, "arch")
