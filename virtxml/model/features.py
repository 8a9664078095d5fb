"""``<features>`` (virDomainFeature, in libvirt's enum = output order)."""

from __future__ import annotations

from typing import Any

from ..binding import (ONOFF, UINT_ANYBASE, Enum, attribute, choice, custom_format, element, flag, text, xml)
from ..binding.conv import ScaleError, parse_scaled
from ..binding.spec import CHILD, field_specs
from .common import scaled_hook
from .devices.info import omit_if_empty

FEATURE_NAMES = ("acpi", "apic", "pae", "hap", "viridian", "privnet", "hyperv", "kvm", "pvspinlock",
                 "capabilities", "pmu", "vmport", "gic", "smm", "ioapic", "hpt", "vmcoreinfo", "htm",
                 "nested-hv", "msrs", "ccf-assist", "xen", "cfpc", "sbbc", "ibs", "tcg")

HYPERV_FEATURES = ("relaxed", "vapic", "spinlocks", "vpindex", "runtime", "synic", "stimer", "reset",
                   "vendor_id", "frequencies", "reenlightenment", "tlbflush", "ipi", "evmcs", "avic")
KVM_FEATURES = ("hidden", "hint-dedicated", "poll-control", "pv-ipi", "dirty-ring")
XEN_FEATURES = ("e820_host", "passthrough")
CAPS_FEATURES = ("audit_control", "audit_write", "block_suspend", "chown", "dac_override",
                 "dac_read_search", "fowner", "fsetid", "ipc_lock", "ipc_owner", "kill", "lease",
                 "linux_immutable", "mac_admin", "mac_override", "mknod", "net_admin", "net_bind_service",
                 "net_broadcast", "net_raw", "setgid", "setfcap", "setpcap", "setuid", "sys_admin",
                 "sys_boot", "sys_chroot", "sys_module", "sys_nice", "sys_pacct", "sys_ptrace", "sys_rawio",
                 "sys_resource", "sys_time", "sys_tty_config", "syslog", "wake_alarm")


def _missing(el: Any, ctx: Any, attr: str) -> Any:
    return ctx.error(el, f"Missing required attribute '{attr}' in element '{el.tag}'")


def _required_state(kw: dict[str, Any], el: Any, ctx: Any) -> None:
    if kw.get("state") is None:
        raise _missing(el, ctx, "state")


# --- simple features ------------------------------------------------------

class _StateDefaultOn:
    """``<name state='on|off'/>``; a missing state means on."""

    @classmethod
    def _xml_parse_hook(cls, kw: dict[str, Any], el: Any, ctx: Any) -> None:
        if kw.get("state") is None:
            kw["state"] = True


def _state_feature(tag: str, default_on: bool = True) -> type:
    ns: dict[str, Any] = {"__annotations__": {"state": "bool | None"}, "state": attribute("state", ONOFF)}
    bases: tuple[type, ...] = (_StateDefaultOn,) if default_on else ()
    cls = type("Feature_" + tag.replace("-", "_"), bases, ns)
    return xml(tag)(cls)


Hap = _state_feature("hap")
Pvspinlock = _state_feature("pvspinlock")
Pmu = _state_feature("pmu")
Vmport = _state_feature("vmport")
Vmcoreinfo = _state_feature("vmcoreinfo")
def _required_state_feature(tag: str) -> type:
    ns: dict[str, Any] = {"__annotations__": {"state": "bool | None"}, "state": attribute("state", ONOFF),
                          "_xml_parse_hook": classmethod(lambda cls, kw, el, ctx: _required_state(kw, el, ctx))}
    return xml(tag)(type("Feature_" + tag.replace("-", "_"), (), ns))


# htm, nested-hv and ccf-assist need an explicit state
Htm = _required_state_feature("htm")
NestedHV = _required_state_feature("nested-hv")
CcfAssist = _required_state_feature("ccf-assist")


@xml("apic")
class Apic:
    eoi: bool | None = attribute("eoi", ONOFF)


