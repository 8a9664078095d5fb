"""``<memory>`` devices: dimm, nvdimm, virtio-pmem, virtio-mem, sgx-epc
(libvirt 9.0's virDomainMemoryDefParseXML / virDomainMemoryDefFormat).

libvirt keeps one flat structure and reads / writes each part only for the
models that use it, so the parse hook drops what the model does not read:

============  =========================================  ==========================
model         <source>                                   <target> beyond size/node
============  =========================================  ==========================
dimm          nodemask, pagesize                         -
virtio-mem    nodemask, pagesize                         block, requested, current
nvdimm        path, alignsize, pmem                      label/size, readonly
virtio-pmem   path                                       -
sgx-epc       nodemask                                   -
============  =========================================  ==========================

``<uuid>`` is read for nvdimm only.  Sizes are KiB.  Output order:
``model access discard``; ``<uuid>``, ``<source>`` (only when it has
content), ``<target>``, ``<alias>``, ``<acpi>``, ``<address>``.  In
``<target>``: size, node, label, readonly, block, requested, current —
``requested`` is written whenever ``block`` is, ``current`` only in live
output (libvirt 9.0 never reads it back: it is run-time state, 0 after a
parse).
"""

from __future__ import annotations

import re
from typing import Any

import attrs

from ...binding import YESNO, ConvError, Custom, Enum, attribute, custom_format, element, flag, text_element, xml
from ...binding.conv import Scaled, ScaleError, parse_scaled
from ...binding.spec import SCALED, XSpec, _field
from ...flags import FormatFlags
from .info import ACPI, Address, Alias, Master
from .rng import check_attr, check_info, first_child, prechecked

MEMORY_MODELS = ("dimm", "nvdimm", "virtio-pmem", "virtio-mem", "sgx-epc")
MEMORY_ACCESS = ("shared", "private")
CPUMASK_LEN = 16384  # VIR_DOMAIN_CPUMASK_LEN


# ------------------------------------------------------------------ helpers

def parse_uuid(s: str) -> str:
    """virUUIDParse -> canonical lower-case text; raises ValueError."""
    i, n = 0, len(s)
    while i < n and s[i] in " \t\n\v\f\r":
        i += 1
    digits: list[str] = []
    while len(digits) < 32:
        if i >= n:
            raise ValueError(s)
        c = s[i]
        if c in "- ":
            i += 1
            continue
        if i + 1 >= n or c not in "0123456789abcdefABCDEF" or s[i + 1] not in "0123456789abcdefABCDEF":
            raise ValueError(s)
        digits.append(s[i:i + 2].lower())
        i += 2
        if len(digits) == 16:
            break
    while i < n:
        if s[i] not in " \t\n\v\f\r":
            raise ValueError(s)
        i += 1
    h = "".join(digits)
    return "%s-%s-%s-%s-%s" % (h[0:8], h[8:12], h[12:16], h[16:20], h[20:32])


_SPACES = " \t\n\v\f\r"


def parse_bitmap(s: str, limit: int = CPUMASK_LEN) -> frozenset[int]:
    """virBitmapParse (limited): ``N``, ``N-M``, ``^N`` joined by commas,
    blanks allowed around the parts; raises ValueError."""
    bits: set[int] = set()
    i, n = 0, len(s)

    def skip() -> None:
        nonlocal i
        while i < n and s[i] in _SPACES:
            i += 1

    def number() -> int:
        nonlocal i
        j = i
        while j < n and s[j] in _SPACES:
            j += 1
        k = j
        if k < n and s[k] in "+-":
            k += 1
        m = k
        while m < n and s[m].isdigit() and s[m].isascii():
            m += 1
        if m == k:
            raise ValueError(s)
        v = int(s[j:m])
        if v > 0x7FFFFFFF or v < -0x80000000:
            raise ValueError(s)
        i = m
        return v

    skip()
    if i >= n:
        raise ValueError(s)
    while i < n:
        neg = False
        if s[i] == "^":
            i += 1
            neg = True
        if i >= n or not (s[i].isdigit() and s[i].isascii()):
            raise ValueError(s)
        start = number()
        if start < 0:
            raise ValueError(s)
        skip()
        if i >= n or s[i] == ",":
            if start >= limit:
                raise ValueError(s)
            if neg:
                bits.discard(start)
            else:
                bits.add(start)
        elif s[i] == "-":
            if neg:
                raise ValueError(s)
            i += 1
            skip()
            last = number()
            if last < start:
                raise ValueError(s)
            if last >= limit:
                raise ValueError(s)
            bits.update(range(start, last + 1))
            skip()
        if i < n and s[i] == ",":
            i += 1
            skip()
        elif i >= n:
            break
        else:
            raise ValueError(s)
    return frozenset(bits)


