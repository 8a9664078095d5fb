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
from .info import ACPI, Address, Alias, Master
from .rng import check_attr, check_info, prechecked

WATCHDOG_MODELS = ("i6300esb", "ib700", "diag288")
WATCHDOG_ACTIONS = ("reset", "shutdown", "poweroff", "pause", "dump", "none", "inject-nmi")


_MODEL = Enum(WATCHDOG_MODELS, message="unknown watchdog model '{value}'")
_ACTION = Enum(WATCHDOG_ACTIONS, message="unknown watchdog action '{value}'")


@prechecked
@xml("watchdog")
class Watchdog:
    model: str | None = attribute("model", _MODEL)
    action: str = attribute("action", _ACTION, default="reset")
    alias: Alias | None = element("alias", Alias)
    master: Master | None = element("master", Master)
    acpi: ACPI | None = element("acpi", ACPI)
    address: Address | None = element("address", Address)

    @staticmethod
    def _xml_precheck(el: Any, ctx: Any) -> None:
        if el.get("model") is None:
            raise ctx.error(el, "watchdog must contain model name")
        check_attr(el, ctx, "model", _MODEL)
        check_attr(el, ctx, "action", _ACTION)
        check_info(el, ctx)


__all__ = ["Watchdog", "WATCHDOG_MODELS", "WATCHDOG_ACTIONS"]
