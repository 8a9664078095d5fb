"""``<panic>`` (libvirt 9.0's virDomainPanicDefParseXML /
virDomainPanicDefFormat).

``model`` is optional (unknown -> "unknown panic model '%s'"; ``default``
is accepted and means none); children ``<alias>``, ``<acpi>``,
``<address>``.  A ``<panic>`` with neither a model nor device info is not
written at all (virXMLFormatElement).  (libvirt 9.0's schema allows no ``<acpi>`` here, but its
parser reads the device info generically, so it is kept.)
"""

from __future__ import annotations

from typing import Any

from ...binding import Enum, attribute, custom_format, element, xml
from .info import ACPI, Address, Alias, Master
from .rng import check_attr, check_info, prechecked

PANIC_MODELS = ("isa", "pseries", "hyperv", "s390")


_MODEL = Enum(("default",) + PANIC_MODELS, message="unknown panic model '{value}'")


@prechecked
@xml("panic")
class Panic:
    model: str | None = attribute("model", _MODEL)
    alias: Alias | None = element("alias", Alias)
    master: Master | None = element("master", Master)
    acpi: ACPI | None = element("acpi", ACPI)
    address: Address | None = element("address", Address)

    @staticmethod
    def _xml_precheck(el: Any, ctx: Any) -> None:
        # libvirt reads the device info first, then the model
        check_info(el, ctx)
        check_attr(el, ctx, "model", _MODEL)

    @classmethod
    def _xml_parse_hook(cls, kw: dict[str, Any], el: Any, ctx: Any) -> None:
        if kw.get("model") == "default":
            kw["model"] = None

    @custom_format
    def xml_format(self, out: list[str], ind: str, flags: int) -> None:
        # virXMLFormatElement: an element with neither attributes nor
        # children is not written at all
        n = len(out)
        self._xml_format_generated(out, ind, flags)
        if len(out) == n + 1 and out[n] == ind + "<panic/>\n":
            del out[n]


__all__ = ["Panic", "PANIC_MODELS"]
