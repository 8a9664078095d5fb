"""vCPUs, IOThreads, ``<cputune>``, ``<numatune>``, ``<resource>`` and the
guest ``<cpu>`` with its NUMA topology (cpu_conf.c, numa_conf.c)."""

from __future__ import annotations

import re
from typing import Any

import attrs

from ..binding import (INT, UINT, ULONG, YESNO, Custom, Enum, Int, choice, attribute, custom_format, element,
                       elements, text, text_element, xml)
from ..binding.conv import INVALID, ConvError, ScaleError, escape, parse_scaled
from ..flags import FormatFlags, ParseFlags
from .common import HOOKED, Bitmap, checked_later, format_bitmap, int_conv, legacy_enum, parse_bitmap, require_attrs
from .devices.info import omit_if_empty

# ====================================================================== vcpu

PLACEMENTS = ("static", "auto")


def _vcpu_count() -> Custom:
    """virStrToLong_ui: a sign is allowed and a negative wraps; "-0" is 0.
    (Other negatives wrap to counts near UINT_MAX that libvirt then fails
    on without a message: refused here with the parse text.)"""
    base = int_conv("maximum vcpus count must be an integer")

    def p(s: str) -> int:
        if re.match(r"\s*-0+\Z", s):
            return 0
        return int(base.parse(s))

    return Custom(p, str, message="maximum vcpus count must be an integer", name="int")


_VCPU_COUNT = _vcpu_count()


@xml("vcpu")
class Vcpu:
    """``<vcpu placement= cpuset= current=>max</vcpu>``."""

    placement: str | None = attribute("placement", Enum(PLACEMENTS))
    cpuset: tuple[int, ...] | None = attribute("cpuset", Bitmap())
    current: int | None = attribute("current", UINT)
    count: int | None = text(_VCPU_COUNT)

    @classmethod
    def _xml_parse_hook(cls, kw: dict[str, Any], el: Any, ctx: Any) -> None:
        # the current > max check (virDomainDefSetVcpus) needs <vcpus>:
        # see check_current()
        if kw.get("count") is None:
            # an empty <vcpu/> is not a number
            raise ctx.error(el, "maximum vcpus count must be an integer")
        if kw.get("current") is None:
            kw["current"] = kw["count"]
        if kw.get("placement") is None:
            kw["placement"] = "static"
        if kw["placement"] == "auto":
            kw.pop("cpuset", None)
        elif kw.get("cpuset") is not None and not kw["cpuset"]:
            raise ctx.error(el, "Invalid value of 'cpuset': %s" % el.get("cpuset"))

    def check_current(self, el: Any, ctx: Any) -> None:
        if self.current is not None and self.count is not None and self.current > self.count:
            raise ctx.error(el, "maximum vCPU count must not be less than current vCPU count")

    @custom_format
    def xml_format(self, out: list[str], ind: str, flags: int) -> None:
        s = f"{ind}<vcpu placement='{self.placement or 'static'}'"
        if self.cpuset is not None and self.placement != "auto":
            s += f" cpuset='{format_bitmap(self.cpuset)}'"
        count = 1 if self.count is None else self.count
        if self.current is not None and self.current < count:
            s += f" current='{self.current}'"
        out.append(f"{s}>{count}</vcpu>\n")


def _vcpu_bool(attr: str) -> Custom:
    def p(s: str) -> bool:
        if s == "yes":
            return True
        if s == "no":
            return False
        raise ConvError(f"invalid vcpu '{attr}' value '{{value}}'")

    return Custom(p, lambda v: "yes" if v else "no", name="yes|no")


@xml("vcpu")
class VcpuEntry:
    """``<vcpus><vcpu id= enabled= hotpluggable= order=/>``."""

    id: int | None = attribute("id", UINT)
    enabled: bool | None = attribute("enabled", YESNO)
    hotpluggable: bool | None = attribute("hotpluggable", YESNO)
    order: int | None = attribute("order", UINT)

    @classmethod
    def _xml_parse_hook(cls, kw: dict[str, Any], el: Any, ctx: Any) -> None:
        if kw.get("id") is None:
            raise ctx.error(el, "Missing required attribute 'id' in element 'vcpu'")
        if kw.get("enabled") is None:
            raise ctx.error(el, "Missing required attribute 'enabled' in element 'vcpu'")
        if kw.get("order") == 0:
            kw["order"] = None


@xml("vcpus")
class Vcpus:
    """Individual vCPU states; normalised at parse to one entry per vCPU,
    sorted by id (libvirt's def->vcpus array)."""

    vcpus: list[VcpuEntry] = elements("vcpu", VcpuEntry)


# ================================================================= iothreads

def _pool(attr: str) -> Any:
    return attribute(attr, Int(signed=True, message=INVALID + " Expected integer value"))


@xml("iothread")
class IOThread:
    id: int | None = attribute("id", UINT)
    thread_pool_min: int | None = _pool("thread_pool_min")
    thread_pool_max: int | None = _pool("thread_pool_max")
    #: filled in by libvirt (not written unless another iothread is explicit)
    autofill: bool = attrs.field(default=False, eq=False)

    @classmethod
    def _xml_parse_hook(cls, kw: dict[str, Any], el: Any, ctx: Any) -> None:
        if kw.get("id") is None:
            raise ctx.error(el, "Missing required attribute 'id' in element 'iothread'")
        if kw["id"] == 0:
            raise ctx.error(el, "Invalid value for attribute 'id' in element 'iothread': Zero is not permitted")
        _check_pool(kw, el, ctx)


def _check_pool(kw: dict[str, Any], el: Any, ctx: Any) -> None:
    """virXMLPropInt(..., VIR_XML_PROP_NONNEGATIVE)."""
    tag = el.tag if isinstance(el.tag, str) else ""
    for a in ("thread_pool_min", "thread_pool_max"):
        v = kw.get(a)
        if v is not None and v < 0:
            raise ctx.error(el, f"Invalid value for attribute '{a}' in element '{tag}': '{el.get(a)}'. "
                                "Expected non-negative value")


@xml("iothreadids")
class IOThreadIDs:
    iothreads: list[IOThread] = elements("iothread", IOThread)

    def should_format(self) -> bool:
        return any(not t.autofill or t.thread_pool_min is not None or t.thread_pool_max is not None
                   for t in self.iothreads)

    @custom_format
    def xml_format(self, out: list[str], ind: str, flags: int) -> None:
        if self.iothreads and self.should_format():
            self._xml_format_generated(out, ind, flags)


@xml("defaultiothread")
class DefaultIOThread:
    thread_pool_min: int | None = _pool("thread_pool_min")
    thread_pool_max: int | None = _pool("thread_pool_max")

    @classmethod
    def _xml_parse_hook(cls, kw: dict[str, Any], el: Any, ctx: Any) -> None:
        _check_pool(kw, el, ctx)

    @custom_format
    def xml_format(self, out: list[str], ind: str, flags: int) -> None:
        if self.thread_pool_min is None and self.thread_pool_max is None:
            return
        self._xml_format_generated(out, ind, flags)


# =================================================================== cputune

#: a bitmap attribute parsed by the class's hook (own error texts)
_HOOKED_BITMAP = Custom(lambda s: s, format_bitmap, name="bitmap")

