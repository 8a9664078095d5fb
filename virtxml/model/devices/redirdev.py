"""``<redirdev>`` and ``<redirfilter>`` (virDomainRedirdevDefParseXML,
virDomainRedirFilterDefParseXML and their formatters).  The character
device part (``type`` + ``<source>``/``<protocol>``/``<log>``) is the
chardev source of :mod:`.chardev`."""

from __future__ import annotations

import re
from typing import Any

from ...binding import ConvError, Enum, Int, attribute, custom_format, element, elements, escape, xml
from .chardev import CHR_TYPES, ChrLog, ChrProtocol, ChrSourceEl, format_chr_source, normalize_chr_sources
from .info import ACPI, Address, Alias, Boot


@xml("redirdev")
class Redirdev:
    bus: str = attribute("bus", Enum(("usb",), message="unknown redirdev bus '{value}'"), default="usb")
    type: str | None = attribute("type")
    sources: list[ChrSourceEl] = elements("source", ChrSourceEl)
    log: ChrLog | None = element("log", ChrLog)
    protocol: ChrProtocol | None = element("protocol", ChrProtocol)
    boot: Boot | None = element("boot", Boot)
    alias: Alias | None = element("alias", Alias)
    acpi: ACPI | None = element("acpi", ACPI)
    address: Address | None = element("address", Address)

    @classmethod
    def _xml_parse_hook(cls, kw: dict[str, Any], el: Any, ctx: Any) -> None:
        t = kw.get("type")
        if t is None:
            raise ctx.error(el, "missing type in redirdev")
        if t not in CHR_TYPES:
            raise ctx.error(el, f"unknown redirdev character device type '{t}'")
        normalize_chr_sources(t, el, kw, ctx, seclabels=False)  # no chr def: libvirt reads no seclabels
        addr = kw.get("address")
        if addr is not None and getattr(addr, "type", None) != "usb":
            raise ctx.error(el, "Invalid address for a USB device")

    @property
    def source(self) -> ChrSourceEl | None:
        return self.sources[0] if self.sources else None

    @custom_format
    def xml_format(self, out: list[str], ind: str, flags: int) -> None:
        ci = ind + "  "
        out.append("%s<redirdev bus='%s' type='%s'>\n" % (ind, escape(self.bus or "usb"), escape(self.type or "")))
        format_chr_source(out, ci, self.type or "", self.sources, self.log, self.protocol, flags)
        for f in (self.boot, self.alias, self.acpi, self.address):
            if f is not None:
                f.xml_format(out, ci, flags)
        out.append(ind + "</redirdev>\n")


_INT0 = Int(signed=True, base=0)


def _hexint(what: str) -> Any:
    """virXMLPropInt(..., 0, ...): the generic texts; the class code must
    fit in a byte (-1 = any)."""

    def parse(s: str, ctx: Any, el: Any, attr: str) -> int:
        try:
            v = _INT0.parse(s)
        except ConvError as e:
            raise ctx.error(el, e.template.format(attr=attr, elem="usbdev", value=s)) from None
        if what == "class" and v != -1 and v & ~0xFF:
            raise ctx.error(el, "Invalid USB Class code 0x%x" % (v & 0xFFFFFFFF))
        return v

    return parse


_CLASS = _hexint("class")
_VENDOR = _hexint("vendor")
_PRODUCT = _hexint("product")


def _bcd(v: int) -> int:
    return (v // 16) * 10 + v % 16


@xml("usbdev")
class RedirFilterUSBDev:
    """``<usbdev class vendor product version allow/>``; -1 (any) is stored
    as None and not written."""

    usb_class: int | None = attribute("class")
    vendor: int | None = attribute("vendor")
    product: int | None = attribute("product")
    version: int | None = attribute("version")
    allow: bool | None = attribute("allow")

    @classmethod
    def _xml_parse_hook(cls, kw: dict[str, Any], el: Any, ctx: Any) -> None:
        for k, fn, attr in (("usb_class", _CLASS, "class"), ("vendor", _VENDOR, "vendor"),
                            ("product", _PRODUCT, "product")):
            v = kw.get(k)
            if v is not None:
                r = fn(v, ctx, el, attr)
                kw[k] = None if r < 0 else r  # negative: any (never written)
        ver = kw.get("version")
        if ver is not None:
            if ver == "-1":
                kw["version"] = None
            else:
                # decimal major.minor, kept as BCD
                m = re.fullmatch(r"\s*\+?(\d+)\.\s*\+?(\d+)", ver)
                if m is None or int(m.group(1)) >= 100 or int(m.group(2)) >= 100:
                    raise ctx.error(el, f"Cannot parse USB device version {ver}")
                major, minor = int(m.group(1)), int(m.group(2))
                kw["version"] = (major // 10) << 12 | (major % 10) << 8 | (minor // 10) << 4 | (minor % 10)
        allow = kw.get("allow")
        if allow is None:
            raise ctx.error(el, "Missing required attribute 'allow' in element 'usbdev'")
        if allow not in ("yes", "no"):
            raise ctx.error(el, f"Invalid value for attribute 'allow' in element 'usbdev': '{allow}'.")
        kw["allow"] = allow == "yes"

    @custom_format
    def xml_format(self, out: list[str], ind: str, flags: int) -> None:
        s = ind + "<usbdev"
        if self.usb_class is not None:
            s += " class='0x%02X'" % self.usb_class
        if self.vendor is not None:
            s += " vendor='0x%04X'" % self.vendor
        if self.product is not None:
            s += " product='0x%04X'" % self.product
        if self.version is not None:
            v = self.version
            s += " version='%d.%02d'" % (((v & 0xF000) >> 12) * 10 + ((v & 0x0F00) >> 8),
                                         ((v & 0x00F0) >> 4) * 10 + (v & 0x000F))
        s += " allow='%s'/>\n" % ("yes" if self.allow else "no")
        out.append(s)


@xml("redirfilter")
class RedirFilter:
    usbdevs: list[RedirFilterUSBDev] = elements("usbdev", RedirFilterUSBDev)

    @custom_format
    def xml_format(self, out: list[str], ind: str, flags: int) -> None:
        if not self.usbdevs:
            return
        self._xml_format_generated(out, ind, flags)


__all__ = ["Redirdev", "RedirFilter", "RedirFilterUSBDev"]
