"""``<clock>`` and its ``<timer>`` children."""

from __future__ import annotations

import re
from typing import Any

from ..binding import ULONG, YESNO, Enum, attribute, custom_format, element, elements, xml
from ..binding.conv import escape
from ..flags import FormatFlags

OFFSETS = ("utc", "localtime", "variable", "timezone", "absolute")
BASES = ("utc", "localtime")
TIMER_NAMES = ("platform", "pit", "rtc", "hpet", "tsc", "kvmclock", "hypervclock", "armvtimer")
TICKPOLICIES = ("delay", "catchup", "merge", "discard")
TRACKS = ("boot", "guest", "wall", "realtime")
TIMER_MODES = ("auto", "native", "emulate", "paravirt", "smpsafe")


def _xpath_ll(s: str | None) -> int | None:
    """virXPathLongLong("string(...)"): strtoll base 10, whole string;
    None when missing or invalid."""
    if s is None or re.fullmatch(r"\s*[+-]?\d+", s) is None:
        return None
    v = int(s)
    if not -(1 << 63) <= v < (1 << 63):
        return None
    return v


def _xpath_ull(s: str | None) -> int | None:
    """virXPathULongLong("string(...)"): a negative number is no number
    (oracle-checked with the clock's start)."""
    if s is None or re.fullmatch(r"\s*\+?\d+", s) is None:
        return None
    v = int(s)
    if v >= 1 << 64:
        return None
    return v


@xml("catchup")
class Catchup:
    threshold: int | None = attribute("threshold", ULONG)
    slew: int | None = attribute("slew", ULONG)
    limit: int | None = attribute("limit", ULONG)

    def is_set(self) -> bool:
        return bool(self.threshold or self.slew or self.limit)


@xml("timer")
class Timer:
    name: str | None = attribute("name", Enum(TIMER_NAMES))
    present: bool | None = attribute("present", YESNO)
    tickpolicy: str | None = attribute("tickpolicy", Enum(TICKPOLICIES))
    track: str | None = attribute("track", Enum(TRACKS))
    frequency: int | None = attribute("frequency", ULONG)
    mode: str | None = attribute("mode", Enum(TIMER_MODES))
    catchup: Catchup | None = element("catchup", Catchup)

    @classmethod
    def _xml_parse_hook(cls, kw: dict[str, Any], el: Any, ctx: Any) -> None:
        if kw.get("name") is None:
            raise ctx.error(el, "Missing required attribute 'name' in element 'timer'")

    @custom_format
    def xml_format(self, out: list[str], ind: str, flags: int) -> None:
        s = f"{ind}<timer name='{self.name}'"
        if self.present is not None:
            s += f" present='{'yes' if self.present else 'no'}'"
        if self.tickpolicy:
            s += f" tickpolicy='{self.tickpolicy}'"
        if self.name in ("platform", "rtc") and self.track:
            s += f" track='{self.track}'"
        if self.name == "tsc":
            if self.frequency:
                s += f" frequency='{self.frequency}'"
            if self.mode:
                s += f" mode='{self.mode}'"
        c = self.catchup
        if c is None or not c.is_set():
            out.append(s + "/>\n")
            return
        cs = f"{ind}  <catchup"
        if c.threshold:
            cs += f" threshold='{c.threshold}'"
        if c.slew:
            cs += f" slew='{c.slew}'"
        if c.limit:
            cs += f" limit='{c.limit}'"
        out.append(f"{s}>\n{cs}/>\n{ind}</timer>\n")


@xml("clock")
class Clock:
    """offset utc/localtime (adjustment 'reset' -> ``utc_reset``), variable
    (adjustment, basis, adjustment0), timezone, absolute (start)."""

    offset: str | None = attribute("offset")
    adjustment: Any = attribute("adjustment")
    basis: str | None = attribute("basis")
    adjustment0: Any = attribute("adjustment0")
    timezone: str | None = attribute("timezone")
    start: Any = attribute("start")
    timers: list[Timer] = elements("timer", Timer)
    utc_reset: bool = False

    @classmethod
    def _xml_parse_hook(cls, kw: dict[str, Any], el: Any, ctx: Any) -> None:
        # virXPathString: an empty attribute is an absent one
        for k in ("offset", "adjustment", "basis", "timezone"):
            if kw.get(k) == "":
                kw[k] = None
        off = kw.get("offset")
        if off is None:
            off = "utc"
        elif off not in OFFSETS:
            raise ctx.error(el, f"unknown clock offset '{off}'")
        adj = kw.pop("adjustment", None)
        adj0 = kw.pop("adjustment0", None)
        basis = kw.pop("basis", None)
        tz = kw.pop("timezone", None)
        start = kw.pop("start", None)
        if off in ("utc", "localtime"):
            if adj is not None:
                if adj == "reset":
                    kw["utc_reset"] = True
                else:
                    if re.fullmatch(r"\s*[+-]?\d+", adj) is None or not -(1 << 63) <= int(adj) < (1 << 63):
                        raise ctx.error(el, f"unknown clock adjustment '{adj}'")
                    kw["adjustment"] = int(adj)
                    kw["basis"] = off
                    kw["adjustment0"] = 0
                    off = "variable"
        elif off == "variable":
            kw["adjustment"] = _xpath_ll(adj) or 0
            kw["adjustment0"] = _xpath_ll(adj0) or 0
            if basis is None:
                basis = "utc"
            elif basis not in BASES:
                raise ctx.error(el, f"unknown clock basis '{basis}'")
            kw["basis"] = basis
        elif off == "timezone":
            if tz is None:
                raise ctx.error(el, "missing 'timezone' attribute for clock with offset='timezone'")
            kw["timezone"] = tz
        elif off == "absolute":
            v = _xpath_ull(start)
            if v is None:
                raise ctx.error(el, "missing 'start' attribute for clock with offset='absolute'")
            kw["start"] = v
        kw["offset"] = off

    @custom_format
    def xml_format(self, out: list[str], ind: str, flags: int) -> None:
        off = self.offset or "utc"
        s = f"{ind}<clock offset='{off}'"
        if off in ("utc", "localtime"):
            if self.utc_reset:
                s += " adjustment='reset'"
        elif off == "variable":
            s += f" adjustment='{self.adjustment or 0}' basis='{self.basis or 'utc'}'"
            if flags & FormatFlags.CLOCK_ADJUST and self.adjustment0:
                s += f" adjustment0='{self.adjustment0}'"
        elif off == "timezone":
            s += f" timezone='{escape(self.timezone or '')}'"
        elif off == "absolute":
            s += f" start='{self.start or 0}'"
        if not self.timers:
            out.append(s + "/>\n")
            return
        out.append(s + ">\n")
        for t in self.timers:
            t.xml_format(out, ind + "  ", flags)
        out.append(f"{ind}</clock>\n")
