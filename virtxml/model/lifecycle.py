"""Lifecycle actions (``<on_poweroff>`` ...), ``<pm>`` and ``<perf>``."""

from __future__ import annotations

from typing import Any

from ..binding import YESNO, Custom, attribute, custom_format, element, elements, xml
from ..binding.conv import ConvError

LIFECYCLE_ACTIONS = ("destroy", "restart", "rename-restart", "preserve", "coredump-destroy",
                     "coredump-restart")
LOCK_FAILURE_ACTIONS = ("default", "poweroff", "restart", "pause", "ignore")

#: libvirt's defaults when the element is absent
LIFECYCLE_DEFAULTS = {"on_poweroff": "destroy", "on_reboot": "restart", "on_crash": "destroy"}

PERF_EVENTS = ("cmt", "mbmt", "mbml", "cpu_cycles", "instructions", "cache_references", "cache_misses",
               "branch_instructions", "branch_misses", "bus_cycles", "stalled_cycles_frontend",
               "stalled_cycles_backend", "ref_cpu_cycles", "cpu_clock", "task_clock", "page_faults",
               "context_switches", "cpu_migrations", "page_faults_min", "page_faults_maj",
               "alignment_faults", "emulation_faults")


def action_conv(name: str, values: tuple[str, ...] = LIFECYCLE_ACTIONS) -> Custom:
    """``<on_X>action</on_X>`` with libvirt's "unknown %s action: %s"."""

    def p(s: str) -> str:
        if s not in values:
            raise ConvError(f"unknown {name} action: {{value}}")
        return s

    return Custom(p, lambda v: v, name="enum(" + "|".join(values) + ")")


ON_POWEROFF = action_conv("on_poweroff")
ON_REBOOT = action_conv("on_reboot")
ON_CRASH = action_conv("on_crash")
ON_LOCKFAILURE = action_conv("on_lockfailure", LOCK_FAILURE_ACTIONS)


PM_STATE = YESNO


@xml("suspend-to-mem")
class SuspendToMem:
    enabled: bool | None = attribute("enabled", PM_STATE)


@xml("suspend-to-disk")
class SuspendToDisk:
    enabled: bool | None = attribute("enabled", PM_STATE)


@xml("pm")
class PM:
    suspend_to_mem: SuspendToMem | None = element("suspend-to-mem", SuspendToMem)
    suspend_to_disk: SuspendToDisk | None = element("suspend-to-disk", SuspendToDisk)

    @classmethod
    def _xml_parse_hook(cls, kw: dict[str, Any], el: Any, ctx: Any) -> None:
        for k in ("suspend_to_mem", "suspend_to_disk"):
            o = kw.get(k)
            if o is not None and o.enabled is None:
                kw[k] = None

    @property
    def s3(self) -> bool | None:
        return self.suspend_to_mem.enabled if self.suspend_to_mem else None

    @property
    def s4(self) -> bool | None:
        return self.suspend_to_disk.enabled if self.suspend_to_disk else None

    @custom_format
    def xml_format(self, out: list[str], ind: str, flags: int) -> None:
        if self.suspend_to_mem is None and self.suspend_to_disk is None:
            return
        self._xml_format_generated(out, ind, flags)


def _perf_bool(s: str) -> bool:
    if s == "yes":
        return True
    if s == "no":
        return False
    raise ConvError()


@xml("event")
class PerfEvent:
    name: str | None = attribute("name")
    enabled: bool | None = attribute("enabled", Custom(_perf_bool, lambda v: "yes" if v else "no"))

    @classmethod
    def _xml_parse_hook(cls, kw: dict[str, Any], el: Any, ctx: Any) -> None:
        n = kw.get("name")
        if n is None:
            raise ctx.error(el, "Missing required attribute 'name' in element 'event'")
        if n not in PERF_EVENTS:
            raise ctx.error(el, f"Invalid value for attribute 'name' in element 'event': '{n}'.")
        if kw.get("enabled") is None:
            raise ctx.error(el, "Missing required attribute 'enabled' in element 'event'")


@xml("perf")
class Perf:
    events: list[PerfEvent] = elements("event", PerfEvent)

    @classmethod
    def _xml_parse_hook(cls, kw: dict[str, Any], el: Any, ctx: Any) -> None:
        seen: dict[str, PerfEvent] = {}
        for e in kw.get("events") or []:
            if e.name in seen:
                raise ctx.error(el, f"perf event '{e.name}' was already specified")
            seen[e.name] = e  # type: ignore[index]
        kw["events"] = [seen[n] for n in PERF_EVENTS if n in seen]

    @custom_format
    def xml_format(self, out: list[str], ind: str, flags: int) -> None:
        if self.events:
            self._xml_format_generated(out, ind, flags)