SCHEDULERS = ("batch", "idle", "fifo", "rr")


def _tune(name: str, signed: bool = False) -> Any:
    return text_element(name, int_conv(f"can't parse cputune {name.replace('_', ' ')} value", signed=signed,
                                       bits=64))


@xml("vcpupin")
class VcpuPin:
    """``<vcpupin vcpu= cpuset=>``; the cpuset is checked by
    :func:`finish_pins` (libvirt ignores pins of missing vCPUs first)."""

    vcpu: int | None = attribute("vcpu", UINT)
    cpuset: Any = attribute("cpuset", _HOOKED_BITMAP)

    @classmethod
    def _xml_parse_hook(cls, kw: dict[str, Any], el: Any, ctx: Any) -> None:
        if kw.get("vcpu") is None:
            raise ctx.error(el, "Missing required attribute 'vcpu' in element 'vcpupin'")


def _pin_cpuset(raw: str | None, el: Any, ctx: Any, what: str) -> tuple[int, ...]:
    if raw is None:
        raise ctx.error(el, f"missing cpuset for {what}")
    try:
        bits = parse_bitmap(raw, 16384)
    except ValueError:
        raise ctx.error(el, f"Failed to parse bitmap '{raw}'") from None
    if not bits:
        raise ctx.error(el, f"Invalid value of 'cpuset': {raw}")
    return bits


@xml("emulatorpin")
class EmulatorPin:
    cpuset: Any = attribute("cpuset", _HOOKED_BITMAP)

    @classmethod
    def _xml_parse_hook(cls, kw: dict[str, Any], el: Any, ctx: Any) -> None:
        kw["cpuset"] = _pin_cpuset(kw.get("cpuset"), el, ctx, "emulatorpin")


@xml("iothreadpin")
class IOThreadPin:
    iothread: int | None = attribute("iothread", UINT)
    cpuset: Any = attribute("cpuset", _HOOKED_BITMAP)

    @classmethod
    def _xml_parse_hook(cls, kw: dict[str, Any], el: Any, ctx: Any) -> None:
        if kw.get("iothread") is None:
            raise ctx.error(el, "Missing required attribute 'iothread' in element 'iothreadpin'")
        if kw["iothread"] == 0:
            raise ctx.error(el, "Invalid value for attribute 'iothread' in element 'iothreadpin': "
                                "Zero is not permitted")


def finish_pins(ct: "Cputune", maxvcpus: int, iothread_ids: list[int], el: Any, ctx: Any) -> None:
    """virDomainVcpuPinDefParseXML / virDomainIOThreadPinDefParseXML in
    document order: pins of missing vCPUs are ignored, an iothread must
    exist, one pin per vCPU / iothread."""
    pins: dict[int, VcpuPin] = {}
    for p in ct.vcpupins:
        if p.vcpu >= maxvcpus:  # type: ignore[operator]
            continue  # "Ignoring vcpupin for missing vcpus"
        if p.cpuset is None:
            raise ctx.error(el, "missing cpuset for vcpupin")
        if p.vcpu in pins:
            raise ctx.error(el, "duplicate vcpupin for vcpu '%d'" % p.vcpu)
        if isinstance(p.cpuset, str):
            p.cpuset = _pin_cpuset(p.cpuset, el, ctx, "vcpupin")
        pins[p.vcpu] = p  # type: ignore[index]
    ct.vcpupins = [pins[k] for k in sorted(pins)]
    ipins: dict[int, IOThreadPin] = {}
    for q in ct.iothreadpins:
        if q.iothread not in iothread_ids:
            raise ctx.error(el, "Cannot find 'iothread' : %u" % q.iothread)
        if isinstance(q.cpuset, str) or q.cpuset is None:
            q.cpuset = _pin_cpuset(q.cpuset, el, ctx, "iothreadpin")
        if q.iothread in ipins:
            raise ctx.error(el, "duplicate iothreadpin for same iothread '%u'" % q.iothread)
        ipins[q.iothread] = q  # type: ignore[index]
    ct.iothreadpins = [ipins[i] for i in iothread_ids if i in ipins]


def _sched_hook(kw: dict[str, Any], el: Any, ctx: Any, attr: str | None, tag: str) -> None:
    """virDomainSchedulerParse + virDomainSchedulerParseCommonAttrs."""
    if attr is not None:
        raw = el.get(attr)
        if raw is None:
            raise ctx.error(el, f"Missing attribute '{attr}' in element '{tag}'")
        try:
            bits = parse_bitmap(raw, 16384)
        except ValueError:
            raise ctx.error(el, f"Failed to parse bitmap '{raw}'") from None
        if not bits:
            raise ctx.error(el, f"'{attr}' scheduler bitmap '{raw}' is empty")
        kw[attr] = bits
    sch = el.get("scheduler")
    if sch is None:
        raise ctx.error(el, f"Missing required attribute 'scheduler' in element '{tag}'")
    if sch not in SCHEDULERS:
        raise ctx.error(el, f"Invalid value for attribute 'scheduler' in element '{tag}': '{sch}'.")
    kw["scheduler"] = sch
    if sch in ("fifo", "rr"):
        pr = el.get("priority")
        if pr is None:
            raise ctx.error(el, f"Missing required attribute 'priority' in element '{tag}'")
        try:
            kw["priority"] = INT.parse(pr)
        except ConvError:
            raise ctx.error(el, f"Invalid value for attribute 'priority' in element '{tag}': '{pr}'. "
                                "Expected integer value") from None
    else:
        kw["priority"] = None


_BITMAP_PLAIN = Bitmap()


@xml("vcpusched")
class VcpuSched:
    vcpus: tuple[int, ...] | None = attribute("vcpus", _HOOKED_BITMAP)
    scheduler: str | None = attribute("scheduler", Custom(lambda s: s, lambda v: v))
    priority: int | None = attribute("priority", Custom(lambda s: s, str))

    @classmethod
    def _xml_parse_hook(cls, kw: dict[str, Any], el: Any, ctx: Any) -> None:
        _sched_hook(kw, el, ctx, "vcpus", "vcpusched")


@xml("iothreadsched")
class IOThreadSched:
    iothreads: tuple[int, ...] | None = attribute("iothreads", _HOOKED_BITMAP)
    scheduler: str | None = attribute("scheduler", Custom(lambda s: s, lambda v: v))
    priority: int | None = attribute("priority", Custom(lambda s: s, str))

    @classmethod
    def _xml_parse_hook(cls, kw: dict[str, Any], el: Any, ctx: Any) -> None:
        _sched_hook(kw, el, ctx, "iothreads", "iothreadsched")


@xml("emulatorsched")
class EmulatorSched:
    scheduler: str | None = attribute("scheduler", Custom(lambda s: s, lambda v: v))
    priority: int | None = attribute("priority", Custom(lambda s: s, str))

    @classmethod
    def _xml_parse_hook(cls, kw: dict[str, Any], el: Any, ctx: Any) -> None:
        _sched_hook(kw, el, ctx, None, "emulatorsched")


CACHE_TYPES = ("both", "code", "data")
_PRETTY_UNITS = ("B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB")


def int_pretty(v: int) -> tuple[int, str]:
    """virFormatIntPretty: the largest binary unit dividing ``v``."""
    i = 0
    while v and v % 1024 == 0 and i < len(_PRETTY_UNITS) - 1:
        v //= 1024
        i += 1
    return v, _PRETTY_UNITS[i]