@xml("gic")
class Gic:
    version: str | None = attribute("version", Enum(("2", "3", "host")))


@xml("ioapic")
class IOApic:
    driver: str | None = attribute("driver", Enum(("qemu", "kvm")))

    @classmethod
    def _xml_parse_hook(cls, kw: dict[str, Any], el: Any, ctx: Any) -> None:
        if kw.get("driver") is None:
            kw["driver"] = None

    @custom_format
    def xml_format(self, out: list[str], ind: str, flags: int) -> None:
        if self.driver is not None:
            out.append(f"{ind}<ioapic driver='{self.driver}'/>\n")


@xml("msrs")
class Msrs:
    unknown: str | None = attribute("unknown", Enum(("ignore", "fail")))

    @classmethod
    def _xml_parse_hook(cls, kw: dict[str, Any], el: Any, ctx: Any) -> None:
        if kw.get("unknown") is None:
            raise _missing(el, ctx, "unknown")


def _value_feature(tag: str, values: tuple[str, ...]) -> type:
    ns: dict[str, Any] = {"__annotations__": {"value": "str | None"}, "value": attribute("value", Enum(values))}
    cls = type("Feature_" + tag, (), ns)

    def fmt(self: Any, out: list[str], ind: str, flags: int) -> None:
        if self.value is not None:
            out.append(f"{ind}<{tag} value='{self.value}'/>\n")

    cls.xml_format = custom_format(fmt)  # type: ignore[attr-defined]
    return xml(tag)(cls)


Cfpc = _value_feature("cfpc", ("broken", "workaround", "fixed"))
Sbbc = _value_feature("sbbc", ("broken", "workaround", "fixed"))
Ibs = _value_feature("ibs", ("disabled", "fixed-ibs", "fixed-ccd", "fixed-na"))


# --- smm / hpt / tcg: sizes ---------------------------------------------------

@xml("tseg")
class _Size:
    unit: str | None = attribute("unit")
    value: str | None = text()


@xml("maxpagesize")
class _MaxPageSize(_Size):
    pass


@xml("tb-cache")
class _TbCache(_Size):
    pass


def _int_pretty(v: int) -> tuple[int, str]:
    """virFormatIntPretty: the largest binary unit dividing ``v`` bytes."""
    units = ("B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB")
    i = 0
    while v and v % 1024 == 0 and i < len(units) - 1:
        v //= 1024
        i += 1
    return v, units[i]


def _size(o: Any, el: Any, ctx: Any, what: str, default: int) -> int | None:
    if o is None or o.value is None:
        return None
    try:
        return parse_scaled(o.value, o.unit, what, default=default, max_bytes=(1 << 64) - 1)
    except ScaleError as e:
        raise ctx.error(el, e.message) from None


@xml("smm")
class Smm:
    """``<smm state=><tseg unit='MiB'>N</tseg></smm>``; tseg kept in bytes."""

    state: bool | None = attribute("state", ONOFF)
    tseg: Any = element("tseg", _Size)

    @classmethod
    def _xml_parse_hook(cls, kw: dict[str, Any], el: Any, ctx: Any) -> None:
        if kw.get("state") is None:
            kw["state"] = True
        t = kw.pop("tseg", None)
        if kw["state"]:
            b = _size(t, el, ctx, "string(./features/smm/tseg)", 1024 * 1024)
            if b is not None:
                kw["tseg"] = b

    @custom_format
    def xml_format(self, out: list[str], ind: str, flags: int) -> None:
        st = "on" if self.state else "off"
        if self.tseg is not None:
            v, unit = _int_pretty(self.tseg)
            out.append(f"{ind}<smm state='{st}'>\n{ind}  <tseg unit='{unit}'>{v}</tseg>\n{ind}</smm>\n")
        else:
            out.append(f"{ind}<smm state='{st}'/>\n")


