"""virDomainDefPostParseTimer: what each guest timer may set."""

from __future__ import annotations

from typing import Any

from virtxml.errors import PostParseError

from .util import get


def timers(dom: Any) -> list[Any]:
    clock = get(dom, "clock")
    t = get(clock, "timers")
    if t is None:
        t = get(clock, "timer")
    return list(t or [])


def post_parse_timers(dom: Any) -> None:
    for t in timers(dom):
        name = get(t, "name")
        tick = get(t, "tickpolicy")
        if name in ("kvmclock", "hypervclock") and tick:
            raise PostParseError("timer %s doesn't support setting of timer tickpolicy" % name)
        catchup = get(t, "catchup")
        if tick != "catchup" and catchup is not None and (
                get(catchup, "threshold") or get(catchup, "limit") or get(catchup, "slew")):
            raise PostParseError("setting of timer catchup policies is only supported with tickpolicy='catchup'")
        if name != "tsc":
            if get(t, "frequency"):
                raise PostParseError("timer %s doesn't support setting of timer frequency" % name)
            if get(t, "mode"):
                raise PostParseError("timer %s doesn't support setting of timer mode" % name)
        if name not in ("platform", "rtc") and get(t, "track"):
            raise PostParseError("timer %s doesn't support setting of timer track" % name)
