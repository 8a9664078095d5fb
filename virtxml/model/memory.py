"""Memory sizing and tuning: ``<maxMemory>``, ``<memory>``, ``<blkiotune>``,
``<memtune>``, ``<memoryBacking>`` (virDomainDefFormatInternal order)."""

from __future__ import annotations

import re
from typing import Any

from ..binding import (ONOFF, UINT, Custom, attribute, custom_format, element, elements, flag,
                       text, text_element, xml)
from ..binding.conv import ConvError
from .common import HOOKED, SIZE_TEXT, Bitmap, empty_is_absent, int_conv, legacy_enum, scaled_hook
from .devices.info import omit_if_empty

#: VIR_DOMAIN_MEMORY_PARAM_UNLIMITED (KiB)
MEMORY_UNLIMITED = (1 << 53) - 1


@xml("maxMemory")
class MaxMemory:
    """``<maxMemory slots='N' unit='KiB'>size</maxMemory>`` (KiB)."""

    slots: int | None = attribute("slots", empty_is_absent(int_conv("Failed to parse memory slot count")))
    unit: str | None = attribute("unit")
    value: int | None = text(SIZE_TEXT)

    @classmethod
    def _xml_parse_hook(cls, kw: dict[str, Any], el: Any, ctx: Any) -> None:
        scaled_hook(kw, el, ctx, "./maxMemory[1]")
        kw["unit"] = "KiB"
        if kw.get("slots") is None:
            kw["slots"] = 0
        kw.setdefault("value", 0)

    @custom_format
    def xml_format(self, out: list[str], ind: str, flags: int) -> None:
        if not self.value and not self.slots:
            return
        out.append(f"{ind}<maxMemory slots='{self.slots or 0}' unit='KiB'>{self.value or 0}</maxMemory>\n")


@xml("memory")
class MemoryElement:
    """``<memory dumpCore='on|off' unit='KiB'>size</memory>`` (KiB)."""

    dump_core: bool | None = attribute("dumpCore", ONOFF)
    unit: str | None = attribute("unit")
    value: int | None = text(SIZE_TEXT)

    @classmethod
    def _xml_parse_hook(cls, kw: dict[str, Any], el: Any, ctx: Any) -> None:
        scaled_hook(kw, el, ctx, "./memory[1]")
        kw["unit"] = "KiB"
        kw.setdefault("value", 0)

    @custom_format
    def xml_format(self, out: list[str], ind: str, flags: int) -> None:
        dc = "" if self.dump_core is None else f" dumpCore='{'on' if self.dump_core else 'off'}'"
        out.append(f"{ind}<memory{dc} unit='KiB'>{self.value or 0}</memory>\n")


# ---------------------------------------------------------------- blkiotune

def _uint_or_none(s: str) -> int | None:
    try:
        return UINT.parse(s)  # type: ignore[no-any-return]
    except ConvError:
        return None


def _blkio_conv(what: str, bits: int = 32) -> Custom:
    """virStrToLong_ui / _ull: '-N' wraps to 2**bits - N."""
    top = (1 << bits) - 1

    def p(s: str) -> int:
        m = re.fullmatch(r"\s*([+-]?)(\d+)", s)
        if m is None or int(m.group(2)) > top:
            raise ValueError(s)
        n = int(m.group(2))
        return top + 1 - n if m.group(1) == "-" and n else n

    return Custom(p, str, message=f"could not parse {what} {{value}}", name="int")


