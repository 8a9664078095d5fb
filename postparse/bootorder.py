"""virDomainDefBootOrderPostParse: per-device <boot order> vs <os><boot>."""

from __future__ import annotations

from typing import Any

from virtxml.errors import PostParseError

from .implicit import field_class
from .util import get, iter_postparse_devices


def os_boot_devs(dom: Any) -> list[Any]:
    os_ = getattr(dom, "os", None)
    for name in ("boot", "boots", "boot_devs"):
        v = get(os_, name)
        if isinstance(v, list):
            return v
    return []


def _os_boot_field(dom: Any) -> str | None:
    os_ = getattr(dom, "os", None)
    for name in ("boot", "boots", "boot_devs"):
        if isinstance(get(os_, name), list):
            return name
    return None


def post_parse_boot_order(dom: Any) -> None:
    seen: set[int] = set()
    for dev in iter_postparse_devices(dom, all_consoles=False, missing_info=False):
        b = getattr(dev, "boot", None)
        order = getattr(b, "order", None)
        if not order:
            continue
        if order in seen:
            raise PostParseError("boot order '%u' used for more than one device" % order)
        seen.add(order)
    osboot = os_boot_devs(dom)
    if osboot and seen:
        raise PostParseError("per-device boot elements cannot be used together with os/boot elements")
    if not osboot and not seen:
        field = _os_boot_field(dom)
        os_ = getattr(dom, "os", None)
        if field is None or os_ is None:
            return
        cls = field_class(type(os_), field)
        if cls is None:
            return
        getattr(os_, field).append(cls(dev="hd"))