def _req_uint(el: Any, ctx: Any, attr: str, what: str = "") -> int:
    """virXMLPropUInt(..., VIR_XML_PROP_REQUIRED)."""
    v = el.get(attr)
    if v is None:
        raise ctx.error(el, f"Missing required attribute '{attr}' in element '{el.tag}'")
    try:
        return UINT.parse(v)
    except ConvError:
        raise ctx.error(el, f"Invalid value for attribute '{attr}' in element '{el.tag}': '{v}'. "
                            "Expected non-negative integer value") from None


@xml("cache")
class CachetuneCache:
    """``<cache id= level= type= size= unit=>``; ``size`` kept in bytes."""

    id: int | None = attribute("id", UINT)
    level: int | None = attribute("level", UINT)
    type: str | None = attribute("type")
    size: int | None = attribute("size")
    unit: str | None = attribute("unit")

    @classmethod
    def _xml_parse_hook(cls, kw: dict[str, Any], el: Any, ctx: Any) -> None:
        kw["id"] = _req_uint(el, ctx, "id")
        kw["level"] = _req_uint(el, ctx, "level")
        t = el.get("type")
        if t is None:
            raise ctx.error(el, "Missing required attribute 'type' in element 'cache'")
        if t not in CACHE_TYPES:
            raise ctx.error(el, f"Invalid value for attribute 'type' in element 'cache': '{t}'.")
        s = el.get("size")
        if not s:  # virXPathString: empty is missing
            raise ctx.error(el, "missing element or attribute './@size'")
        try:
            kw["size"] = parse_scaled(s, el.get("unit"), "./@size", default=1024, max_bytes=(1 << 64) - 1)
        except ScaleError as e:
            raise ctx.error(el, e.message) from None
        kw["unit"] = None

    @custom_format
    def xml_format(self, out: list[str], ind: str, flags: int) -> None:
        v, u = int_pretty(self.size or 0)
        out.append(f"{ind}<cache id='{self.id}' level='{self.level}' type='{self.type}' size='{v}' unit='{u}'/>\n")


@xml("monitor")
class ResctrlMonitor:
    level: int | None = attribute("level", HOOKED)
    vcpus: tuple[int, ...] | None = attribute("vcpus", HOOKED)

    @classmethod
    def _xml_parse_hook(cls, kw: dict[str, Any], el: Any, ctx: Any) -> None:
        lv = el.get("level")
        if lv is None:
            raise ctx.error(el, "Missing required attribute 'level' in element 'monitor'")
        try:
            kw["level"] = UINT.parse(lv)
        except ConvError:
            raise ctx.error(el, f"Invalid value for attribute 'level' in element 'monitor': '{lv}'. "
                                "Expected non-negative integer value") from None
        if kw["level"] != 3:
            raise ctx.error(el, "Invalid monitor cache level '%d'" % kw["level"])
        _resctrl_vcpus(kw, el, ctx)

    @custom_format
    def xml_format(self, out: list[str], ind: str, flags: int) -> None:
        out.append(f"{ind}<monitor level='{self.level}' vcpus='{format_bitmap(self.vcpus or ())}'/>\n")


def _resctrl_vcpus(kw: dict[str, Any], el: Any, ctx: Any, key: str = "vcpus") -> None:
    """virDomainResctrlParseVcpus (the shrink to the vCPU count happens in
    :func:`finish_resctrl`, which needs <vcpu>)."""
    vc = el.get("vcpus")
    if vc is None:
        raise ctx.error(el, f"Missing {el.tag} attribute 'vcpus'")
    try:
        kw[key] = parse_bitmap(vc, 16384)
    except ValueError:
        raise ctx.error(el, f"Invalid {el.tag} attribute 'vcpus' value '{vc}'") from None


def _resctrl_id(kw: dict[str, Any], el: Any, ctx: Any) -> None:
    _resctrl_vcpus(kw, el, ctx)
    if ctx.flags & ParseFlags.INACTIVE:
        kw.pop("id", None)


def _not_inactive(obj: Any, flags: int) -> bool:
    return not flags & FormatFlags.INACTIVE


@xml("cachetune")
class Cachetune:
    vcpus: tuple[int, ...] | None = attribute("vcpus", _HOOKED_BITMAP)
    id: str | None = attribute("id", when=_not_inactive)
    caches: list[CachetuneCache] = elements("cache", CachetuneCache)
    monitors: list[ResctrlMonitor] = elements("monitor", ResctrlMonitor)

    @classmethod
    def _xml_parse_hook(cls, kw: dict[str, Any], el: Any, ctx: Any) -> None:
        _resctrl_id(kw, el, ctx)
        caches = kw.get("caches") or []
        have: list[CachetuneCache] = []
        for c in caches:
            for o in have:
                if o.level == c.level and o.id == c.id and (o.type == c.type or "both" in (o.type, c.type)):
                    raise ctx.error(el, "Colliding cache allocations for cache level '%u' id '%u', type '%s'"
                                    % (c.level, c.id, c.type))
            have.append(c)
        kw["caches"] = sorted(caches, key=lambda c: (c.level, CACHE_TYPES.index(c.type), c.id))

    @custom_format
    def xml_format(self, out: list[str], ind: str, flags: int) -> None:
        if not self.caches and not self.monitors:
            return
        self._xml_format_generated(out, ind, flags)


@xml("node")
class MemorytuneNode:
    id: int | None = attribute("id", UINT)
    bandwidth: int | None = attribute("bandwidth", UINT)

    @classmethod
    def _xml_parse_hook(cls, kw: dict[str, Any], el: Any, ctx: Any) -> None:
        kw["id"] = _req_uint(el, ctx, "id")
        kw["bandwidth"] = _req_uint(el, ctx, "bandwidth")
        if kw["bandwidth"] > 100:
            raise ctx.error(el, "Memory Bandwidth value exceeding 100 is invalid.")


@xml("monitor")
class MemorytuneMonitor:
    vcpus: tuple[int, ...] | None = attribute("vcpus", HOOKED)

    @classmethod
    def _xml_parse_hook(cls, kw: dict[str, Any], el: Any, ctx: Any) -> None:
        _resctrl_vcpus(kw, el, ctx)

    @custom_format
    def xml_format(self, out: list[str], ind: str, flags: int) -> None:
        out.append(f"{ind}<monitor vcpus='{format_bitmap(self.vcpus or ())}'/>\n")


@xml("memorytune")
class Memorytune:
    vcpus: tuple[int, ...] | None = attribute("vcpus", _HOOKED_BITMAP)
    id: str | None = attribute("id", when=_not_inactive)
    nodes: list[MemorytuneNode] = elements("node", MemorytuneNode)
    monitors: list[MemorytuneMonitor] = elements("monitor", MemorytuneMonitor)

    @classmethod
    def _xml_parse_hook(cls, kw: dict[str, Any], el: Any, ctx: Any) -> None:
        _resctrl_id(kw, el, ctx)
        nodes = kw.get("nodes") or []
        ids = set()
        for n in nodes:
            if n.id in ids:
                raise ctx.error(el, "Memory Bandwidth already defined for node %u" % n.id)
            ids.add(n.id)
        kw["nodes"] = sorted(nodes, key=lambda n: n.id)

    @custom_format
    def xml_format(self, out: list[str], ind: str, flags: int) -> None:
        if not self.nodes and not self.monitors:
            return
        self._xml_format_generated(out, ind, flags)