@xml("device")
class BlkioDevice:
    path: str | None = text_element("path")
    weight: int | None = text_element("weight", _blkio_conv("weight"))
    read_iops_sec: int | None = text_element("read_iops_sec", _blkio_conv("read iops sec"))
    write_iops_sec: int | None = text_element("write_iops_sec", _blkio_conv("write iops sec"))
    read_bytes_sec: int | None = text_element("read_bytes_sec", _blkio_conv("read bytes sec", 64))
    write_bytes_sec: int | None = text_element("write_bytes_sec", _blkio_conv("write bytes sec", 64))

    @classmethod
    def _xml_parse_hook(cls, kw: dict[str, Any], el: Any, ctx: Any) -> None:
        # libvirt reads the children in order: the first <path>, the last
        # of each number
        for f, tag in (("weight", "weight"), ("read_iops_sec", "read_iops_sec"),
                       ("write_iops_sec", "write_iops_sec"), ("read_bytes_sec", "read_bytes_sec"),
                       ("write_bytes_sec", "write_bytes_sec")):
            found = el.findall(tag)
            if len(found) > 1 and found[-1].text is not None:
                spec_conv = _BLKIO_CONVS[f]
                try:
                    kw[f] = spec_conv.parse(found[-1].text)
                except ConvError as e:
                    ctx.bad_text(found[-1], found[-1].text, e)
        if kw.get("path") is None:
            raise ctx.error(el, "missing per-device path")

    def is_set(self) -> bool:
        return any((self.weight, self.read_iops_sec, self.write_iops_sec, self.read_bytes_sec,
                    self.write_bytes_sec))

    @custom_format
    def xml_format(self, out: list[str], ind: str, flags: int) -> None:
        if not self.is_set():
            return
        self._xml_format_generated(out, ind, flags)


_BLKIO_CONVS = {"weight": _blkio_conv("weight"), "read_iops_sec": _blkio_conv("read iops sec"),
                "write_iops_sec": _blkio_conv("write iops sec"),
                "read_bytes_sec": _blkio_conv("read bytes sec", 64),
                "write_bytes_sec": _blkio_conv("write bytes sec", 64)}


@xml("blkiotune")
class Blkiotune:
    #: an unparsable weight is silently 0 (unset), as in libvirt
    weight: int | None = text_element("weight", Custom(lambda s: _uint_or_none(s), lambda v: str(v)))
    devices: list[BlkioDevice] = elements("device", BlkioDevice)

    @classmethod
    def _xml_parse_hook(cls, kw: dict[str, Any], el: Any, ctx: Any) -> None:
        # (a path given twice is refused by validation, not here)
        if kw.get("weight") == 0:
            kw["weight"] = None

    @custom_format
    def xml_format(self, out: list[str], ind: str, flags: int) -> None:
        if self.weight is None and not any(d.is_set() for d in self.devices):
            return
        self._xml_format_generated(out, ind, flags)


# ---------------------------------------------------------------- memtune

def _limit_cls(tag: str) -> type:
    return xml(tag)(type("_Limit_" + tag, (), {"__annotations__": {"unit": "str | None", "value": "str | None"},
                                               "unit": attribute("unit"), "value": text()}))


_LIMIT_TAGS = ("hard_limit", "soft_limit", "min_guarantee", "swap_hard_limit")
_LIMIT_CLS = {t: _limit_cls(t) for t in _LIMIT_TAGS}


@xml("memtune")
class Memtune:
    """``<memtune>``: sizes in KiB; None when unset (libvirt's UNLIMITED)."""

    hard_limit: Any = element("hard_limit", _LIMIT_CLS["hard_limit"])
    soft_limit: Any = element("soft_limit", _LIMIT_CLS["soft_limit"])
    min_guarantee: Any = element("min_guarantee", _LIMIT_CLS["min_guarantee"])
    swap_hard_limit: Any = element("swap_hard_limit", _LIMIT_CLS["swap_hard_limit"])

    @classmethod
    def _xml_parse_hook(cls, kw: dict[str, Any], el: Any, ctx: Any) -> None:
        for t in _LIMIT_TAGS:
            o = kw.get(t)
            if o is None:
                continue
            what = f"./memtune/{t}[1]"
            sub = {"value": o.value, "unit": o.unit}
            if t == "min_guarantee":
                scaled_hook(sub, el, ctx, what)
                kw[t] = sub.get("value")
                continue
            scaled_hook(sub, el, ctx, what, max_bytes=MEMORY_UNLIMITED << 10)
            v = sub.get("value")
            kw[t] = None if v is None or v >= MEMORY_UNLIMITED else v

    @custom_format
    def xml_format(self, out: list[str], ind: str, flags: int) -> None:
        lines = []
        for t in ("hard_limit", "soft_limit", "min_guarantee", "swap_hard_limit"):
            v = getattr(self, t)
            if v is None or (t == "min_guarantee" and not v):
                continue
            lines.append(f"{ind}  <{t} unit='KiB'>{v}</{t}>\n")
        if lines:
            out.append(f"{ind}<memtune>\n")
            out.extend(lines)
            out.append(f"{ind}</memtune>\n")


