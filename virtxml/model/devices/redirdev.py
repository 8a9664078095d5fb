"""``<redirdev>`` and ``<redirfilter>`` (virDomainRedirdevDefParseXML,
virDomainRedirFilterDefParseXML and their formatters).  The character
device part (``type`` + ``<source>``/``<protocol>``/``<log>``) is the
chardev source of :mod:`.chardev`."""

from __future__ import annotations

import re
from typing import Any

from ...binding import Enum, attribute, custom_format, element, elements, escape, xml
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
        normalize_chr_sources(t, el, kw, ctx)
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


def _hexint(what: str, maxv: int) -> Any:
    def parse(s: str, ctx: Any, el: Any) -> int:
        if s == "-1":
            return -1
        m = re.fullmatch(r"\s*([+-]?)(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9]\d*)", s)
        if m is None:
            raise ctx.error(el, f"Cannot parse USB {what} {s}")
        body = m.group(2)
        v = int(body, 16) if body[:2].lower() == "0x" else (int(body, 8) if body.startswith("0") and len(body) > 1
                                                           else int(body))
        if m.group(1) == "-":
            v = -v
        if v < -(1 << 31) or v > (1 << 31) - 1:
            raise ctx.error(el, f"Cannot parse USB {what} {s}")
        if what == "Class code" and v != -1 and v & ~0xFF:
            raise ctx.error(el, "Invalid USB Class code 0x%x" % (v & 0xFFFFFFFF))
        return v

    return parse


_CLASS = _hexint("Class code", 0xFF)
_VENDOR = _hexint("vendor ID", 0xFFFF)
_PRODUCT = _hexint("product ID", 0xFFFF)


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
        for k, fn in (("usb_class", _CLASS), ("vendor", _VENDOR), ("product", _PRODUCT)):
            v = kw.get(k)
            if v is not None:
                r = fn(v, ctx, el)
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
            raise ctx.error(el, "Missing allow attribute for USB redirection filter")
        if allow not in ("yes", "no"):
            raise ctx.error(el, "Invalid allow value, either 'yes' or 'no'")
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
