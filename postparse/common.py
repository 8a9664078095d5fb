"""virDomainDefPostParseCommon: the generic steps of behaviour §2.3, in
libvirt's order.  Every failure here is fatal."""

from __future__ import annotations

from typing import Any

from virtxml.errors import PostParseError

from . import bootorder, controllers, graphics, implicit, memory, timers, vcpus, video
from . import os as osmod
from .driver import Feature
from .util import devlist, os_type


def reject_duplicate_panics(dom: Any) -> None:
    seen: set[Any] = set()
    for p in devlist(dom, "panics"):
        model = getattr(p, "model", None)
        key = model or "default"
        if key in seen:
            raise PostParseError("Multiple panic devices with model '%s'" % key)
        seen.add(key)


def post_parse_common(dom: Any, ctx: Any) -> None:
    from .engine import device_post_parse

    osmod.post_parse_init(dom)
    vcpus.post_parse_vcpus(dom)
    memory.post_parse_memory(dom, ctx.flags)
    osmod.post_parse_firmware_features(dom)
    osmod.post_parse_os(dom)
    memory.post_parse_memtune(dom)
    controllers.reject_duplicates(dom)
    reject_duplicate_panics(dom)
    if os_type(dom) == "hvm" and not ctx.driver.has(Feature.NO_BOOT_ORDER):
        bootorder.post_parse_boot_order(dom)
    timers.post_parse_timers(dom)
    implicit.add_implicit_devices(dom)
    video.post_parse_videos(dom, ctx)
    serials = devlist(dom, "serials")
    if serials:
        device_post_parse(dom, serials[0], ctx)
    for c in list(devlist(dom, "controllers")):
        if getattr(c, "type", None) == "scsi" and getattr(c, "model", None) is None:
            device_post_parse(dom, c, ctx)
    graphics.post_parse_graphics(dom)
    osmod.post_parse_cpu(dom)
