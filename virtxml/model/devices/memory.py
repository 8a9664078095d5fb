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

from ...binding import YESNO, ConvError, Custom, Enum, custom_format, attribute, element, flag, text_element, xml
from ...binding.conv import Scaled, parse_scaled
from ...binding.spec import SCALED, XSpec, _field
from ...flags import FormatFlags
from .info import ACPI, Address, Alias

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


#: a nodemask stored as libvirt's canonical text ("" when every bit is clear)
NODEMASK = Custom(_canon_bitmap, str, name="bitmap")


class KiBScaled(Scaled):
    """virDomainParseMemory with libvirt's own xpath in messages."""

    def __init__(self, xpath: str) -> None:
        super().__init__("KiB")
        self.xpath = xpath

    def parse_with_unit(self, value: str, unit: str | None, what: str) -> int:
        return super().parse_with_unit(value, unit, self.xpath)


def kib(name: str, xpath: str) -> Any:
    """A ``<name unit='KiB'>N</name>`` field, errors naming ``xpath``."""
    return _field(XSpec(SCALED, name, KiBScaled(xpath)))


# ------------------------------------------------------------------ classes

@xml("source")
class MemorySource:
    nodemask: str | None = text_element("nodemask", NODEMASK)
    pagesize: int | None = kib("pagesize", "./pagesize")
    path: str | None = text_element("path")
    alignsize: int | None = kib("alignsize", "./alignsize")
    pmem: bool = flag("pmem")

    def is_empty(self) -> bool:
        return (self.nodemask is None and not self.pagesize and self.path is None and not self.alignsize
                and not self.pmem)


@xml("label")
class MemoryLabel:
    size: int | None = kib("size", "./label/size")


_NODE_RAW = Custom(lambda s: s, str, name="int")


@xml("target")
class MemoryTarget:
    size: int | None = kib("size", "./size")
    node: int | None = text_element("node", _NODE_RAW)
    label: MemoryLabel | None = element("label", MemoryLabel)
    readonly: bool = flag("readonly")
    block: int | None = kib("block", "./block")
    requested: int | None = kib("requested", "./requested")
    #: virtio-mem run-time size; never read back by libvirt 9.0
    current: int | None = kib("current", "./current")

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


_UUID_RAW = Custom(lambda s: s, str, name="uuid")


@xml("memory")
class MemoryDevice:
    model: str | None = attribute("model", Enum(("",) + MEMORY_MODELS, zero=""))
    access: str | None = attribute("access", Enum(("default",) + MEMORY_ACCESS, zero="default"))
    discard: bool | None = attribute("discard", YESNO)
    uuid: str | None = text_element("uuid", _UUID_RAW)
    source: MemorySource | None = element("source", MemorySource)
    target: MemoryTarget | None = element("target", MemoryTarget)
    alias: Alias | None = element("alias", Alias)
    acpi: ACPI | None = element("acpi", ACPI)
    address: Address | None = element("address", Address)

    @classmethod
    def _xml_parse_hook(cls, kw: dict[str, Any], el: Any, ctx: Any) -> None:
        model = kw.get("model")
        if model is None:
            raise ctx.error(el, "Missing required attribute 'model' in element 'memory'")
        # <uuid>: nvdimm only; libvirt reads string(./uuid[1]) (all text)
        kw.pop("uuid", None)
        if model == "nvdimm":
            u = [c for c in el if c.tag == "uuid"]
            if u:
                txt = "".join(u[0].itertext())
                if txt:
                    try:
                        kw["uuid"] = parse_uuid(txt)
                    except ValueError:
                        raise ctx.error(u[0], "malformed uuid element") from None
        src: MemorySource | None = kw.get("source")
        if src is not None:
            kw["source"] = _source_for_model(model, src, el, ctx)
        tgt_el = [c for c in el if c.tag == "target"]
        if not tgt_el:
            raise ctx.error(el, "missing <target> element for <memory> device")
        kw["target"] = _target_for_model(model, kw["target"], tgt_el[0], ctx)

    @custom_format
    def xml_format(self, out: list[str], ind: str, flags: int) -> None:
        src = self.source
        if src is not None and src.is_empty():
            src = None
        if src is not self.source:
            attrs.evolve(self, source=src)._xml_format_generated(out, ind, flags)
        else:
            self._xml_format_generated(out, ind, flags)


def _source_for_model(model: str, src: MemorySource, el: Any, ctx: Any) -> MemorySource | None:
    src_el = [c for c in el if c.tag == "source"][0]
    if model in ("dimm", "virtio-mem", "sgx-epc"):
        nm = None
        nm_el = [c for c in src_el if c.tag == "nodemask"]
        if nm_el:
            raw = "".join(nm_el[0].itertext())
            if raw:
                nm = src.nodemask if src.nodemask is not None else _canon_bitmap(raw)
                if nm == "":
                    raise ctx.error(nm_el[0], f"Invalid value of 'nodemask': {raw}")
        page = (src.pagesize or None) if model != "sgx-epc" else None
        return MemorySource(nodemask=nm, pagesize=page)
    if model == "nvdimm":
        return MemorySource(path=_string_of(src_el, "path"), alignsize=src.alignsize or None, pmem=src.pmem)
    if model == "virtio-pmem":
        return MemorySource(path=_string_of(src_el, "path"))
    return None


def _string_of(el: Any, tag: str) -> str | None:
    """virXPathString("string(./tag)"): text of the first such child, None
    when empty."""
    for c in el:
        if c.tag == tag:
            return "".join(c.itertext()) or None
    return None


def _target_for_model(model: str, tgt: MemoryTarget | None, tel: Any, ctx: Any) -> MemoryTarget:
    if tgt is None:
        tgt = MemoryTarget()
    node_el = [c for c in tel if c.tag == "node"]
    node = None
    if node_el:
        try:
            node = _xpath_int("".join(node_el[0].itertext()))
        except ValueError:
            raise ctx.error(node_el[0], "invalid value of memory device node") from None
        if node is not None and node < 0:
            raise ctx.error(node_el[0], "invalid value of memory device node")
    if tgt.size is None:
        raise ctx.error(tel, "missing element or attribute './size'")
    out = MemoryTarget(size=tgt.size, node=node)
    if model == "nvdimm":
        label = tgt.label.size if tgt.label is not None and tgt.label.size else 0
        if label and label < 128:
            raise ctx.error(tel, "nvdimm label must be at least 128KiB")
        if label >= tgt.size:
            raise ctx.error(tel, "label size must be smaller than NVDIMM size")
        out.label = MemoryLabel(size=label) if label else None
        out.readonly = tgt.readonly
    elif model == "virtio-mem":
        if tgt.block:
            out.block = tgt.block
            out.requested = tgt.requested or 0
    return out


__all__ = ["MemoryDevice", "MemorySource", "MemoryTarget", "MemoryLabel", "MEMORY_MODELS", "MEMORY_ACCESS",
           "parse_uuid", "parse_bitmap", "format_bitmap", "NODEMASK", "KiBScaled"]
