"""virDomainDefPostParseTimer: what each guest timer may set."""

from __future__ import annotations

from typing import Any

from virtxml.errors import PostParseError


def timers(dom: Any) -> list[Any]:
    clock = getattr(dom, "clock", None)
    t = getattr(clock, "timers", None)
    if t is None:
        t = getattr(clock, "timer", None)
    return list(t or [])


def post_parse_timers(dom: Any) -> None:
    for t in timers(dom):
        name = getattr(t, "name", None)
        tick = getattr(t, "tickpolicy", None)
        if name in ("kvmclock", "hypervclock") and tick:
            raise PostParseError("timer %s doesn't support setting of timer tickpolicy" % name)
        catchup = getattr(t, "catchup", None)
        if tick != "catchup" and catchup is not None and (
                getattr(catchup, "threshold", None) or getattr(catchup, "limit", None) or getattr(catchup, "slew", None)):
            raise PostParseError("setting of timer catchup policies is only supported with tickpolicy='catchup'")
        if name != "tsc":
            if getattr(t, "frequency", None):
                raise PostParseError("timer %s doesn't support setting of timer frequency" % name)
            if getattr(t, "mode", None):
                raise PostParseError("timer %s doesn't support setting of timer mode" % name)
        if name not in ("platform", "rtc") and getattr(t, "track", None):
            raise PostParseError("timer %s doesn't support setting of timer track" % name)