def format_bitmap(bits: Any) -> str:
    """virBitmapFormat: ``0-2,5``."""
    out: list[str] = []
    b = sorted(bits)
    i = 0
    while i < len(b):
        j = i
        while j + 1 < len(b) and b[j + 1] == b[j] + 1:
            j += 1
        out.append(str(b[i]) if i == j else "%d-%d" % (b[i], b[j]))
        i = j + 1
    return ",".join(out)


def _canon_bitmap(s: str) -> str:
    try:
        return format_bitmap(parse_bitmap(s))
    except ValueError:
        raise ConvError("Failed to parse bitmap '{value}'") from None


#: a nodemask stored as libvirt's canonical text
NODEMASK = Custom(_canon_bitmap, str, name="bitmap")


class RawSize(Scaled):
    """Keeps ``(text, unit)`` at bind time; the memory device's parse hook
    converts what libvirt reads for the model (virDomainParseMemory)."""

    def __init__(self) -> None:
        super().__init__("KiB")

    def parse_with_unit(self, value: str, unit: str | None, what: str) -> Any:
        return (value, unit)


def kib(name: str) -> Any:
    """A ``<name unit='KiB'>N</name>`` field (KiB once parsed)."""
    return _field(XSpec(SCALED, name, RawSize()))


_RAW = Custom(lambda s: s, str, name="string")


# ------------------------------------------------------------------ classes

@xml("source")
class MemorySource:
    nodemask: str | None = text_element("nodemask", _RAW)
    pagesize: int | None = kib("pagesize")
    path: str | None = text_element("path")
    alignsize: int | None = kib("alignsize")
    pmem: bool = flag("pmem")

    def is_empty(self) -> bool:
        return (self.nodemask is None and not self.pagesize and self.path is None and not self.alignsize
                and not self.pmem)


@xml("label")
class MemoryLabel:
    size: int | None = kib("size")


@xml("target")
class MemoryTarget:
    size: int | None = kib("size")
    node: int | None = text_element("node", _RAW)
    label: MemoryLabel | None = element("label", MemoryLabel)
    readonly: bool = flag("readonly")
    block: int | None = kib("block")
    requested: int | None = kib("requested")
    #: virtio-mem run-time size; never read back by libvirt 9.0
    current: int | None = kib("current")

    @custom_format
    def xml_format(self, out: list[str], ind: str, flags: int) -> None:
        cur = None
        if self.block and not flags & FormatFlags.INACTIVE:
            cur = self.current or 0
        req = (self.requested or 0) if self.block else None
        label = self.label if self.label is not None and self.label.size else None
        obj = attrs.evolve(self, current=cur, requested=req, label=label, size=self.size or 0)
        obj._xml_format_generated(out, ind, flags)


_INT_RE = re.compile(r"[ \t\n\v\f\r]*[+-]?[0-9]+\Z")


def _xpath_int(raw: str | None) -> int | None:
    """virXPathInt (virStrToLong_i): None when absent/empty, ValueError when
    not an int."""
    if raw is None or raw == "":
        return None
    if _INT_RE.match(raw) is None:
        raise ValueError(raw)
    v = int(raw.lstrip(_SPACES))
    if v > 0x7FFFFFFF or v < -0x80000000:
        raise ValueError(raw)
    return v


def _string(el: Any, tag: str) -> tuple[Any, str | None]:
    """virXPathString("string(./tag)"): the first such child and its text
    (None when empty)."""
    for c in el:
        if c.tag == tag:
            return c, ("".join(c.itertext()) or None)
    return None, None