@omit_if_empty
@xml("cputune")
class Cputune:
    shares: int | None = _tune("shares")
    period: int | None = _tune("period")
    quota: int | None = _tune("quota", True)
    global_period: int | None = _tune("global_period")
    global_quota: int | None = _tune("global_quota", True)
    emulator_period: int | None = _tune("emulator_period")
    emulator_quota: int | None = _tune("emulator_quota", True)
    iothread_period: int | None = _tune("iothread_period")
    iothread_quota: int | None = _tune("iothread_quota", True)
    vcpupins: list[VcpuPin] = elements("vcpupin", VcpuPin)
    emulatorpin: EmulatorPin | None = element("emulatorpin", EmulatorPin)
    iothreadpins: list[IOThreadPin] = elements("iothreadpin", IOThreadPin)
    emulatorsched: EmulatorSched | None = element("emulatorsched", EmulatorSched)
    vcpuscheds: list[VcpuSched] = elements("vcpusched", VcpuSched)
    iothreadscheds: list[IOThreadSched] = elements("iothreadsched", IOThreadSched)
    cachetunes: list[Cachetune] = elements("cachetune", Cachetune)
    memorytunes: list[Memorytune] = elements("memorytune", Memorytune)

    @classmethod
    def _xml_parse_hook(cls, kw: dict[str, Any], el: Any, ctx: Any) -> None:
        for f in ("period", "quota", "global_period", "global_quota", "emulator_period", "emulator_quota",
                  "iothread_period", "iothread_quota"):
            if kw.get(f) == 0:
                kw[f] = None
        if len(el.findall("emulatorpin")) > 1:
            raise ctx.error(el, "only one emulatorpin is supported")
        if len(el.findall("emulatorsched")) > 1:
            raise ctx.error(el, "only one emulatorsched is supported")
        # vcpusched: one entry per vcpu
        sched: dict[int, VcpuSched] = {}
        for s in kw.get("vcpuscheds") or []:
            for v in s.vcpus or ():
                if v in sched:
                    raise ctx.error(el, "'vcpusched' attributes 'vcpus' must not overlap")
                sched[v] = VcpuSched(vcpus=(v,), scheduler=s.scheduler, priority=s.priority)
        kw["vcpuscheds"] = [sched[k] for k in sorted(sched)]
        isched: dict[int, IOThreadSched] = {}
        for s in kw.get("iothreadscheds") or []:
            for v in s.iothreads or ():
                if v in isched:
                    raise ctx.error(el, "'iothreadsched' attributes 'iothreads' must not overlap")
                isched[v] = IOThreadSched(iothreads=(v,), scheduler=s.scheduler, priority=s.priority)
        kw["iothreadscheds"] = [isched[k] for k in sorted(isched)]


def finish_resctrl(ct: Cputune, maxvcpus: int, el: Any, ctx: Any) -> None:
    """The part of libvirt's cachetune/memorytune parsing that needs the
    vCPU count: vcpus are cut to existing vCPUs (a group left empty is
    dropped), groups must not overlap, monitors must lie in their group,
    and a group without id gets ``vcpus_<bitmap>``."""

    def shrink(v: Any) -> tuple[int, ...]:
        return tuple(x for x in (v or ()) if x < maxvcpus)

    groups: list[tuple[int, ...]] = []
    ctunes = []
    for c in ct.cachetunes:
        c.vcpus = shrink(c.vcpus)
        if not c.vcpus:
            continue
        for o in groups:
            if o == c.vcpus:
                raise ctx.error(el, "Identical vcpus in cachetunes found")
            if set(o) & set(c.vcpus):
                raise ctx.error(el, "Overlapping vcpus in resctrls")
        _check_monitors(c.monitors, c.vcpus, bool(c.caches), shrink, el, ctx)
        if not c.caches and not c.monitors:
            continue
        groups.append(c.vcpus)
        if c.id is None:
            c.id = "vcpus_" + format_bitmap(c.vcpus)
        ctunes.append(c)
    ct.cachetunes = ctunes
    mtunes = []
    ids = {c.vcpus: c.id for c in ctunes}
    mgroups: list[tuple[int, ...]] = []
    for m in ct.memorytunes:
        m.vcpus = shrink(m.vcpus)
        if not m.vcpus:
            continue
        for o in groups + mgroups:
            if o == m.vcpus:
                if o in mgroups:
                    raise ctx.error(el, "Identical vcpus in memorytunes found")
                continue
            if set(o) & set(m.vcpus):
                raise ctx.error(el, "Overlapping vcpus in resctrls")
        _check_monitors(m.monitors, m.vcpus, bool(m.nodes) or m.vcpus in ids, shrink, el, ctx)
        if not m.nodes and not m.monitors:
            continue
        mgroups.append(m.vcpus)
        if m.vcpus in ids:
            m.id = ids[m.vcpus]
        elif m.id is None:
            m.id = "vcpus_" + format_bitmap(m.vcpus)
        mtunes.append(m)
    ct.memorytunes = mtunes


def _check_monitors(mons: list[Any], vcpus: tuple[int, ...], has_alloc: bool, shrink: Any, el: Any,
                    ctx: Any) -> None:
    """virDomainResctrlValidateMonitor for each monitor of one group."""
    seen: list[tuple[int, ...]] = []
    default_alloc_monitor = not has_alloc
    for mon in mons:
        mon.vcpus = shrink(mon.vcpus)
        if not mon.vcpus:
            raise ctx.error(el, "vcpus is empty")
        if not set(mon.vcpus) <= set(vcpus):
            raise ctx.error(el, "Monitor vcpus conflicts with allocation")
        equal_to_group = mon.vcpus == vcpus
        overlap_any = overlap_no_group = False
        for o in seen:
            if o == mon.vcpus:
                raise ctx.error(el, "Identical vcpus found in same type monitors")
            if set(o) & set(mon.vcpus):
                overlap_any = True
            if equal_to_group or o == vcpus:
                continue
            if set(o) & set(mon.vcpus):
                overlap_no_group = True
        if overlap_no_group or (default_alloc_monitor and overlap_any):
            raise ctx.error(el, "vcpus overlaps in resctrl groups")
        seen.append(mon.vcpus)


# ================================================================== numatune

NUMATUNE_MODES = ("strict", "preferred", "interleave", "restrictive")
NUMATUNE_PLACEMENTS = ("static", "auto")


@xml("memory")
class NumatuneMemory:
    mode: str | None = attribute("mode", legacy_enum(NUMATUNE_MODES, "Unsupported NUMA memory tuning mode '{value}'"))
    nodeset: tuple[int, ...] | None = attribute("nodeset", Bitmap())
    # 'default' (libvirt's 0) is accepted and resolved by Numatune.finish
    placement: str | None = attribute("placement", legacy_enum(("default",) + NUMATUNE_PLACEMENTS,
                                                           "Unsupported NUMA memory placement mode '{value}'"))

    @custom_format
    def xml_format(self, out: list[str], ind: str, flags: int) -> None:
        s = f"{ind}<memory mode='{self.mode or 'strict'}' "
        if self.placement == "static":
            s += f"nodeset='{format_bitmap(self.nodeset or ())}'/>\n"
        elif self.placement:
            s += f"placement='{self.placement}'/>\n"
        out.append(s)


