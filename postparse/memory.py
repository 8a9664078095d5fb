"""virDomainDefPostParseMemory and virDomainDefPostParseMemtune."""

from __future__ import annotations

from typing import Any

from virtxml.errors import PostParseError
from virtxml.flags import ParseFlags

from .util import devlist, set_field

#: plain int: IntFlag operators build a new member on every call
_ABI_UPDATE_ANY = int(ParseFlags.ABI_UPDATE | ParseFlags.ABI_UPDATE_MIGRATION)


def numa_cells(dom: Any) -> list[Any]:
    numa = getattr(getattr(dom, "cpu", None), "numa", None)
    cells = getattr(numa, "cells", None)
    if cells is None:
        cells = getattr(numa, "cell", None)
    return list(cells or [])


def numa_memory(dom: Any) -> int:
    return sum(int(getattr(c, "memory", None) or 0) for c in numa_cells(dom))


def total_memory(dom: Any) -> int:
    mem = getattr(dom, "memory", None)
    if mem is None:
        return 0
    if isinstance(mem, int):
        return mem
    return int(getattr(mem, "value", None) or getattr(mem, "size", None) or 0)


def set_total_memory(dom: Any, value: int) -> None:
    mem = getattr(dom, "memory", None)
    if mem is None or isinstance(mem, int):
        if isinstance(mem, int) or mem is None:
            from virtxml.model.memory import MemoryElement

            try:
                dom.memory = MemoryElement(value=value)
            except TypeError:
                dom.memory = MemoryElement(size=value)
        return
    if not set_field(mem, "value", value):
        set_field(mem, "size", value)


def device_memory(dev: Any) -> int:
    tgt = getattr(dev, "target", None)
    size = getattr(tgt, "size", None)
    return int(size or 0)


def max_memory(dom: Any) -> tuple[int, int]:
    mm = getattr(dom, "max_memory", None)
    if mm is None:
        return 0, 0
    return int(getattr(mm, "value", None) or getattr(mm, "size", None) or 0), int(getattr(mm, "slots", None) or 0)


def post_parse_memory(dom: Any, flags: int) -> None:
    numa_mem = 0
    total = total_memory(dom)
    if total == 0 or flags & _ABI_UPDATE_ANY:
        numa_mem = numa_memory(dom)
    hotplug = sum(device_memory(m) for m in devlist(dom, "memories"))
    if numa_mem:
        total = numa_mem + hotplug
        set_total_memory(dom, total)
    elif hotplug > total:
        raise PostParseError("Total size of memory devices exceeds the total memory size")
    if total - hotplug == 0:
        raise PostParseError("Memory size must be specified via <memory> or in the <numa> configuration")
    cur = getattr(dom, "current_memory", None)
    if not cur or cur > total:
        dom.current_memory = total
    mmax, slots = max_memory(dom)
    if (mmax or slots) and not (mmax and slots):
        raise PostParseError("both maximum memory size and memory slot count must be specified")
    if mmax and mmax < total:
        raise PostParseError("maximum memory size must be equal or greater than the actual memory size")


def post_parse_memtune(dom: Any) -> None:
    """Without guest NUMA, a hugepage nodeset with no node after node 0
    (libvirt's virBitmapNextSetBit(mask, 0) < 0, i.e. nodeset='0') is
    dropped."""
    if numa_cells(dom):
        return
    hp = getattr(getattr(dom, "memory_backing", None), "hugepages", None)
    for page in getattr(hp, "pages", None) or []:
        ns = getattr(page, "nodeset", None)
        if ns is None:
            continue
        bits = ns if not isinstance(ns, str) else ()
        if all(b <= 0 for b in bits):
            page.nodeset = None