@xml("hpt")
class Hpt:
    """``<hpt resizing=><maxpagesize unit='KiB'>N</maxpagesize></hpt>`` (KiB)."""

    resizing: str | None = attribute("resizing", Enum(("enabled", "disabled", "required")))
    maxpagesize: Any = element("maxpagesize", _MaxPageSize)

    @classmethod
    def _xml_parse_hook(cls, kw: dict[str, Any], el: Any, ctx: Any) -> None:
        try:
            b = _size(kw.pop("maxpagesize", None), el, ctx, "./features/hpt/maxpagesize", 1024)
        except Exception:  # noqa: BLE001 - libvirt replaces the reason
            raise ctx.error(el, "Unable to parse HPT maxpagesize setting") from None
        if b:
            kw["maxpagesize"] = -(-b // 1024)

    def is_on(self) -> bool:
        return self.resizing is not None or bool(self.maxpagesize)

    @custom_format
    def xml_format(self, out: list[str], ind: str, flags: int) -> None:
        if not self.is_on():
            return
        s = f"{ind}<hpt"
        if self.resizing is not None:
            s += f" resizing='{self.resizing}'"
        if self.maxpagesize:
            out.append(f"{s}>\n{ind}  <maxpagesize unit='KiB'>{self.maxpagesize}</maxpagesize>\n{ind}</hpt>\n")
        else:
            out.append(s + "/>\n")


@xml("tcg")
class Tcg:
    """``<tcg><tb-cache unit='KiB'>N</tb-cache></tcg>`` (KiB)."""

    tb_cache: Any = element("tb-cache", _TbCache)

    @classmethod
    def _xml_parse_hook(cls, kw: dict[str, Any], el: Any, ctx: Any) -> None:
        t = kw.pop("tb_cache", None)
        if t is not None and t.value is not None:
            sub = {"value": t.value, "unit": t.unit}
            scaled_hook(sub, el, ctx, "./tb-cache")
            if sub["value"]:
                kw["tb_cache"] = sub["value"]

    @custom_format
    def xml_format(self, out: list[str], ind: str, flags: int) -> None:
        if self.tb_cache:
            out.append(f"{ind}<tcg>\n{ind}  <tb-cache unit='KiB'>{self.tb_cache}</tb-cache>\n{ind}</tcg>\n")


# --- hyperv ----------------------------------------------------------------


def _hv_feature(tag: str) -> type:
    ns: dict[str, Any] = {"__annotations__": {"state": "bool | None"}, "state": attribute("state", ONOFF),
                          "_xml_parse_hook": classmethod(lambda cls, kw, el, ctx: _required_state(kw, el, ctx))}
    return xml(tag)(type("HyperV_" + tag, (), ns))


@xml("spinlocks")
class HvSpinlocks:
    state: bool | None = attribute("state", ONOFF)
    retries: int | None = attribute("retries", UINT_ANYBASE)

    @classmethod
    def _xml_parse_hook(cls, kw: dict[str, Any], el: Any, ctx: Any) -> None:
        _required_state(kw, el, ctx)
        if not kw["state"]:
            kw.pop("retries", None)
            return
        if kw.get("retries") is None:
            raise _missing(el, ctx, "retries")
        if kw["retries"] < 0xFFF:
            raise ctx.error(el, "HyperV spinlock retry count must be at least 4095")


@xml("direct")
class HvStimerDirect:
    state: bool | None = attribute("state", ONOFF)


@xml("stimer")
class HvStimer:
    state: bool | None = attribute("state", ONOFF)
    direct: HvStimerDirect | None = element("direct", HvStimerDirect)

    @classmethod
    def _xml_parse_hook(cls, kw: dict[str, Any], el: Any, ctx: Any) -> None:
        _required_state(kw, el, ctx)
        if not kw["state"]:
            kw.pop("direct", None)
            return
        for ch in el:
            if not isinstance(ch.tag, str):
                continue
            if ch.tag != "direct":
                raise ctx.error(el, f"unsupported Hyper-V stimer feature: {ch.tag}")
            if ch.get("state") is None:
                raise _missing(ch, ctx, "state")
        d = kw.get("direct")
        if d is not None and not d.state:
            kw["direct"] = None


@xml("vendor_id")
class HvVendorId:
    state: bool | None = attribute("state", ONOFF)
    value: str | None = attribute("value")

    @classmethod
    def _xml_parse_hook(cls, kw: dict[str, Any], el: Any, ctx: Any) -> None:
        _required_state(kw, el, ctx)
        if not kw["state"]:
            kw.pop("value", None)
            return
        v = kw.get("value")
        if v is None:
            raise ctx.error(el, "missing 'value' attribute for HyperV feature 'vendor_id'")
        if len(v) > 12:
            raise ctx.error(el, "HyperV vendor_id value must not be more than 12 characters.")
        if "," in v:
            raise ctx.error(el, "HyperV vendor_id value is invalid")


_HV = {t: _hv_feature(t) for t in HYPERV_FEATURES if t not in ("spinlocks", "stimer", "vendor_id")}
_HV["spinlocks"] = HvSpinlocks
_HV["stimer"] = HvStimer
_HV["vendor_id"] = HvVendorId


def _unsupported_children(el: Any, ctx: Any, known: tuple[str, ...], message: str) -> None:
    for ch in el:
        if isinstance(ch.tag, str) and ch.tag not in known:
            raise ctx.error(ch, message % ch.tag)


@xml("hyperv")
class HyperV:
    mode: str | None = attribute("mode", Enum(("custom", "passthrough")))
    relaxed: Any = element("relaxed", _HV["relaxed"])
    vapic: Any = element("vapic", _HV["vapic"])
    spinlocks: HvSpinlocks | None = element("spinlocks", HvSpinlocks)
    vpindex: Any = element("vpindex", _HV["vpindex"])
    runtime: Any = element("runtime", _HV["runtime"])
    synic: Any = element("synic", _HV["synic"])
    stimer: HvStimer | None = element("stimer", HvStimer)
    reset: Any = element("reset", _HV["reset"])
    vendor_id: HvVendorId | None = element("vendor_id", HvVendorId)
    frequencies: Any = element("frequencies", _HV["frequencies"])
    reenlightenment: Any = element("reenlightenment", _HV["reenlightenment"])
    tlbflush: Any = element("tlbflush", _HV["tlbflush"])
    ipi: Any = element("ipi", _HV["ipi"])
    evmcs: Any = element("evmcs", _HV["evmcs"])
    avic: Any = element("avic", _HV["avic"])

    @classmethod
    def _xml_parse_hook(cls, kw: dict[str, Any], el: Any, ctx: Any) -> None:
        if kw.get("mode") is None:
            kw["mode"] = "custom"
        if kw["mode"] == "passthrough":
            # libvirt reads no enlightenment in passthrough mode
            for t in HYPERV_FEATURES:
                kw.pop(t, None)
            return
        _unsupported_children(el, ctx, HYPERV_FEATURES, "unsupported HyperV Enlightenment feature: %s")
        _last_wins(kw, el, ctx, {t.replace("-", "_"): _HV[t] for t in HYPERV_FEATURES})

    @custom_format
    def xml_format(self, out: list[str], ind: str, flags: int) -> None:
        _format_open_close(self, out, ind, flags)


def _last_wins(kw: dict[str, Any], el: Any, ctx: Any, classes: dict[str, Any]) -> None:
    """libvirt walks the children in order, so a repeated one overrides."""
    seen: set[Any] = set()
    for ch in el:
        if ch.tag in seen:
            break
        seen.add(ch.tag)
    else:
        return
    for ch in el:
        if not isinstance(ch.tag, str):
            continue
        key = ch.tag.replace("-", "_")
        if key in classes and len(el.findall(ch.tag)) > 1:
            kw[key] = classes[key]._xml_parse(el.findall(ch.tag)[-1], ctx)


# --- kvm -------------------------------------------------------------------

def _kvm_feature(tag: str) -> type:
    ns: dict[str, Any] = {"__annotations__": {"state": "bool | None"}, "state": attribute("state", ONOFF),
                          "_xml_parse_hook": classmethod(lambda cls, kw, el, ctx: _required_state(kw, el, ctx))}
    return xml(tag)(type("KVM_" + tag.replace("-", "_"), (), ns))


@xml("dirty-ring")
class KvmDirtyRing:
    state: bool | None = attribute("state", ONOFF)
    size: int | None = attribute("size", UINT_ANYBASE)

    @classmethod
    def _xml_parse_hook(cls, kw: dict[str, Any], el: Any, ctx: Any) -> None:
        _required_state(kw, el, ctx)
        if not kw["state"]:
            kw.pop("size", None)
            return
        s = kw.get("size")
        if s is None:
            raise _missing(el, ctx, "size")
        if s & (s - 1) or s < 1024 or s > 65536:
            raise ctx.error(el, "dirty ring must be power of 2 and ranges [1024, 65536]")


_KVM = {t: _kvm_feature(t) for t in KVM_FEATURES if t != "dirty-ring"}
_KVM["dirty-ring"] = KvmDirtyRing


@xml("kvm")
class KVM:
    hidden: Any = element("hidden", _KVM["hidden"])
    hint_dedicated: Any = element("hint-dedicated", _KVM["hint-dedicated"])
    poll_control: Any = element("poll-control", _KVM["poll-control"])
    pv_ipi: Any = element("pv-ipi", _KVM["pv-ipi"])
    dirty_ring: KvmDirtyRing | None = element("dirty-ring", KvmDirtyRing)

    @classmethod
    def _xml_parse_hook(cls, kw: dict[str, Any], el: Any, ctx: Any) -> None:
        _unsupported_children(el, ctx, KVM_FEATURES, "unsupported KVM feature: %s")
        _last_wins(kw, el, ctx, {t.replace("-", "_"): _KVM[t] for t in KVM_FEATURES})

    @custom_format
    def xml_format(self, out: list[str], ind: str, flags: int) -> None:
        _format_open_close(self, out, ind, flags)


# --- xen -------------------------------------------------------------------

@xml("e820_host")
class XenE820Host:
    state: bool | None = attribute("state", ONOFF)

    @classmethod
    def _xml_parse_hook(cls, kw: dict[str, Any], el: Any, ctx: Any) -> None:
        _required_state(kw, el, ctx)


@xml("passthrough")
class XenPassthrough:
    state: bool | None = attribute("state", ONOFF)
    mode: str | None = attribute("mode", Enum(("sync_pt", "share_pt")))

    @classmethod
    def _xml_parse_hook(cls, kw: dict[str, Any], el: Any, ctx: Any) -> None:
        _required_state(kw, el, ctx)
        if not kw["state"]:
            kw.pop("mode", None)


@xml("xen")
class XenFeatures:
    e820_host: XenE820Host | None = element("e820_host", XenE820Host)
    passthrough: XenPassthrough | None = element("passthrough", XenPassthrough)

    @classmethod
    def _xml_parse_hook(cls, kw: dict[str, Any], el: Any, ctx: Any) -> None:
        _unsupported_children(el, ctx, XEN_FEATURES, "unsupported Xen feature: %s")

    @custom_format
    def xml_format(self, out: list[str], ind: str, flags: int) -> None:
        _format_open_close(self, out, ind, flags)


# --- capabilities (LXC) ------------------------------------------------------

class CapFeature:
    """One ``<capabilities>`` child, e.g. ``<mknod state='on'/>``; the
    element name is the capability (``cap_name``)."""

    cap_name = ""

    @classmethod
    def _xml_parse_hook(cls, kw: dict[str, Any], el: Any, ctx: Any) -> None:
        if kw.get("state") is None:
            kw["state"] = True


def _cap_class(name: str) -> type:
    ns: dict[str, Any] = {"__annotations__": {"state": "bool | None"}, "state": attribute("state", ONOFF),
                          "cap_name": name}
    return xml(name)(type("Cap_" + name, (CapFeature,), ns))


CAP_CLASSES: dict[str, type] = {n: _cap_class(n) for n in CAPS_FEATURES}


@xml("capabilities")
class Capabilities:
    policy: str | None = attribute("policy", Enum(("default", "allow", "deny")))
    caps: list[Any] = choice(CAP_CLASSES)

    @classmethod
    def _xml_parse_hook(cls, kw: dict[str, Any], el: Any, ctx: Any) -> None:
        for ch in el:
            if isinstance(ch.tag, str) and ch.tag not in CAP_CLASSES:
                raise ctx.error(ch, f"unexpected capability feature '{ch.tag}'")
        if kw.get("policy") is None:
            kw["policy"] = "default"
        found = {c.cap_name: c for c in kw.get("caps") or []}
        kw["caps"] = [found[n] for n in CAPS_FEATURES if n in found]

    @custom_format
    def xml_format(self, out: list[str], ind: str, flags: int) -> None:
        if self.policy == "default" and not self.caps:
            return
        self._xml_format_generated(out, ind, flags)


def _format_open_close(obj: Any, out: list[str], ind: str, flags: int) -> None:
    """libvirt 9.0 writes <hyperv>, <kvm> and <xen> with literal open and
    close tags, even with no children."""
    tmp: list[str] = []
    obj._xml_format_generated(tmp, ind, flags)
    if len(tmp) == 1 and tmp[0].endswith("/>\n"):
        tmp = [tmp[0][:-3] + ">\n", f"{ind}</{tmp[0].strip()[1:].split()[0].rstrip('/>')}>\n"]
    out.extend(tmp)


# --- the container ---------------------------------------------------------

@omit_if_empty
@xml("features")
class Features:
    acpi: bool = flag("acpi")
    apic: Apic | None = element("apic", Apic)
    pae: bool = flag("pae")
    hap: Any = element("hap", Hap)
    viridian: bool = flag("viridian")
    privnet: bool = flag("privnet")
    hyperv: HyperV | None = element("hyperv", HyperV)
    kvm: KVM | None = element("kvm", KVM)
    pvspinlock: Any = element("pvspinlock", Pvspinlock)
    capabilities: Capabilities | None = element("capabilities", Capabilities)
    pmu: Any = element("pmu", Pmu)
    vmport: Any = element("vmport", Vmport)
    gic: Gic | None = element("gic", Gic)
    smm: Smm | None = element("smm", Smm)
    ioapic: IOApic | None = element("ioapic", IOApic)
    hpt: Hpt | None = element("hpt", Hpt)
    vmcoreinfo: Any = element("vmcoreinfo", Vmcoreinfo)
    htm: Any = element("htm", Htm)
    nested_hv: Any = element("nested-hv", NestedHV)
    msrs: Msrs | None = element("msrs", Msrs)
    ccf_assist: Any = element("ccf-assist", CcfAssist)
    xen: XenFeatures | None = element("xen", XenFeatures)
    cfpc: Any = element("cfpc", Cfpc)
    sbbc: Any = element("sbbc", Sbbc)
    ibs: Any = element("ibs", Ibs)
    tcg: Tcg | None = element("tcg", Tcg)

    @classmethod
    def _xml_parse_hook(cls, kw: dict[str, Any], el: Any, ctx: Any) -> None:
        seen: set[str] = set()
        dup = False
        for ch in el:
            tag = ch.tag
            if isinstance(tag, str):
                if tag not in FEATURE_NAMES:
                    raise ctx.error(ch, f"unexpected feature '{tag}'")
                if tag in seen:
                    dup = True
                else:
                    seen.add(tag)
        if not dup:
            return
        # a feature may be given several times: the last one counts
        for sp in field_specs(cls):
            if sp.kind != CHILD:
                continue
            found = el.findall(sp.name)
            if len(found) > 1:
                kw[sp.field] = sp.cls._xml_parse(found[-1], ctx)

    def state(self, name: str) -> bool | None:
        """on/off/absent of a simple feature by its XML name."""
        v = getattr(self, name.replace("-", "_"))
        if isinstance(v, bool):
            return True if v else None
        if v is None:
            return None
        return getattr(v, "state", True)
