"""``<sysinfo type='smbios'|'fwcfg'>`` (virsysinfo.c)."""

from __future__ import annotations

import re
from typing import Any

from ..binding import Enum, attribute, custom_format, element, elements, text, xml
from ..binding.conv import escape
from .common import sanitize_path

SYSINFO_TYPES = ("smbios", "fwcfg")
BIOS_ENTRIES = ("vendor", "version", "date", "release")
SYSTEM_ENTRIES = ("manufacturer", "product", "version", "serial", "uuid", "sku", "family")
BASEBOARD_ENTRIES = ("manufacturer", "product", "version", "serial", "asset", "location")
CHASSIS_ENTRIES = ("manufacturer", "version", "serial", "asset", "sku")
PROCESSOR_ENTRIES = ("socket_destination", "type", "family", "manufacturer", "signature", "version",
                     "external_clock", "max_speed", "status", "serial_number", "part_number")
MEMORY_ENTRIES = ("size", "form_factor", "locator", "bank_locator", "type", "type_detail", "speed",
                  "manufacturer", "serial_number", "part_number")


def parse_uuid(s: str) -> bytes | None:
    """virUUIDParse (lax: leading/trailing blanks, '-' and ' ' between
    hex pairs)."""
    i = 0
    n = len(s)
    while i < n and s[i].isspace():
        i += 1
    out = bytearray()
    while len(out) < 16:
        if i >= n:
            return None
        c = s[i]
        if c in "- ":
            i += 1
            continue
        if i + 1 >= n or not _ishex(c) or not _ishex(s[i + 1]):
            return None
        out.append(int(s[i:i + 2], 16))
        i += 2
    while i < n:
        if not s[i].isspace():
            return None
        i += 1
    return bytes(out)


def _ishex(c: str) -> bool:
    return c in "0123456789abcdefABCDEF"


def format_uuid(b: bytes) -> str:
    h = b.hex()
    return f"{h[0:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:32]}"


@xml("entry")
class SysinfoEntry:
    """``<entry name='x'>value</entry>`` (fwcfg entries may have @file)."""

    name: str | None = attribute("name")
    file: str | None = attribute("file")
    value: str | None = text()


class _Block:
    """An smbios block; ``entries`` are normalised to libvirt's field
    order (first of each known name, empty ones dropped)."""

    NAMES: tuple[str, ...] = ()

    @classmethod
    def _xml_parse_hook(cls, kw: dict[str, Any], el: Any, ctx: Any) -> None:
        found: dict[str, SysinfoEntry] = {}
        for e in kw.get("entries") or []:
            if e.name in cls.NAMES and e.name not in found:
                found[e.name] = e
        # string(entry[@name='x']): the first such entry; empty = unset
        kw["entries"] = [SysinfoEntry(name=n, value=found[n].value) for n in cls.NAMES
                         if n in found and found[n].value]

    def get(self, name: str) -> str | None:
        for e in self.entries:  # type: ignore[attr-defined]
            if e.name == name:
                return e.value  # type: ignore[no-any-return]
        return None

    @custom_format
    def xml_format(self, out: list[str], ind: str, flags: int) -> None:
        ents = self.entries  # type: ignore[attr-defined]
        if not ents:
            return
        tag = type(self).__xml_tag__  # type: ignore[attr-defined]
        out.append(f"{ind}<{tag}>\n")
        for e in ents:
            out.append(f"{ind}  <entry name='{e.name}'>{escape(e.value)}</entry>\n")
        out.append(f"{ind}</{tag}>\n")


def _bios_date_ok(date: str) -> bool:
    m = re.fullmatch(r"\s*([+-]?\d+)/\s*([+-]?\d+)/\s*([+-]?\d+)", date)
    if m is None:
        return False
    month, day, year = (int(x) for x in m.groups())
    return 1 <= month <= 12 and 1 <= day <= 31 and not (year < 0 or 100 <= year < 1900)


@xml("bios")
class SysinfoBIOS(_Block):
    NAMES = BIOS_ENTRIES
    entries: list[SysinfoEntry] = elements("entry", SysinfoEntry)

    @classmethod
    def _xml_parse_hook(cls, kw: dict[str, Any], el: Any, ctx: Any) -> None:
        _Block._xml_parse_hook.__func__(cls, kw, el, ctx)  # type: ignore[attr-defined]
        for e in kw["entries"]:
            if e.name == "date" and not _bios_date_ok(e.value):
                raise ctx.error(el, "Invalid BIOS 'date' format")


