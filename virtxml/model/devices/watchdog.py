"""``<watchdog>`` (libvirt 9.0's virDomainWatchdogDefParseXML /
virDomainWatchdogDefFormat).

``model`` is required ("watchdog must contain model name"; unknown ->
"unknown watchdog model '%s'"); ``action`` defaults to ``reset`` at parse
time and is always written (unknown -> "unknown watchdog action '%s'").
Children: ``<alias>``, ``<acpi>``, ``<address>``.
"""

from __future__ import annotations

from typing import Any

from ...binding import Enum, attribute, element, xml
from .info import ACPI, Address, Alias

WATCHDOG_MODELS = ("i6300esb", "ib700", "diag288")
WATCHDOG_ACTIONS = ("reset", "shutdown", "poweroff", "pause", "dump", "none", "inject-nmi")


@xml("watchdog")
class Watchdog:
    model: str | None = attribute("model", Enum(WATCHDOG_MODELS, message="unknown watchdog model '{value}'"))
    action: str = attribute("action", Enum(WATCHDOG_ACTIONS, message="unknown watchdog action '{value}'"),
                            default="reset")
    alias: Alias | None = element("alias", Alias)
    acpi: ACPI | None = element("acpi", ACPI)
    address: Address | None = element("address", Address)

    @classmethod
    def _xml_parse_hook(cls, kw: dict[str, Any], el: Any, ctx: Any) -> None:
        if kw.get("model") is None:
            raise ctx.error(el, "watchdog must contain model name")


__all__ = ["Watchdog", "WATCHDOG_MODELS", "WATCHDOG_ACTIONS"]