@xml("memnode")
class Memnode:
    cellid: int | None = attribute("cellid", UINT)
    mode: str | None = attribute("mode", Enum(NUMATUNE_MODES))
    nodeset: tuple[int, ...] | None = attribute("nodeset", Bitmap())
    #: the nodeset error libvirt reports after the cellid and mode checks
    #: (raised by Numatune.finish)
    nodeset_error: str | None = attrs.field(default=None, eq=False)

    @classmethod
    def _xml_parse_hook(cls, kw: dict[str, Any], el: Any, ctx: Any) -> None:
        if kw.get("cellid") is None:
            raise ctx.error(el, "Missing required attribute 'cellid' in element 'memnode'")
        if kw.get("mode") is None:
            kw["mode"] = "strict"
        ns = el.get("nodeset")
        if ns is None:
            kw["nodeset_error"] = "Missing required nodeset attribute in memnode element"
        elif not kw["nodeset"]:
            kw["nodeset_error"] = "Invalid value of 'nodeset': %s" % ns


@xml("numatune")
class Numatune:
    memory: NumatuneMemory | None = element("memory", NumatuneMemory)
    memnodes: list[Memnode] = elements("memnode", Memnode)

    @classmethod
    def _xml_parse_hook(cls, kw: dict[str, Any], el: Any, ctx: Any) -> None:
        m = kw.get("memory")
        if m is not None:
            ns = el.find("memory").get("nodeset")
            if m.nodeset is not None and not m.nodeset:
                raise ctx.error(el, "Invalid value of 'nodeset': %s" % ns)

    def finish(self, vcpu_static: bool, ncells: int, el: Any, ctx: Any) -> None:
        """virDomainNumatuneSet + memnode checks (needs <vcpu> and <cpu><numa>)."""
        m = self.memory
        if m is not None:
            if m.mode is None and m.placement is None and m.nodeset is None:
                self.memory = None
            else:
                if m.mode is None:
                    m.mode = "strict"
                placement = m.placement
                if placement in (None, "default"):
                    placement = "static" if (m.nodeset is not None or vcpu_static) else "auto"
                if placement == "static" and m.nodeset is None:
                    raise ctx.error(el, "nodeset for NUMA memory tuning must be set if 'placement' is 'static'",
                                    _unsupported())
                if placement == "auto":
                    m.nodeset = None
                m.placement = placement
        if self.memnodes:
            if self.memory is not None and self.memory.placement == "auto":
                raise ctx.error(el, "Per-node binding is not compatible with automatic NUMA placement.",
                                _unsupported())
            if not ncells:
                raise ctx.error(el, "Element 'memnode' is invalid without any guest NUMA cells")
            seen: dict[int, Memnode] = {}
            for n in self.memnodes:
                if n.cellid is not None and n.cellid >= ncells:
                    raise ctx.error(el, "Argument 'cellid' in memnode element must correspond to existing "
                                        "guest's NUMA cell")
                if n.cellid in seen:
                    raise ctx.error(el, "Multiple memnode elements with cellid %u" % n.cellid)
                if self.memory is not None and self.memory.mode == "restrictive" \
                        and n.mode != "restrictive":
                    raise ctx.error(el, "'restrictive' mode is required in memnode element when mode "
                                        "is 'restrictive' in memory element")
                if n.nodeset_error is not None:
                    raise ctx.error(el, n.nodeset_error)
                seen[n.cellid] = n  # type: ignore[index]
            self.memnodes = [seen[k] for k in sorted(seen)]

    @custom_format
    def xml_format(self, out: list[str], ind: str, flags: int) -> None:
        if self.memory is None and not self.memnodes:
            return
        self._xml_format_generated(out, ind, flags)


def _unsupported() -> Any:
    from ..errors import ParseError

    return ParseError


# ================================================================== resource

@xml("fibrechannel")
class FibreChannel:
    appid: str | None = attribute("appid")


@xml("resource")
class Resource:
    partition: str | None = text_element("partition")
    fibrechannel: FibreChannel | None = element("fibrechannel", FibreChannel)

    @classmethod
    def _xml_parse_hook(cls, kw: dict[str, Any], el: Any, ctx: Any) -> None:
        fc = kw.get("fibrechannel")
        if fc is not None and not fc.appid:
            kw["fibrechannel"] = None
        if not kw.get("partition"):
            kw.pop("partition", None)
        if kw.get("partition") is None and kw.get("fibrechannel") is None:
            # virDomainResourceDefParse returns nothing without an error
            raise ctx.error(el, "An error occurred, but the cause is unknown")

    def is_set(self) -> bool:
        return self.partition is not None or self.fibrechannel is not None


# ======================================================================= cpu

CPU_MODES = ("custom", "host-model", "host-passthrough", "maximum")
CPU_MATCHES = ("minimum", "exact", "strict")
CPU_CHECKS = ("none", "partial", "full")
CPU_FALLBACKS = ("allow", "forbid")
FEATURE_POLICIES = ("force", "require", "optional", "disable", "forbid")
CACHE_MODES = ("emulate", "passthrough", "disable")
MAXPHYSADDR_MODES = ("emulate", "passthrough")


@xml("model")
class CPUModel:
    fallback: str | None = attribute("fallback")
    vendor_id: str | None = attribute("vendor_id")
    name: str | None = text()


def _xpath_ulong(s: str | None) -> int | None:
    """virXPathULong on string(@x), cast to unsigned int."""
    if s is None:
        return None
    import re as _re

    if _re.fullmatch(r"\s*[+-]?\d+", s) is None:
        return None
    v = int(s)
    if abs(v) >= 1 << 64:
        return None
    return (v % (1 << 64)) & 0xFFFFFFFF


@xml("topology")
class Topology:
    sockets: int | None = attribute("sockets", HOOKED)
    dies: int | None = attribute("dies", HOOKED)
    cores: int | None = attribute("cores", HOOKED)
    threads: int | None = attribute("threads", HOOKED)

    @classmethod
    def _xml_parse_hook(cls, kw: dict[str, Any], el: Any, ctx: Any) -> None:
        # virXMLPropUInt: sockets/cores/threads required, all non-zero,
        # dies defaults to 1
        for a in ("sockets", "dies", "cores", "threads"):
            raw = kw.get(a)
            if raw is None:
                if a == "dies":
                    kw["dies"] = 1
                    continue
                raise ctx.error(el, f"Missing required attribute '{a}' in element 'topology'")
            try:
                v = UINT.parse(raw)
            except ConvError:
                raise ctx.error(el, f"Invalid value for attribute '{a}' in element 'topology': '{raw}'. "
                                    "Expected non-negative integer value") from None
            if v == 0:
                raise ctx.error(el, f"Invalid value for attribute '{a}' in element 'topology': "
                                    "Zero is not permitted")
            kw[a] = v


def _cpu_int(message: str) -> Custom:
    return int_conv(message, signed=True)


