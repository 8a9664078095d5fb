"""``<vsock>`` (libvirt 9.0's virDomainVsockDefParseXML /
virDomainVsockDefFormat).

``model`` optional (``default`` accepted, means none); ``<cid auto='yes|no'
address='N'/>`` (address non-zero decimal; the element is written only with
an attribute); then ``<alias>``, ``<acpi>``, ``<address>`` and last
``<driver>`` with the virtio options.  An empty ``<vsock>`` is not written
(virXMLFormatElement).
"""

from __future__ import annotations

from typing import Any

from ...binding import YESNO, Enum, Int, attribute, custom_format, element, xml
from .info import ACPI, Address, Alias, Master
from .rng import (VirtioDriver, check_attr, check_driver, check_info, driver_present, drop_empty_driver, first_child,
                  prechecked)

VSOCK_MODELS = ("virtio", "virtio-transitional", "virtio-non-transitional")


_MODEL = Enum(("default",) + VSOCK_MODELS)
_CID = Int(nonzero=True)


@xml("cid")
class VsockCID:
    auto: bool | None = attribute("auto", YESNO)
    address: int | None = attribute("address", _CID)

    def is_empty(self) -> bool:
        return self.auto is None and self.address is None


@prechecked
@xml("vsock")
class Vsock:
    model: str | None = attribute("model", _MODEL)
    cid: VsockCID | None = element("cid", VsockCID, when=lambda o, f: o.cid is not None and not o.cid.is_empty())
    alias: Alias | None = element("alias", Alias)
    master: Master | None = element("master", Master)
    acpi: ACPI | None = element("acpi", ACPI)
    address: Address | None = element("address", Address)
    driver: VirtioDriver | None = element("driver", VirtioDriver, when=driver_present)

    @staticmethod
    def _xml_precheck(el: Any, ctx: Any) -> None:
        check_attr(el, ctx, "model", _MODEL)
        c = first_child(el, "cid")
        if c is not None:
            check_attr(c, ctx, "address", _CID)
            check_attr(c, ctx, "auto", YESNO)
        check_info(el, ctx)
        check_driver(el, ctx)

    @classmethod
    def _xml_parse_hook(cls, kw: dict[str, Any], el: Any, ctx: Any) -> None:
        if kw.get("model") == "default":
            kw["model"] = None
        c = kw.get("cid")
        if c is not None and c.is_empty():
            kw["cid"] = None
        drop_empty_driver(kw)

    @custom_format
    def xml_format(self, out: list[str], ind: str, flags: int) -> None:
        # virXMLFormatElement: nothing at all when empty
        n = len(out)
        self._xml_format_generated(out, ind, flags)
        if len(out) == n + 1 and out[n] == ind + "<vsock/>\n":
            del out[n]


__all__ = ["Vsock", "VsockCID", "VSOCK_MODELS"]
