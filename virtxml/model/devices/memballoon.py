"""``<memballoon>`` (libvirt 9.0's virDomainMemballoonDefParseXML /
virDomainMemballoonDefFormat).

Output order: attributes ``model autodeflate freePageReporting``; children
``<stats period>``, ``<alias>``, ``<acpi>``, ``<address>``, ``<driver>``.

Parse-time rules: ``model`` is required ("Missing required attribute
'model' in element 'memballoon'"); ``<stats period>`` is a signed integer
(any base), a negative one counts as 0 and 0 is not written; with
``model='none'`` the device info (alias, acpi, address) is not read at all;
a ``<driver>`` without virtio options is not written.
"""

from __future__ import annotations

from typing import Any

from ...binding import ONOFF, Enum, Int, attribute, element, xml
from .info import ACPI, Address, Alias
from .rng import VirtioDriver, driver_present, drop_empty_driver

MEMBALLOON_MODELS = ("virtio", "xen", "none", "virtio-transitional", "virtio-non-transitional")


@xml("stats")
class MemballoonStats:
    """``<stats period='N'/>`` (seconds)."""

    period: int | None = attribute("period", Int(signed=True, base=0))


@xml("memballoon")
class Memballoon:
    model: str | None = attribute("model", Enum(MEMBALLOON_MODELS))
    autodeflate: bool | None = attribute("autodeflate", ONOFF)
    free_page_reporting: bool | None = attribute("freePageReporting", ONOFF)
    stats: MemballoonStats | None = element("stats", MemballoonStats)
    alias: Alias | None = element("alias", Alias)
    acpi: ACPI | None = element("acpi", ACPI)
    address: Address | None = element("address", Address)
    driver: VirtioDriver | None = element("driver", VirtioDriver, when=driver_present)

    @classmethod
    def _xml_parse_hook(cls, kw: dict[str, Any], el: Any, ctx: Any) -> None:
        if kw.get("model") is None:
            raise ctx.error(el, "Missing required attribute 'model' in element 'memballoon'")
        st = kw.get("stats")
        if st is not None:
            p = st.period or 0
            kw["stats"] = MemballoonStats(period=p) if p > 0 else None
        if kw["model"] == "none":
            # libvirt skips virDomainDeviceInfoParseXML for model='none'
            kw.pop("alias", None)
            kw.pop("acpi", None)
            kw.pop("address", None)
        drop_empty_driver(kw)


__all__ = ["Memballoon", "MemballoonStats", "MEMBALLOON_MODELS"]
