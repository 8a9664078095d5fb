"""Character devices (serial, parallel, console, channel): libvirt's
virDomainChrDefPostParse and virDomainChrIsaSerialDefPostParse."""

from __future__ import annotations

from typing import Any

from virtxml.errors import PostParseError

from .util import arch_is_x86, devlist, os_arch, set_field

MAX_ISA_SERIAL_PORTS = 4

CHR_LISTS = {"serial": "serials", "parallel": "parallels", "console": "consoles", "channel": "channels"}


def chr_kind(dev: Any) -> str | None:
    tag = getattr(type(dev), "__xml_tag__", None)
    return tag if tag in CHR_LISTS else None


def target(dev: Any) -> Any:
    return getattr(dev, "target", None)


def target_type(dev: Any) -> str | None:
    return getattr(target(dev), "type", None)


def set_target_type(dev: Any, value: str) -> None:
    tgt = target(dev)
    if tgt is None:
        tgt = _new_target(dev)
        if tgt is None:
            return
    set_field(tgt, "type", value)


def _new_target(dev: Any) -> Any:
    import attrs

    for f in attrs.fields(type(dev)):
        if f.name == "target":
            spec = f.metadata.get("virtxml")
            cls = getattr(spec, "cls", None)
            if cls is not None and not isinstance(cls, type):
                cls = cls()
            if cls is None:
                return None
            obj = cls()
            dev.target = obj
            return obj
    return None


def port(dev: Any) -> int:
    """target port, -1 when unset (libvirt's default)."""
    p = getattr(target(dev), "port", None)
    return -1 if p is None else int(p)


def set_port(dev: Any, value: int) -> None:
    tgt = target(dev)
    if tgt is None:
        tgt = _new_target(dev)
    if tgt is not None:
        set_field(tgt, "port", value)


def isa_serial_post_parse(dom: Any) -> None:
    """virDomainChrIsaSerialDefPostParse (fatal)."""
    serials = devlist(dom, "serials")
    used = [False] * MAX_ISA_SERIAL_PORTS
    count = 0
    for s in serials:
        if target_type(s) != "isa-serial":
            continue
        p = port(s)
        count += 1
        if count > MAX_ISA_SERIAL_PORTS or p >= MAX_ISA_SERIAL_PORTS:
            raise PostParseError("Maximum supported number of ISA serial ports is '%d'" % MAX_ISA_SERIAL_PORTS)
        if p != -1:
            if used[p]:
                raise PostParseError("target port '%d' already allocated" % p)
            used[p] = True
    for s in serials:
        if target_type(s) != "isa-serial" or port(s) != -1:
            continue
        for j in range(MAX_ISA_SERIAL_PORTS):
            if not used[j]:
                set_port(s, j)
                used[j] = True
                break


def chr_post_parse(dom: Any, dev: Any) -> None:
    """virDomainChrDefPostParse."""
    kind = chr_kind(dev)
    if kind is None:
        return
    if kind == "console" and target_type(dev) in (None, "none"):
        set_target_type(dev, "serial")
    if kind == "serial" and target_type(dev) == "isa-debug" and not arch_is_x86(os_arch(dom)):
        raise PostParseError("isa-debug serial type only valid on x86 architecture")
    if kind in ("serial", "parallel", "console") and port(dev) == -1:
        maxport = -1
        for other in devlist(dom, CHR_LISTS[kind]):
            maxport = max(maxport, port(other))
        set_port(dev, maxport + 1)