@xml("cache")
class CPUCache:
    level: int | None = attribute("level", HOOKED)
    mode: str | None = attribute("mode")

    @classmethod
    def _xml_parse_hook(cls, kw: dict[str, Any], el: Any, ctx: Any) -> None:
        lv = kw.get("level")
        if lv is not None:
            try:
                n = INT.parse(lv)
            except ConvError:
                raise ctx.error(el, f"Invalid value for attribute 'level' in element 'cache': '{lv}'. "
                                    "Expected integer value") from None
            if n < 0:
                raise ctx.error(el, f"Invalid value for attribute 'level' in element 'cache': '{lv}'. "
                                    "Expected non-negative value")
            if not 1 <= n <= 3:
                raise ctx.error(el, "invalid CPU cache level, must be in range [1,3]")
            kw["level"] = n
        mode = kw.get("mode")
        if mode is None:
            raise ctx.error(el, "Missing required attribute 'mode' in element 'cache'")
        if mode not in CACHE_MODES:
            raise ctx.error(el, f"Invalid value for attribute 'mode' in element 'cache': '{mode}'.")


@xml("maxphysaddr")
class MaxPhysAddr:
    mode: str | None = attribute("mode", Enum(MAXPHYSADDR_MODES))
    bits: int | None = attribute("bits", Int(signed=True, message=INVALID + " Expected integer value"))

    @classmethod
    def _xml_parse_hook(cls, kw: dict[str, Any], el: Any, ctx: Any) -> None:
        if kw.get("mode") is None:
            raise ctx.error(el, "Missing required attribute 'mode' in element 'maxphysaddr'")
        b = kw.get("bits")
        if b is not None and b < 0:
            raise ctx.error(el, f"Invalid value for attribute 'bits' in element 'maxphysaddr': '{el.get('bits')}'. "
                                "Expected non-negative value")


@xml("feature")
class CPUFeature:
    policy: str | None = attribute("policy")
    name: str | None = attribute("name")

    @classmethod
    def _xml_parse_hook(cls, kw: dict[str, Any], el: Any, ctx: Any) -> None:
        p = kw.get("policy")
        if p is None:
            kw["policy"] = "require"
        elif p not in FEATURE_POLICIES:
            raise ctx.error(el, "Invalid CPU feature policy")
        if not kw.get("name"):
            raise ctx.error(el, "Invalid CPU feature name")


# -- NUMA (numa_conf.c) ---------------------------------------------------

MEM_ACCESS = ("shared", "private")
NUMA_CACHE_ASSOC = ("none", "direct", "full")
NUMA_CACHE_POLICY = ("none", "writeback", "writethrough")
NUMA_INTERCONNECT_TYPES = ("access", "read", "write")


@xml("sibling")
class Sibling:
    id: int | None = attribute("id", UINT)
    value: int | None = attribute("value", UINT)

    @classmethod
    def _xml_parse_hook(cls, kw: dict[str, Any], el: Any, ctx: Any) -> None:
        require_attrs(kw, el, ctx, "id", "value")


@xml("distances")
class Distances:
    siblings: list[Sibling] = elements("sibling", Sibling)


def _numa_size(el: Any, ctx: Any, what: str, default: int = 1024) -> int:
    # libvirt looks the unit up at './size/unit' (an element that does not
    # exist), so the @unit attribute never applies: the value is in KiB
    # (size) or bytes (line)
    v = el.get("value")
    if not v:  # virXPathString: empty is missing
        raise ctx.error(el, f"missing element or attribute './{what}/@value'")
    try:
        return parse_scaled(v, None, f"./{what}/@value", default=default,
                            max_bytes=(1 << 64) - 1 if default == 1 else (1 << 63) - 1)
    except ScaleError as e:
        raise ctx.error(el, e.message) from None


@xml("size")
class _CacheSize:
    value: str | None = attribute("value")
    unit: str | None = attribute("unit")


@xml("line")
class _CacheLine:
    value: str | None = attribute("value")
    unit: str | None = attribute("unit")


