"""``<memballoon>`` (libvirt 9.0's virDomainMemballoonDefParseXML /
virDomainMemballoonDefFormat).

Output order: attributes ``model autodeflate freePageReporting``; children
``<stats period>``, ``<alias>``, ``<acpi>``, ``<address>``, ``<driver>``.

Parse-time rules: ``model`` is required ("Missing required attribute
'model' in element 'memballoon'"); ``<stats period>`` is a signed integer
(any base), a negative one counts as 0 and 0 is not written; with
``model='none'`` the device info (alias, master, acpi, address) is not read
at all (not even checked);
a ``<driver>`` without virtio options is not written.
"""

from __future__ import annotations

from typing import Any

import copy

from ...binding import ONOFF, Enum, Int, attribute, element, xml
from .info import ACPI, Address, Alias, Master
from .rng import VirtioDriver, check_attr, check_driver, check_info, driver_present, drop_empty_driver, first_child

_INFO_TAGS = ("alias", "master", "acpi", "address")

MEMBALLOON_MODELS = ("virtio", "xen", "none", "virtio-transitional", "virtio-non-transitional")


_MODEL = Enum(MEMBALLOON_MODELS)
_PERIOD = Int(signed=True, base=0)


@xml("stats")
class MemballoonStats:
    """``<stats period='N'/>`` (seconds)."""

    period: int | None = attribute("period", _PERIOD)


@xml("memballoon")
class Memballoon:
    model: str | None = attribute("model", _MODEL)
    autodeflate: bool | None = attribute("autodeflate", ONOFF)
    free_page_reporting: bool | None = attribute("freePageReporting", ONOFF)
    stats: MemballoonStats | None = element("stats", MemballoonStats)
    alias: Alias | None = element("alias", Alias)
    master: Master | None = element("master", Master)
    acpi: ACPI | None = element("acpi", ACPI)
    address: Address | None = element("address", Address)
    driver: VirtioDriver | None = element("driver", VirtioDriver, when=driver_present)

    @staticmethod
    def _xml_precheck(el: Any, ctx: Any) -> None:
        model = check_attr(el, ctx, "model", _MODEL, required=True)
        check_attr(el, ctx, "autodeflate", ONOFF)
        check_attr(el, ctx, "freePageReporting", ONOFF)
        st = first_child(el, "stats")
        if st is not None:
            check_attr(st, ctx, "period", _PERIOD)
        if model != "none":
            check_info(el, ctx)
        check_driver(el, ctx)

    @classmethod
    def _xml_parse_hook(cls, kw: dict[str, Any], el: Any, ctx: Any) -> None:
        st = kw.get("stats")
        if st is not None:
            p = st.period or 0
            kw["stats"] = MemballoonStats(period=p) if p > 0 else None
        drop_empty_driver(kw)


def _install() -> None:
    from ...binding.compiler import compile_class

    compile_class(Memballoon)
    generated = Memballoon._xml_parse

    def _xml_parse(el: Any, ctx: Any) -> Any:
        Memballoon._xml_precheck(el, ctx)
        if el.get("model") == "none" and any(c.tag in _INFO_TAGS for c in el):
            # libvirt does not read the device info of model='none'
            # (virDomainMemballoonDefParseXML): bind a copy without it
            el2 = copy.deepcopy(el)
            for c in [c for c in el2 if c.tag in _INFO_TAGS]:
                el2.remove(c)
            return generated(el2, ctx)
        return generated(el, ctx)

    Memballoon._xml_parse = staticmethod(_xml_parse)  # type: ignore[method-assign]


_install()


__all__ = ["Memballoon", "MemballoonStats", "MEMBALLOON_MODELS"]
