"""``<smartcard>`` (virDomainSmartcardDefParseXML / virDomainSmartcardDefFormat).

Modes: ``host`` (nothing else), ``host-certificates`` (exactly three
``<certificate>`` and an optional absolute ``<database>``), ``passthrough``
(a character device: ``type`` + ``<source>``/``<protocol>``, see
:mod:`.chardev`).  What another mode would use is ignored."""

from __future__ import annotations

from typing import Any

from ...binding import attribute, custom_format, element, elements, escape, text_element, text_elements, xml
from .chardev import CHR_TYPES, ChrLog, ChrProtocol, ChrSourceEl, format_chr_source, normalize_chr_sources
from .info import ACPI, Address, Alias

SMARTCARD_MODES = ("host", "host-certificates", "passthrough")


@xml("smartcard")
class Smartcard:
    mode: str | None = attribute("mode")
    type: str | None = attribute("type")
    sources: list[ChrSourceEl] = elements("source", ChrSourceEl)
    log: ChrLog | None = element("log", ChrLog)
    protocol: ChrProtocol | None = element("protocol", ChrProtocol)
    certificates: list[str] = text_elements("certificate")
    database: str | None = text_element("database")
    alias: Alias | None = element("alias", Alias)
    acpi: ACPI | None = element("acpi", ACPI)
    address: Address | None = element("address", Address)

    @classmethod
    def _xml_parse_hook(cls, kw: dict[str, Any], el: Any, ctx: Any) -> None:
        mode = kw.get("mode")
        if mode is None:
            raise ctx.error(el, "Missing required attribute 'mode' in element 'smartcard'")
        if mode not in SMARTCARD_MODES:
            raise ctx.error(el, f"Invalid value for attribute 'mode' in element 'smartcard': '{mode}'.")

        def ignore(field: str, what: str) -> None:
            v = kw.get(field)
            if v:
                kw[field] = [] if isinstance(v, list) else None
                ctx.ignored.append((el.sourceline, ctx.path(el) + what, "element" if "/" in what else ""))

        if mode == "passthrough":
            t = kw.get("type")
            if t is None:
                raise ctx.error(el, "passthrough mode requires a character device type attribute")
            if t not in CHR_TYPES:
                raise ctx.error(el, f"unknown type presented to host for character device: {t}")
            normalize_chr_sources(t, el, kw, ctx, seclabels=False)  # no chr def: no seclabels
            ignore("certificates", "/certificate")
            ignore("database", "/database")
        else:
            if kw.get("type") is not None:
                kw["type"] = None
                ctx.ignored.append((el.sourceline, ctx.path(el), "@type"))
            for f, tag in (("sources", "/source"), ("log", "/log"), ("protocol", "/protocol")):
                ignore(f, tag)
            if mode == "host-certificates":
                certs = [c for c in el if c.tag == "certificate"]
                if len(certs) != 3:
                    raise ctx.error(el, "host-certificates mode needs exactly three certificates")
                kw["certificates"] = [c.text or "" for c in certs]
                db = kw.get("database")
                if db == "" or (db is None and any(c.tag == "database" for c in el)):
                    # an empty <database/> is no path: libvirt fails without a message
                    raise ctx.error(el, "An error occurred, but the cause is unknown")
                if db is not None and not db.startswith("/"):
                    raise ctx.error(el, f"expecting absolute path: {db}")
            else:
                ignore("certificates", "/certificate")
                ignore("database", "/database")
        addr = kw.get("address")
        if addr is not None and getattr(addr, "type", None) != "ccid":
            raise ctx.error(el, "Controllers must use the 'ccid' address type")

    @custom_format
    def xml_format(self, out: list[str], ind: str, flags: int) -> None:
        ci = ind + "  "
        s = "%s<smartcard mode='%s'" % (ind, escape(self.mode or ""))
        child: list[str] = []
        if self.mode == "passthrough":
            s += " type='%s'" % escape(self.type or "")
            format_chr_source(child, ci, self.type or "", self.sources, self.log, self.protocol, flags)
        elif self.mode == "host-certificates":
            for c in self.certificates:
                child.append("%s<certificate>%s</certificate>\n" % (ci, escape(c)))
            if self.database is not None:
                child.append("%s<database>%s</database>\n" % (ci, escape(self.database)))
        for f in (self.alias, self.acpi, self.address):
            if f is not None:
                f.xml_format(child, ci, flags)
        if child:
            out.append(s + ">\n")
            out.extend(child)
            out.append(ind + "</smartcard>\n")
        else:
            out.append(s + "/>\n")


__all__ = ["Smartcard", "SMARTCARD_MODES"]