def _size(el: Any, path: tuple[str, ...], xpath: str, ctx: Any, *, required: bool = False) -> int:
    """virDomainParseMemory(xpath) below ``el``: 0 when absent."""
    node = el
    for tag in path:
        node, _t = _string(node, tag) if node is not None else (None, None)
    txt = "".join(node.itertext()) if node is not None else ""
    if not txt:
        if required:
            raise ctx.error(el, f"missing element or attribute '{xpath}'")
        return 0
    try:
        b = parse_scaled(txt, node.get("unit"), xpath)
    except ScaleError as e:
        raise ctx.error(node, e.message) from None
    return -(-b // 1024)


def _nodemask(src: Any, ctx: Any) -> str | None:
    nm_el, raw = _string(src, "nodemask")
    if raw is None:
        return None
    try:
        nm = format_bitmap(parse_bitmap(raw))
    except ValueError:
        raise ctx.error(nm_el, f"Failed to parse bitmap '{raw}'") from None
    if nm == "":
        raise ctx.error(nm_el, f"Invalid value of 'nodemask': {raw}")
    return nm


_MODEL = Enum(("",) + MEMORY_MODELS, zero="")
_ACCESS = Enum(("default",) + MEMORY_ACCESS, zero="default")


def parse_memory(el: Any, ctx: Any) -> dict[str, Any]:
    """virDomainMemoryDefParseXML without the device info: the canonical
    field values, libvirt's errors in libvirt's order."""
    model = check_attr(el, ctx, "model", _MODEL, required=True)
    out: dict[str, Any] = {"model": model, "access": check_attr(el, ctx, "access", _ACCESS),
                           "discard": check_attr(el, ctx, "discard", YESNO), "uuid": None, "source": None}
    if model == "nvdimm":
        u_el, u = _string(el, "uuid")
        if u is not None:
            try:
                out["uuid"] = parse_uuid(u)
            except ValueError:
                raise ctx.error(u_el, "malformed uuid element") from None
    src = first_child(el, "source")
    if src is not None:
        if model in ("dimm", "virtio-mem"):
            page = _size(src, ("pagesize",), "./pagesize", ctx)
            out["source"] = MemorySource(nodemask=_nodemask(src, ctx), pagesize=page or None)
        elif model == "nvdimm":
            _p, path = _string(src, "path")
            align = _size(src, ("alignsize",), "./alignsize", ctx)
            out["source"] = MemorySource(path=path, alignsize=align or None,
                                         pmem=first_child(src, "pmem") is not None)
        elif model == "virtio-pmem":
            out["source"] = MemorySource(path=_string(src, "path")[1])
        elif model == "sgx-epc":
            out["source"] = MemorySource(nodemask=_nodemask(src, ctx))
    tel = first_child(el, "target")
    if tel is None:
        raise ctx.error(el, "missing <target> element for <memory> device")
    node_el, node_raw = _string(tel, "node")
    try:
        node = _xpath_int(node_raw)
    except ValueError:
        raise ctx.error(node_el, "invalid value of memory device node") from None
    if node is not None and node < 0:
        raise ctx.error(node_el, "invalid value of memory device node")
    size = _size(tel, ("size",), "./size", ctx, required=True)
    tgt = MemoryTarget(size=size, node=node)
    if model == "nvdimm":
        label = _size(tel, ("label", "size"), "./label/size", ctx)
        if label and label < 128:
            raise ctx.error(tel, "nvdimm label must be at least 128KiB")
        if label >= size:
            raise ctx.error(tel, "label size must be smaller than NVDIMM size")
        tgt.label = MemoryLabel(size=label) if label else None
        tgt.readonly = first_child(tel, "readonly") is not None
    elif model == "virtio-mem":
        block = _size(tel, ("block",), "./block", ctx)
        requested = _size(tel, ("requested",), "./requested", ctx)
        if block:
            tgt.block, tgt.requested = block, requested
    out["target"] = tgt
    return out


@prechecked
@xml("memory")
class MemoryDevice:
    model: str | None = attribute("model", _MODEL)
    access: str | None = attribute("access", _ACCESS)
    discard: bool | None = attribute("discard", YESNO)
    uuid: str | None = text_element("uuid", _RAW)
    source: MemorySource | None = element("source", MemorySource)
    target: MemoryTarget | None = element("target", MemoryTarget)
    alias: Alias | None = element("alias", Alias)
    master: Master | None = element("master", Master)
    acpi: ACPI | None = element("acpi", ACPI)
    address: Address | None = element("address", Address)

    @staticmethod
    def _xml_precheck(el: Any, ctx: Any) -> None:
        parse_memory(el, ctx)
        check_info(el, ctx)

    @classmethod
    def _xml_parse_hook(cls, kw: dict[str, Any], el: Any, ctx: Any) -> None:
        kw.update(parse_memory(el, ctx))

    @custom_format
    def xml_format(self, out: list[str], ind: str, flags: int) -> None:
        src = self.source
        if src is not None and src.is_empty():
            attrs.evolve(self, source=None)._xml_format_generated(out, ind, flags)
        else:
            self._xml_format_generated(out, ind, flags)


__all__ = ["MemoryDevice", "MemorySource", "MemoryTarget", "MemoryLabel", "MEMORY_MODELS", "MEMORY_ACCESS",
           "parse_uuid", "parse_bitmap", "format_bitmap", "NODEMASK", "parse_memory"]
