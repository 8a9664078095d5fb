"""``<iommu>`` (libvirt 9.0's virDomainIOMMUDefParseXML /
virDomainIOMMUDefFormat).

``model`` is required; ``<driver>`` holds ``intremap caching_mode eim iotlb``
(on/off) and ``aw_bits`` (decimal, written when > 0), written only when it
has an attribute; then ``<alias>``, ``<acpi>``, ``<address>``.

libvirt 9.0 knows no ``dma_translation`` attribute (added in a later
release): it is not read, as in libvirt 9.0.
"""

from __future__ import annotations

from typing import Any

import attrs

from ...binding import ONOFF, UINT, Enum, attribute, element, xml
from .info import ACPI, Address, Alias, Master
from .rng import check_attr, check_info, first_child, prechecked

IOMMU_MODELS = ("intel", "smmuv3", "virtio")


@xml("driver")
class IOMMUDriver:
    intremap: bool | None = attribute("intremap", ONOFF)
    caching_mode: bool | None = attribute("caching_mode", ONOFF)
    eim: bool | None = attribute("eim", ONOFF)
    iotlb: bool | None = attribute("iotlb", ONOFF)
    aw_bits: int | None = attribute("aw_bits", UINT)

    def is_empty(self) -> bool:
        return (self.intremap is None and self.caching_mode is None and self.eim is None
                and self.iotlb is None and not self.aw_bits)


_MODEL = Enum(IOMMU_MODELS)


@prechecked
@xml("iommu")
class IOMMU:
    model: str | None = attribute("model", _MODEL)
    driver: IOMMUDriver | None = element("driver", IOMMUDriver,
                                         when=lambda o, f: o.driver is not None and not o.driver.is_empty())
    alias: Alias | None = element("alias", Alias)
    master: Master | None = element("master", Master)
    acpi: ACPI | None = element("acpi", ACPI)
    address: Address | None = element("address", Address)

    @staticmethod
    def _xml_precheck(el: Any, ctx: Any) -> None:
        check_attr(el, ctx, "model", _MODEL, required=True)
        d = first_child(el, "driver")
        if d is not None:
            # libvirt's order: intremap caching_mode iotlb eim aw_bits
            for a in ("intremap", "caching_mode", "iotlb", "eim"):
                check_attr(d, ctx, a, ONOFF)
            check_attr(d, ctx, "aw_bits", UINT)
        check_info(el, ctx)

    @classmethod
    def _xml_parse_hook(cls, kw: dict[str, Any], el: Any, ctx: Any) -> None:
        d = kw.get("driver")
        if d is not None:
            if d.aw_bits == 0:
                d = attrs.evolve(d, aw_bits=None)
            kw["driver"] = None if d.is_empty() else d


__all__ = ["IOMMU", "IOMMUDriver", "IOMMU_MODELS"]