@xml("cache")
class NumaCache:
    """``<cache level associativity policy>``; size in KiB, line in bytes."""

    level: int | None = attribute("level", checked_later(Int()))
    associativity: str | None = attribute("associativity", checked_later(Enum(NUMA_CACHE_ASSOC)))
    policy: str | None = attribute("policy", checked_later(Enum(NUMA_CACHE_POLICY)))
    size: Any = element("size", _CacheSize)
    line: Any = element("line", _CacheLine)

    @classmethod
    def _xml_parse_hook(cls, kw: dict[str, Any], el: Any, ctx: Any) -> None:
        # virDomainNumaDefNodeCacheParseXML: its own texts, the node is the
        # cell's id; a missing policy is reported as an invalid '(null)'
        cell = el.getparent()
        node = cell.get("id") if cell is not None else None
        where = f"in cache element for NUMA node {node}"
        level = kw.get("level")
        if level is None:
            raise ctx.error(el, f"Missing 'level' attribute {where}")
        if not isinstance(level, int) or level == 0:
            raise ctx.error(el, f"Invalid 'level' attribute {where}")
        assoc = kw.get("associativity")
        if assoc is None:
            raise ctx.error(el, f"Missing 'associativity' attribute {where}")
        if assoc not in NUMA_CACHE_ASSOC:
            raise ctx.error(el, f"Invalid cache associativity '{assoc}'")
        policy = kw.get("policy")
        if policy not in NUMA_CACHE_POLICY:
            raise ctx.error(el, f"Invalid cache policy '{policy if policy is not None else '(null)'}'")
        sz = el.find("size")
        if sz is None:
            raise ctx.error(el, "missing element or attribute './size/@value'")
        kw["size"] = -(-_numa_size(sz, ctx, "size") // 1024)
        ln = el.find("line")
        if ln is None:
            raise ctx.error(el, "missing element or attribute './line/@value'")
        kw["line"] = _numa_size(ln, ctx, "line", default=1)

    @custom_format
    def xml_format(self, out: list[str], ind: str, flags: int) -> None:
        # virDomainNumaDefFormatXML: 'none' (0) is not written
        s = f"{ind}<cache level='{self.level}'"
        if self.associativity and self.associativity != "none":
            s += f" associativity='{self.associativity}'"
        if self.policy and self.policy != "none":
            s += f" policy='{self.policy}'"
        out.append(s + ">\n")
        out.append(f"{ind}  <size value='{self.size}' unit='KiB'/>\n")
        out.append(f"{ind}  <line value='{self.line}' unit='B'/>\n")
        out.append(f"{ind}</cache>\n")


def _cell_ids(cells: list[Any]) -> list[int | None]:
    out: list[int | None] = []
    for i, c in enumerate(cells):
        raw = c.get("id")
        try:
            out.append(i if raw is None else UINT.parse(raw))
        except ConvError:
            out.append(None)
    return out


def _cell_order_checks(kw: dict[str, Any], el: Any, ctx: Any) -> None:
    """virDomainNumaDefParseXML's checks of one cell before its memory: the
    id against the number of cells, a duplicate id, vCPUs overlapping an
    earlier cell (libvirt reads the cells one after the other)."""
    parent = el.getparent()
    cells = [c for c in parent if c.tag == "cell"] if parent is not None else [el]
    i = next(k for k, c in enumerate(cells) if c is el)
    ids = _cell_ids(cells)
    cur = ids[i]
    if cur is None:
        if isinstance(kw.get("cpus"), str):
            raise ctx.error(el, f"Failed to parse bitmap '{kw['cpus']}'")
        return
    if cur >= len(cells):
        raise ctx.error(parent, "Exactly one 'cell' element per guest NUMA cell allowed, non-contiguous "
                                "ranges or ranges not starting from 0 are not allowed")
    if cur in ids[:i]:
        raise ctx.error(parent, "Duplicate NUMA cell info for cell id '%u'" % cur)
    mine = kw.get("cpus")
    if isinstance(mine, str):
        raise ctx.error(el, f"Failed to parse bitmap '{mine}'")
    if not mine:
        return
    earlier: dict[int, Any] = {}
    for k in range(i):
        raw = cells[k].get("cpus")
        if raw is None or ids[k] is None:
            continue
        try:
            bits = parse_bitmap(raw, 16384)
        except ValueError:
            continue
        if bits:
            earlier[ids[k]] = bits  # type: ignore[index]
    for j in sorted(earlier):
        if set(earlier[j]) & set(mine):
            raise ctx.error(parent, "NUMA cells %u and %u have overlapping vCPU ids" % (cur, j))


@xml("cell")
class NumaCell:
    id: int | None = attribute("id", UINT)
    #: a bitmap libvirt cannot read is reported after the id checks
    cpus: tuple[int, ...] | None = attribute("cpus", checked_later(Bitmap()))
    memory: int | None = attribute("memory")
    unit: str | None = attribute("unit")
    #: memAccess and discard are checked by the hook, after the memory
    mem_access: str | None = attribute("memAccess")
    discard: bool | None = attribute("discard")
    distances: Distances | None = element("distances", Distances)
    caches: list[NumaCache] = elements("cache", NumaCache)

    @classmethod
    def _xml_parse_hook(cls, kw: dict[str, Any], el: Any, ctx: Any) -> None:
        _cell_order_checks(kw, el, ctx)
        m = kw.get("memory")
        if not m:  # virXPathString: empty is missing
            raise ctx.error(el, "missing element or attribute './@memory'")
        try:
            b = parse_scaled(m, kw.get("unit"), "./@memory")
        except ScaleError as e:
            raise ctx.error(el, e.message) from None
        kw["memory"] = -(-b // 1024)
        kw["unit"] = "KiB"
        ma = kw.get("mem_access")
        if ma is not None and ma not in MEM_ACCESS:
            raise ctx.error(el, INVALID.format(attr="memAccess", elem="cell", value=ma))
        d = kw.get("discard")
        if d is not None:
            if d not in ("yes", "no"):
                raise ctx.error(el, INVALID.format(attr="discard", elem="cell", value=d))
            kw["discard"] = d == "yes"
        if kw.get("cpus") is not None and not kw["cpus"]:
            kw["cpus"] = None  # an all-clear bitmap is no cpus

    @custom_format
    def xml_format(self, out: list[str], ind: str, flags: int) -> None:
        s = f"{ind}<cell id='{self.id}'"
        if self.cpus:
            s += f" cpus='{format_bitmap(self.cpus)}'"
        s += f" memory='{self.memory}' unit='KiB'"
        if self.mem_access:
            s += f" memAccess='{self.mem_access}'"
        if self.discard is not None:
            s += f" discard='{'yes' if self.discard else 'no'}'"
        sibs = [x for x in (self.distances.siblings if self.distances else []) if x.value]
        if not sibs and not self.caches:
            out.append(s + "/>\n")
            return
        out.append(s + ">\n")
        if sibs:
            out.append(f"{ind}  <distances>\n")
            for x in sibs:
                out.append(f"{ind}    <sibling id='{x.id}' value='{x.value}'/>\n")
            out.append(f"{ind}  </distances>\n")
        for c in self.caches:
            c.xml_format(out, ind + "  ", flags)
        out.append(f"{ind}</cell>\n")


def _interconnect_hook(kw: dict[str, Any], el: Any, ctx: Any) -> None:
    require_attrs(kw, el, ctx, "initiator", "target", "type")
    if kw.get("cache") == 0:
        kw["cache"] = None


@xml("latency")
class Latency:
    initiator: int | None = attribute("initiator", UINT)
    target: int | None = attribute("target", UINT)
    cache: int | None = attribute("cache", UINT)
    type: str | None = attribute("type", Enum(NUMA_INTERCONNECT_TYPES))
    value: int | None = attribute("value", ULONG)

    @classmethod
    def _xml_parse_hook(cls, kw: dict[str, Any], el: Any, ctx: Any) -> None:
        if kw.get("value") is None:
            raise ctx.error(el, "Missing required attribute 'value' in element 'latency'")
        _interconnect_hook(kw, el, ctx)


@xml("bandwidth")
class Bandwidth:
    initiator: int | None = attribute("initiator", UINT)
    target: int | None = attribute("target", UINT)
    cache: int | None = attribute("cache", UINT)
    type: str | None = attribute("type", Enum(NUMA_INTERCONNECT_TYPES))
    value: int | None = attribute("value", HOOKED)
    unit: str | None = attribute("unit")

    @classmethod
    def _xml_parse_hook(cls, kw: dict[str, Any], el: Any, ctx: Any) -> None:
        v = kw.get("value")
        if not v:  # virXPathString: empty is missing
            raise ctx.error(el, "missing element or attribute './@value'")
        try:
            b = parse_scaled(v, kw.get("unit"), "./@value", default=1024)
        except ScaleError as e:
            raise ctx.error(el, e.message) from None
        kw["value"] = -(-b // 1024)
        kw["unit"] = "KiB"
        _interconnect_hook(kw, el, ctx)


@omit_if_empty
@xml("interconnects")
class Interconnects:
    """``<latency>`` and ``<bandwidth>`` in one list, document order."""

    items: list[Any] = choice({"latency": Latency, "bandwidth": Bandwidth})


@xml("numa")
class Numa:
    cells: list[NumaCell] = elements("cell", NumaCell)
    interconnects: Interconnects | None = element("interconnects", Interconnects)

    @classmethod
    def _xml_parse_hook(cls, kw: dict[str, Any], el: Any, ctx: Any) -> None:
        cells = kw.get("cells") or []
        n = len(cells)
        if not n:
            raise ctx.error(el, "NUMA topology defined without NUMA cells")
        byid: dict[int, NumaCell] = {}
        for i, c in enumerate(cells):
            cid = c.id if c.id is not None else i
            if cid >= n:
                raise ctx.error(el, "Exactly one 'cell' element per guest NUMA cell allowed, non-contiguous "
                                    "ranges or ranges not starting from 0 are not allowed")
            if cid in byid:
                raise ctx.error(el, "Duplicate NUMA cell info for cell id '%u'" % cid)
            c.id = cid
            for other in byid.values():
                if c.cpus and other.cpus and set(c.cpus) & set(other.cpus):
                    raise ctx.error(el, "NUMA cells %u and %u have overlapping vCPU ids" % (cid, other.id))
            byid[cid] = c
        # distances (virDomainNumaDefNodeDistanceParseXML), document order
        table: dict[int, dict[int, int]] = {}
        for c in cells:
            d = c.distances
            if d is None:
                continue
            if not d.siblings:
                raise ctx.error(el, "NUMA distances defined without siblings")
            for s in d.siblings:
                if s.id >= n:  # type: ignore[operator]
                    raise ctx.error(el, "'sibling_id %d' does not refer to a valid cell within NUMA 'cell id %d'"
                                    % (s.id, c.id))
                v = s.value
                if v < 10 or v > 255 or (s.id == c.id and v != 10) or (s.id != c.id and v == 10):  # type: ignore[operator]
                    raise ctx.error(el, "'value %d' is invalid for 'sibling id %d' under NUMA 'cell id %d'"
                                    % (v, s.id, c.id))
                mine = table.setdefault(c.id, {c.id: 10})  # type: ignore[arg-type]
                mine[s.id] = v  # type: ignore[index]
                rev = table.setdefault(s.id, {s.id: 10})  # type: ignore[arg-type]
                rev.setdefault(c.id, v)  # type: ignore[arg-type]
        cells = [byid[k] for k in sorted(byid)]
        for c in cells:
            t = table.get(c.id)  # type: ignore[arg-type]
            c.distances = Distances(siblings=[Sibling(id=k, value=t[k]) for k in sorted(t)]) if t else None
        kw["cells"] = cells

    @custom_format
    def xml_format(self, out: list[str], ind: str, flags: int) -> None:
        if not self.cells:
            return
        self._xml_format_generated(out, ind, flags)


@xml("cpu")
class CPU:
    mode: str | None = attribute("mode")
    match: str | None = attribute("match")
    check: str | None = attribute("check", Enum(("default",) + CPU_CHECKS))  # 'default': libvirt's 0, dropped
    migratable: bool | None = attribute("migratable")
    model: CPUModel | None = element("model", CPUModel)
    vendor: str | None = text_element("vendor")
    topology: Topology | None = element("topology", Topology)
    cache: CPUCache | None = element("cache", CPUCache)
    maxphysaddr: MaxPhysAddr | None = element("maxphysaddr", MaxPhysAddr)
    features: list[CPUFeature] = elements("feature", CPUFeature)
    numa: Numa | None = element("numa", Numa)

    @classmethod
    def _xml_parse_hook(cls, kw: dict[str, Any], el: Any, ctx: Any) -> None:
        if kw.get("check") == "default":
            kw["check"] = None
        mode = kw.get("mode")
        if mode is None:
            kw["mode"] = mode = "custom"
        elif mode not in CPU_MODES:
            raise ctx.error(el, f"Invalid mode attribute '{mode}'")
        mig = kw.get("migratable")
        if mig is not None:
            if mig not in ("on", "off"):
                raise ctx.error(el, f"Invalid value for attribute 'migratable' in element 'cpu': '{mig}'.")
            if mode not in ("host-passthrough", "maximum"):
                raise ctx.error(el, "Attribute migratable is only allowed for 'host-passthrough' / 'maximum' CPU mode")
            kw["migratable"] = mig == "on"
        match = kw.get("match")
        if match is not None and match not in CPU_MATCHES:
            raise ctx.error(el, f"Invalid value for attribute 'match' in element 'cpu': '{match}'.")
        model = kw.get("model")
        if model is not None:
            if model.name is None and el.find("model") is not None:
                pass
            if mode not in ("host-passthrough", "maximum"):
                # virXPathString: an empty fallback / vendor_id is absent
                if model.fallback == "":
                    model.fallback = None
                if model.vendor_id == "":
                    model.vendor_id = None
                fb = model.fallback
                if fb is not None and fb not in CPU_FALLBACKS:
                    raise ctx.error(el, "Invalid fallback attribute")
                if fb is None:
                    model.fallback = "allow"
                vid = model.vendor_id
                if vid is not None:
                    if len(vid) != 12:
                        raise ctx.error(el, "vendor_id must be exactly 12 characters long")
                    if "," in vid:
                        raise ctx.error(el, "vendor id is invalid")
            else:
                model.fallback = None
                model.vendor_id = None
        has_model = model is not None and model.name is not None
        if kw.get("vendor") is not None and not has_model:
            raise ctx.error(el, "CPU vendor specified without CPU model")
        feats = kw.get("features") or []
        if feats and not has_model and mode == "custom":
            raise ctx.error(el, "Non-empty feature list specified without CPU model")
        names: set[str] = set()
        for f in feats:
            if f.name in names:
                raise ctx.error(el, f"CPU feature '{f.name}' specified more than once")
            names.add(f.name)  # type: ignore[arg-type]
        if len(el.findall("cache")) > 1:
            raise ctx.error(el, "at most one CPU cache element may be specified")
        if match is None and has_model:
            kw["match"] = "exact"

    def has_model(self) -> bool:
        return self.model is not None and self.model.name is not None

    @custom_format
    def xml_format(self, out: list[str], ind: str, flags: int) -> None:
        attrs_s = ""
        mode = self.mode or "custom"
        if mode != "custom" or self.has_model():
            attrs_s += f" mode='{mode}'"
            if mode == "custom":
                attrs_s += f" match='{self.match or 'exact'}'"
            if self.check:
                attrs_s += f" check='{self.check}'"
            if mode in ("host-passthrough", "maximum") and self.migratable is not None:
                attrs_s += f" migratable='{'on' if self.migratable else 'off'}'"
        ci = ind + "  "
        ch: list[str] = []
        format_model = mode in ("custom", "host-model")
        m = self.model
        name = m.name if m is not None else None
        vid = m.vendor_id if m is not None else None
        if format_model and (name is not None or vid is not None):
            s = ci + "<model"
            if name is not None:
                s += f" fallback='{m.fallback or 'allow'}'"  # type: ignore[union-attr]
            if vid is not None:
                s += f" vendor_id='{escape(vid)}'"
            if name is not None:
                s += f">{escape(name)}</model>\n"
            else:
                s += "/>\n"
            ch.append(s)
        if format_model and self.vendor is not None:
            ch.append(f"{ci}<vendor>{escape(self.vendor)}</vendor>\n")
        t = self.topology
        if t is not None and t.sockets and t.dies and t.cores and t.threads:
            ch.append(f"{ci}<topology sockets='{t.sockets}' dies='{t.dies}' cores='{t.cores}' "
                      f"threads='{t.threads}'/>\n")
        if self.cache is not None:
            s = ci + "<cache "
            if self.cache.level is not None and self.cache.level != -1:
                s += f"level='{self.cache.level}' "
            ch.append(s + f"mode='{self.cache.mode}'/>\n")
        if self.maxphysaddr is not None:
            s = f"{ci}<maxphysaddr mode='{self.maxphysaddr.mode}'"
            if self.maxphysaddr.bits is not None:
                s += f" bits='{self.maxphysaddr.bits}'"
            ch.append(s + "/>\n")
        for f in self.features:
            ch.append(f"{ci}<feature policy='{f.policy}' name='{escape(f.name or '')}'/>\n")
        if self.numa is not None:
            self.numa.xml_format(ch, ci, flags)
        if not attrs_s and not ch:
            return
        if ch:
            out.append(f"{ind}<cpu{attrs_s}>\n")
            out.extend(ch)
            out.append(f"{ind}</cpu>\n")
        else:
            out.append(f"{ind}<cpu{attrs_s}/>\n")
