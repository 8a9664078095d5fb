"""``<rng>``: random number generator device (libvirt 9.0's
virDomainRNGDefParseXML / virDomainRNGDefFormat), and :class:`VirtioDriver`,
the ``<driver>`` element that carries only libvirt's virtio options
(virDomainVirtioOptionsParseXML / ...Format), shared with ``<memballoon>``
and ``<vsock>``.

Output order: ``<rate>``, ``<backend>``, ``<driver>``, ``<alias>``,
``<acpi>``, ``<address>``.

Parse-time rules:

* ``model`` required ("missing RNG device model"), unknown -> "unknown RNG
  model '%s'";
* ``<rate bytes>`` not an unsigned int -> "invalid RNG rate bytes value";
  ``period`` is only read when ``bytes`` is non-zero ("invalid RNG rate
  period value"); a zero ``bytes`` means no rate, a zero ``period`` none;
* exactly one ``<backend>`` ("only one RNG backend is supported"); its
  ``model`` is required ("missing RNG device backend model"), unknown ->
  "unknown RNG backend model '%s'";
* ``random``: the file is the string value of ``<backend>`` (empty -> unset,
  the generic post-parse then fills ``/dev/random``);
* ``egd``: ``type`` required ("missing EGD backend type"), unknown ->
  "unknown backend type '%s' for egd"; the chardev source is read as for
  character devices (:func:`.chardev.normalize_chr_sources`);
* ``builtin``: nothing else is read;
* ``<driver>`` without any virtio option is not written back.
"""

from __future__ import annotations

from typing import Any

from ...binding import ONOFF, UINT, Custom, ConvError, Enum, attribute, custom_format, element, elements, escape, text, xml
from .chardev import CHR_TYPES, ChrLog, ChrProtocol, ChrSourceEl, format_chr_source, normalize_chr_sources
from .info import ACPI, Address, Alias, Master

RNG_MODELS = ("virtio", "virtio-transitional", "virtio-non-transitional")
RNG_BACKENDS = ("random", "egd", "builtin")


# ------------------------------------------------------------ virtio options

@xml("driver")
class VirtioDriver:
    """``<driver iommu= ats= packed= page_per_vq=/>`` (each on/off)."""

    iommu: bool | None = attribute("iommu", ONOFF)
    ats: bool | None = attribute("ats", ONOFF)
    packed: bool | None = attribute("packed", ONOFF)
    page_per_vq: bool | None = attribute("page_per_vq", ONOFF)

    def is_empty(self) -> bool:
        return self.iommu is None and self.ats is None and self.packed is None and self.page_per_vq is None


def driver_present(obj: Any, flags: int) -> bool:
    """``when=`` predicate: libvirt writes ``<driver>`` only with attributes."""
    d = obj.driver
    return d is not None and not d.is_empty()


def drop_empty_driver(kw: dict[str, Any]) -> None:
    d = kw.get("driver")
    if d is not None and d.is_empty():
        kw["driver"] = None


def child_elements(el: Any, tag: str) -> list[Any]:
    return [c for c in el if c.tag == tag]


def first_child(el: Any, tag: str) -> Any:
    for c in el:
        if c.tag == tag:
            return c
    return None


# ------------------------------------------------ libvirt's order of errors
#
# The generated parser converts attributes first and children in document
# order, then runs the parse hook; libvirt checks in its own order (and
# skips what it does not read).  A class decorated with @prechecked has its
# ``_xml_precheck(el, ctx)`` run on the raw element before the generated
# parser: it raises libvirt's first error, so that a document with several
# faults reports the same one as libvirt.

def prechecked(cls: Any) -> Any:
    from ...binding.compiler import compile_class

    compile_class(cls)
    generated = cls._xml_parse

    def _xml_parse(el: Any, ctx: Any) -> Any:
        cls._xml_precheck(el, ctx)
        return generated(el, ctx)

    cls._xml_parse = staticmethod(_xml_parse)
    return cls


def scratch(ctx: Any) -> Any:
    """A context for a checking parse: same flags and file, its own list of
    ignored items (the real parse records them)."""
    from ...binding import ParseContext

    return ParseContext(ctx.flags, ctx.file)


def check_attr(el: Any, ctx: Any, name: str, conv: Any, *, required: bool = False) -> Any:
    """virXMLProp*: libvirt's missing / invalid attribute errors."""
    v = el.get(name)
    if v is None:
        if required:
            raise ctx.error(el, f"Missing required attribute '{name}' in element '{el.tag}'")
        return None
    try:
        return conv.parse(v)
    except ConvError as e:
        ctx.bad_value(el, name, v, e)


def check_info(el: Any, ctx: Any) -> None:
    """virDomainDeviceInfoParseXML's errors, in its order (master, acpi,
    address; boot/rom are not read for these devices)."""
    sc = scratch(ctx)
    for tag, cls in (("master", Master), ("acpi", ACPI), ("address", Address)):
        ch = first_child(el, tag)
        if ch is not None:
            cls._xml_parse(ch, sc)


def check_driver(el: Any, ctx: Any) -> None:
    """virDomainVirtioOptionsParseXML on the first <driver>."""
    ch = first_child(el, "driver")
    if ch is not None:
        VirtioDriver._xml_parse(ch, scratch(ctx))


# ---------------------------------------------------------------------- rate

def _keep(s: str) -> str:
    return s


_RAW = Custom(_keep, str, name="uint")  # converted in RNG's parse hook