# ---------------------------------------------------------------- memoryBacking

@xml("page")
class HugePage:
    size: int | None = attribute("size", HOOKED)
    unit: str | None = attribute("unit")
    nodeset: tuple[int, ...] | None = attribute("nodeset", Bitmap())

    @classmethod
    def _xml_parse_hook(cls, kw: dict[str, Any], el: Any, ctx: Any) -> None:
        sub = {"value": kw.get("size") or None, "unit": kw.get("unit")}  # virXPathString: empty is missing
        scaled_hook(sub, el, ctx, "./@size", required=True)
        if not sub["value"]:
            raise ctx.error(el, "hugepage size can't be zero")
        kw["size"] = sub["value"]
        kw["unit"] = "KiB"
        if kw.get("nodeset") is not None and not kw["nodeset"]:
            raise ctx.error(el, "Invalid value of 'nodeset': %s" % el.get("nodeset"))

    @custom_format
    def xml_format(self, out: list[str], ind: str, flags: int) -> None:
        ns = ""
        if self.nodeset is not None:
            ns = " nodeset='%s'" % Bitmap().fmt(self.nodeset)
        out.append(f"{ind}<page size='{self.size}' unit='KiB'{ns}/>\n")


@xml("hugepages")
class Hugepages:
    pages: list[HugePage] = elements("page", HugePage)


_SOURCE_TYPES = ("anonymous", "file", "memfd")
_ACCESS_MODES = ("shared", "private")
_ALLOC_MODES = ("immediate", "ondemand")


@xml("source")
class MemorySource:
    type: str | None = attribute("type", empty_is_absent(legacy_enum(
        _SOURCE_TYPES, "unknown memoryBacking/source/type '{value}'")))


@xml("access")
class MemoryAccess:
    mode: str | None = attribute("mode", empty_is_absent(legacy_enum(
        _ACCESS_MODES, "unknown memoryBacking/access/mode '{value}'")))


@xml("allocation")
class MemoryAllocation:
    mode: str | None = attribute("mode", empty_is_absent(legacy_enum(
        _ALLOC_MODES, "unknown memoryBacking/allocation/mode '{value}'")))
    threads: int | None = attribute("threads", empty_is_absent(int_conv("Failed to parse memory allocation threads")))


@omit_if_empty
@xml("memoryBacking")
class MemoryBacking:
    hugepages: Hugepages | None = element("hugepages", Hugepages)
    nosharepages: bool = flag("nosharepages")
    locked: bool = flag("locked")
    source: MemorySource | None = element("source", MemorySource)
    access: MemoryAccess | None = element("access", MemoryAccess)
    allocation: MemoryAllocation | None = element("allocation", MemoryAllocation)
    discard: bool = flag("discard")

    @classmethod
    def _xml_parse_hook(cls, kw: dict[str, Any], el: Any, ctx: Any) -> None:
        for f in ("source", "access"):
            o = kw.get(f)
            if o is not None and next(iter(o.__attrs_attrs__)) and getattr(o, o.__attrs_attrs__[0].name) is None:
                kw[f] = None
        a = kw.get("allocation")
        if a is not None and a.mode is None and not a.threads:
            kw["allocation"] = None
        if a is not None and a.threads == 0:
            a.threads = None
