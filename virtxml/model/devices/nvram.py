"""``<devices><nvram>`` (the spapr-vio NVRAM device of pSeries guests;
libvirt 9.0's virDomainNVRAMDefParseXML / virDomainNVRAMDefFormat).  Not to
be confused with ``<os><nvram>``.  Only the device info is read; libvirt
always writes an open/close pair, ``<nvram>\\n</nvram>`` when empty."""

from __future__ import annotations

from typing import Any

from ...binding import custom_format, element, xml
from .info import ACPI, Address, Alias, Master
from .rng import check_info, prechecked


@prechecked
@xml("nvram")
class NVRAM:
    alias: Alias | None = element("alias", Alias)
    master: Master | None = element("master", Master)
    acpi: ACPI | None = element("acpi", ACPI)
    address: Address | None = element("address", Address)

    @staticmethod
    def _xml_precheck(el: Any, ctx: Any) -> None:
        check_info(el, ctx)

    @custom_format
    def xml_format(self, out: list[str], ind: str, flags: int) -> None:
        out.append(ind + "<nvram>\n")
        ci = ind + "  "
        for f in (self.alias, self.master, self.acpi, self.address):
            if f is not None:
                f.xml_format(out, ci, flags)
        out.append(ind + "</nvram>\n")


__all__ = ["NVRAM"]