@xml("rate")
class RNGRate:
    """``<rate bytes='N' period='MS'/>``."""

    bytes: int | None = attribute("bytes", _RAW)
    period: int | None = attribute("period", _RAW)


def _xpath_uint(raw: str | None) -> int | None:
    """virXPathUInt: None when absent/empty; raises ValueError when not an
    unsigned int."""
    if raw is None or raw == "":
        return None
    try:
        return UINT.parse(raw)  # type: ignore[no-any-return]
    except ConvError:
        raise ValueError(raw) from None


# ------------------------------------------------------------------- backend

@xml("backend")
class RNGBackend:
    """``<backend model='random'>/dev/urandom</backend>``,
    ``<backend model='egd' type='...'><source .../>...</backend>`` or
    ``<backend model='builtin'/>``."""

    model: str | None = attribute("model", Enum(RNG_BACKENDS, message="unknown RNG backend model '{value}'"))
    type: str | None = attribute("type")
    file: str | None = text()
    sources: list[ChrSourceEl] = elements("source", ChrSourceEl)
    log: ChrLog | None = element("log", ChrLog)
    protocol: ChrProtocol | None = element("protocol", ChrProtocol)

    @classmethod
    def _xml_parse_hook(cls, kw: dict[str, Any], el: Any, ctx: Any) -> None:
        model = kw.get("model")
        if model is None:
            raise ctx.error(el, "missing RNG device backend model")
        if model == "random":
            s = "".join(el.itertext())
            kw["file"] = s or None
            kw.pop("type", None)
            kw.pop("sources", None)
            kw.pop("log", None)
            kw.pop("protocol", None)
        elif model == "egd":
            t = kw.get("type")
            if t is None:
                raise ctx.error(el, "missing EGD backend type")
            if t not in CHR_TYPES:
                raise ctx.error(el, f"unknown backend type '{t}' for egd")
            kw.pop("file", None)
            normalize_chr_sources(t, el, kw, ctx, seclabels=False)  # rng passes no chr def: no seclabels
        else:
            for k in ("type", "file", "sources", "log", "protocol"):
                kw.pop(k, None)

    @custom_format
    def xml_format(self, out: list[str], ind: str, flags: int) -> None:
        s = ind + "<backend model='%s'" % escape(self.model or "")
        if self.model == "random":
            if self.file is None:
                out.append(s + "/>\n")
            else:
                out.append(s + ">" + escape(self.file) + "</backend>\n")
        elif self.model == "egd":
            out.append(s + " type='%s'>\n" % escape(self.type or ""))
            format_chr_source(out, ind + "  ", self.type or "", self.sources, self.log, self.protocol, flags)
            out.append(ind + "</backend>\n")
        else:
            out.append(s + "/>\n")


# ----------------------------------------------------------------------- rng

_RNG_MODEL = Enum(RNG_MODELS, message="unknown RNG model '{value}'")


@prechecked
@xml("rng")
class RNG:
    model: str | None = attribute("model", _RNG_MODEL)
    rate: RNGRate | None = element("rate", RNGRate)
    backend: RNGBackend | None = element("backend", RNGBackend)
    driver: VirtioDriver | None = element("driver", VirtioDriver, when=driver_present)
    alias: Alias | None = element("alias", Alias)
    master: Master | None = element("master", Master)
    acpi: ACPI | None = element("acpi", ACPI)
    address: Address | None = element("address", Address)

    @staticmethod
    def _xml_precheck(el: Any, ctx: Any) -> None:
        if el.get("model") is None:
            raise ctx.error(el, "missing RNG device model")
        check_attr(el, ctx, "model", _RNG_MODEL)
        rel = first_child(el, "rate")
        if rel is not None:
            try:
                nbytes = _xpath_uint(rel.get("bytes"))
            except ValueError:
                raise ctx.error(rel, "invalid RNG rate bytes value") from None
            if nbytes:
                try:
                    _xpath_uint(rel.get("period"))
                except ValueError:
                    raise ctx.error(rel, "invalid RNG rate period value") from None
        backends = child_elements(el, "backend")
        if len(backends) != 1:
            raise ctx.error(el, "only one RNG backend is supported")
        be = backends[0]
        if be.get("model") == "egd" and be.get("type") in CHR_TYPES:
            # virDomainChrSourceDefParseXML counts the sources before reading any
            srcs = child_elements(be, "source")
            if len(srcs) > 1 and be.get("type") != "udp":
                raise ctx.error(srcs[1], "only one source element is allowed for character device")
            if len(srcs) > 2:
                raise ctx.error(srcs[2], "only two source elements are allowed for character device")
        RNGBackend._xml_parse(be, scratch(ctx))
        check_info(el, ctx)
        check_driver(el, ctx)

    @classmethod
    def _xml_parse_hook(cls, kw: dict[str, Any], el: Any, ctx: Any) -> None:
        rate = kw.get("rate")
        if rate is not None:
            rel = first_child(el, "rate")
            nbytes = _xpath_uint(rel.get("bytes"))
            period = _xpath_uint(rel.get("period")) if nbytes else None
            kw["rate"] = RNGRate(bytes=nbytes, period=period or None) if nbytes else None
        drop_empty_driver(kw)


__all__ = ["RNG", "RNGRate", "RNGBackend", "VirtioDriver", "RNG_MODELS", "RNG_BACKENDS",
           "driver_present", "drop_empty_driver", "prechecked", "check_attr", "check_info",
           "check_driver", "scratch", "first_child"]
