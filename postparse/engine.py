"""STUB engine (to be completed): runs the driver callbacks in libvirt's order."""

from __future__ import annotations

from typing import Any

from virtxml.flags import ParseFlags

from .driver import Driver, PostParseContext


def post_parse(dom: Any, driver: Driver, flags: int = 0, options: dict[str, Any] | None = None,
               data: Any = None) -> PostParseContext:
    ctx = PostParseContext(flags=flags, driver=driver, data=data, options=dict(options or {}))
    return ctx


def validate(dom: Any, driver: Driver, ctx: PostParseContext) -> None:
    return None


def rerun_post_parse(dom: Any, driver: Driver, options: dict[str, Any] | None = None) -> PostParseContext:
    ctx = post_parse(dom, driver, ParseFlags.NONE, options)
    dom.post_parse_failed = False
    return ctx