@xml("system")
class SysinfoSystem(_Block):
    NAMES = SYSTEM_ENTRIES
    entries: list[SysinfoEntry] = elements("entry", SysinfoEntry)

    @classmethod
    def _xml_parse_hook(cls, kw: dict[str, Any], el: Any, ctx: Any) -> None:
        _Block._xml_parse_hook.__func__(cls, kw, el, ctx)  # type: ignore[attr-defined]
        for e in kw["entries"]:
            if e.name == "uuid":
                b = parse_uuid(e.value)
                if b is None:
                    raise ctx.error(el, "malformed <sysinfo> uuid element")
                e.value = format_uuid(b)


@xml("baseBoard")
class SysinfoBaseBoard(_Block):
    NAMES = BASEBOARD_ENTRIES
    entries: list[SysinfoEntry] = elements("entry", SysinfoEntry)


@xml("chassis")
class SysinfoChassis(_Block):
    NAMES = CHASSIS_ENTRIES
    entries: list[SysinfoEntry] = elements("entry", SysinfoEntry)


@xml("processor")
class SysinfoProcessor(_Block):
    NAMES = PROCESSOR_ENTRIES
    entries: list[SysinfoEntry] = elements("entry", SysinfoEntry)


@xml("memory_device")
class SysinfoMemoryDevice(_Block):
    NAMES = MEMORY_ENTRIES
    entries: list[SysinfoEntry] = elements("entry", SysinfoEntry)


for _c in (SysinfoBIOS, SysinfoSystem, SysinfoBaseBoard, SysinfoChassis, SysinfoProcessor, SysinfoMemoryDevice):
    _c.xml_format = _Block.xml_format  # type: ignore[method-assign]


@xml("entry")
class OEMString:
    value: str | None = text()


@xml("oemStrings")
class SysinfoOEMStrings:
    strings: list[OEMString] = elements("entry", OEMString)

    @custom_format
    def xml_format(self, out: list[str], ind: str, flags: int) -> None:
        if not self.strings:
            return
        out.append(f"{ind}<oemStrings>\n")
        for s in self.strings:
            out.append(f"{ind}  <entry>{escape(s.value or '')}</entry>\n")
        out.append(f"{ind}</oemStrings>\n")


@xml("sysinfo")
class Sysinfo:
    type: str | None = attribute("type", Enum(SYSINFO_TYPES))
    bios: SysinfoBIOS | None = element("bios", SysinfoBIOS)
    system: SysinfoSystem | None = element("system", SysinfoSystem)
    base_boards: list[SysinfoBaseBoard] = elements("baseBoard", SysinfoBaseBoard)
    chassis: SysinfoChassis | None = element("chassis", SysinfoChassis)
    oem_strings: SysinfoOEMStrings | None = element("oemStrings", SysinfoOEMStrings)
    #: fwcfg entries (``type='fwcfg'``)
    entries: list[SysinfoEntry] = elements("entry", SysinfoEntry)

    @classmethod
    def _xml_parse_hook(cls, kw: dict[str, Any], el: Any, ctx: Any) -> None:
        t = kw.get("type")
        if t is None:
            raise ctx.error(el, "Missing required attribute 'type' in element 'sysinfo'")
        if t == "fwcfg":
            for k in ("bios", "system", "chassis", "oem_strings"):
                kw.pop(k, None)
            kw.pop("base_boards", None)
            for e in kw.get("entries") or []:
                if e.name is None:
                    raise ctx.error(el, "Firmware entry is missing 'name' attribute")
                if not e.value:
                    e.value = None
                if e.value is None and e.file is None:
                    raise ctx.error(el, "Firmware entry must have either value or 'file' attribute")
                if e.file is not None:
                    e.file = sanitize_path(e.file)
        else:
            kw.pop("entries", None)

    def system_uuid(self) -> str | None:
        return self.system.get("uuid") if self.system is not None else None

    @custom_format
    def xml_format(self, out: list[str], ind: str, flags: int) -> None:
        ch: list[str] = []
        ci = ind + "  "
        if self.type == "fwcfg":
            for e in self.entries:
                s = f"{ci}<entry name='{e.name}'"
                if e.file is not None:
                    ch.append(f"{s} file='{escape(e.file)}'/>\n")
                else:
                    ch.append(f"{s}>{escape(e.value or '')}</entry>\n")
        else:
            for part in (self.bios, self.system):
                if part is not None:
                    part.xml_format(ch, ci, flags)
            for bb in self.base_boards:
                bb.xml_format(ch, ci, flags)
            if self.chassis is not None:
                self.chassis.xml_format(ch, ci, flags)
            if self.oem_strings is not None:
                self.oem_strings.xml_format(ch, ci, flags)
        if ch:
            out.append(f"{ind}<sysinfo type='{self.type}'>\n")
            out.extend(ch)
            out.append(f"{ind}</sysinfo>\n")
        else:
            out.append(f"{ind}<sysinfo type='{self.type}'/>\n")
