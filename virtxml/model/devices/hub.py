"""``<hub>`` (virDomainHubDefParseXML / virDomainHubDefFormat)."""

from __future__ import annotations

from typing import Any

from ...binding import Enum, attribute, element, xml
from .info import ACPI, Address, Alias
from .rng import prechecked


@prechecked
@xml("hub")
class Hub:
    type: str | None = attribute("type", Enum(("usb",), message="unknown hub device type '{value}'"))
    alias: Alias | None = element("alias", Alias)
    acpi: ACPI | None = element("acpi", ACPI)
    address: Address | None = element("address", Address)

    @classmethod
    def _xml_precheck(cls, el: Any, ctx: Any) -> None:
        # the type is read before the device info (<address>, <alias>)
        if el.get("type") is None:
            raise ctx.error(el, "missing hub device type")

    @classmethod
    def _xml_parse_hook(cls, kw: dict[str, Any], el: Any, ctx: Any) -> None:
        if kw.get("type") is None:
            raise ctx.error(el, "missing hub device type")


__all__ = ["Hub"]
