"""The ``<domain>`` root.  Field order is libvirt's output order
(virDomainDefFormatInternalSetRootName)."""

from __future__ import annotations

from typing import Any

import attrs

from ..binding import (INT, Custom, Enum, attribute, choice, custom_format, element, elements, raw,
                       scaled_element, text_element, xml)
from ..binding.conv import ConvError
from ..flags import FormatFlags, ParseFlags
from .clock import Clock
from .cpu import (CPU, Cputune, DefaultIOThread, IOThread, IOThreadIDs, Numatune, NumatuneMemory, Resource,
                  Vcpu, VcpuEntry, Vcpus, finish_pins, finish_resctrl)
from .devices import Devices
from .features import Features
from .lifecycle import LIFECYCLE_DEFAULTS, ON_CRASH, ON_LOCKFAILURE, ON_POWEROFF, ON_REBOOT, PM, Perf
from .memory import Blkiotune, MaxMemory, MemoryBacking, MemoryElement, Memtune
from .namespaces import NAMESPACE_ELEMENTS, normalize as _normalize_ns
from .os import OS, Idmap
from .security import Keywrap, LaunchSecurity, Seclabel
from .sysinfo import Sysinfo

VIRT_TYPES = ("none", "qemu", "kqemu", "kvm", "xen", "lxc", "uml", "openvz", "test", "vmware",
              "hyperv", "vbox", "phyp", "parallels", "bhyve", "vz", "hvf")

LIFECYCLE_ACTIONS = ("destroy", "restart", "rename-restart", "preserve", "coredump-destroy",
                     "coredump-restart")


def _iothreads_count(s: str) -> int:
    import re

    if re.fullmatch(r"\s*\+?\d+", s) is None or int(s) > 0xFFFFFFFF:
        raise ValueError(s)
    return int(s)


_IOTHREADS = Custom(_iothreads_count, str, message="invalid iothreads count '{value}'")
#: <domain id=>: read (virXMLPropInt, non-negative) only when not INACTIVE
_ID = Custom(lambda s: s, str, name="int")


def _not_inactive(obj: Any, flags: int) -> bool:
    return not flags & FormatFlags.INACTIVE


def _lockfailure_set(obj: Any, flags: int) -> bool:
    return obj.on_lockfailure != "default"


def _has_bootloader(obj: Any, flags: int) -> bool:
    return obj.bootloader is not None


@xml("metadata")
class Metadata:
    """``<metadata>``: foreign-namespace children kept verbatim."""

    items: list[str] = raw()


@xml("domain")
class Domain:
    __xml_locate_children__ = True  # their children are where errors point
    type: str | None = attribute("type", Enum(VIRT_TYPES, message="invalid domain type {value}"))
    id: int | None = attribute("id", _ID, when=_not_inactive)
    name: str | None = text_element("name")
    uuid: str | None = text_element("uuid")
    genid: str | None = text_element("genid")
    title: str | None = text_element("title")
    description: str | None = text_element("description")
    metadata: Metadata | None = element("metadata", Metadata)
    max_memory: MaxMemory | None = element("maxMemory", MaxMemory)
    memory: MemoryElement | None = element("memory", MemoryElement)
    current_memory: int | None = scaled_element("currentMemory")
    blkiotune: Blkiotune | None = element("blkiotune", Blkiotune)
    memtune: Memtune | None = element("memtune", Memtune)
    memory_backing: MemoryBacking | None = element("memoryBacking", MemoryBacking)
    vcpu: Vcpu | None = element("vcpu", Vcpu)
    vcpus: Vcpus | None = element("vcpus", Vcpus)
    iothreads: int | None = text_element("iothreads", _IOTHREADS)
    iothreadids: IOThreadIDs | None = element("iothreadids", IOThreadIDs)
    defaultiothread: DefaultIOThread | None = element("defaultiothread", DefaultIOThread)
    cputune: Cputune | None = element("cputune", Cputune)
    numatune: Numatune | None = element("numatune", Numatune)
    resource: Resource | None = element("resource", Resource)
    sysinfo: list[Sysinfo] = elements("sysinfo", Sysinfo)
    bootloader: str | None = text_element("bootloader")
    bootloader_args: str | None = text_element("bootloader_args", when=_has_bootloader)
    os: OS | None = element("os", OS)
    idmap: Idmap | None = element("idmap", Idmap)
    features: Features | None = element("features", Features)
    cpu: CPU | None = element("cpu", CPU)
    clock: Clock | None = element("clock", Clock)
    on_poweroff: str | None = text_element("on_poweroff", ON_POWEROFF)
    on_reboot: str | None = text_element("on_reboot", ON_REBOOT)
    on_crash: str | None = text_element("on_crash", ON_CRASH)
    on_lockfailure: str | None = text_element("on_lockfailure", ON_LOCKFAILURE, when=_lockfailure_set)
    pm: PM | None = element("pm", PM)
    perf: Perf | None = element("perf", Perf)
    devices: Devices | None = element("devices", Devices)
    seclabels: list[Seclabel] = elements("seclabel", Seclabel)
    keywrap: Keywrap | None = element("keywrap", Keywrap)
    launch_security: LaunchSecurity | None = element("launchSecurity", LaunchSecurity)
    namespace_data: list[Any] = choice(NAMESPACE_ELEMENTS)

    # --- state that is not XML (libvirt's virDomainDef private flags) -------
    uuid_generated: bool = attrs.field(default=False, eq=False)
    genid_generated: bool = attrs.field(default=False, eq=False)
    post_parse_failed: bool = attrs.field(default=False, eq=False)
    post_parse_error: Any = attrs.field(default=None, eq=False)
    #: where the definition came from (file name), for messages
    source_file: str | None = attrs.field(default=None, eq=False)
    #: id(part) -> (part, lxml element) for the domain's parts and devices as
    #: bound (see virtxml.locations): where post-parse and validation errors point
    source_elements: dict[int, tuple[Any, Any]] | None = attrs.field(default=None, eq=False, repr=False)

    @classmethod
    def _xml_parse_hook(cls, kw: dict[str, Any], el: Any, ctx: Any) -> None:
        _domain_parse_hook(kw, el, ctx)

    @custom_format
    def xml_format(self, out: list[str], ind: str, flags: int) -> None:
        start = len(out)
        me = self
        if self.os is not None:
            os_ = _os_for_format(self)
            if os_ is not self.os:
                me = attrs.evolve(self, os=os_)
        if me.devices is None:
            from .devices import Devices as _Devices

            me = attrs.evolve(me, devices=_Devices())
        me._xml_format_generated(out, ind, flags)  # (Devices writes <devices> open and closed)
        nss = []
        for item in self.namespace_data:
            ns = type(item).__xml_ns__
            if ns and ns not in nss:
                nss.append(ns)
        if nss:
            from ..binding.compiler import NS_PREFIX

            first = out[start]
            close = first.index(">") if ">" in first else len(first)
            if first[close - 1] == "/":
                close -= 1
            decl = "".join(f" xmlns:{NS_PREFIX.get(ns, 'ns')}='{ns}'" for ns in nss)
            out[start] = first[:close] + decl + first[close:]


# ---------------------------------------------------------------------------
# Parse-time rules that need several top-level elements (virDomainDefParseXML)

def _os_for_format(dom: Domain) -> Any:
    """The <os> as libvirt writes it: no boot devices/bootmenu/bios with a
    bootloader; Xen's paravirt type 'xen' is written as 'linux'."""
    os_ = dom.os
    if dom.bootloader is not None and (os_.boot or os_.bootmenu is not None or os_.bios is not None):
        os_ = attrs.evolve(os_, boot=[], bootmenu=None, bios=None)
    if dom.type == "xen" and os_.type is not None and os_.type.type == "xen":
        os_ = attrs.evolve(os_, type=attrs.evolve(os_.type, type="linux"))
    return os_


def check_seclabels(labels: list[Any], el: Any, ctx: Any) -> None:
    """virSecurityLabelDefsParseXML's checks across the domain's labels."""
    err = None
    for i, lab in enumerate(labels):
        for prev in labels[:i]:
            if err is None and prev.model == lab.model:
                err = ctx.error(el, "seclabel for model %s is already provided"
                                % (lab.model if lab.model is not None else "(null)"))
    if err is None and len(labels) > 1 and any(lab.model is None for lab in labels):
        err = ctx.error(el, "missing security model when using multiple labels")
    if err is not None:
        # virtxml.parserules.seclabels_first puts the errors libvirt finds
        # before the seclabels first
        setattr(err, "domain_seclabels", True)
        raise err


def _domain_parse_hook(kw: dict[str, Any], el: Any, ctx: Any) -> None:
    # name/uuid/genid/title/<resource> count, os type/arch and the
    # <sysinfo> uuid are checked on the whole document by
    # virtxml.parserules (after binding).
    flags = ctx.flags
    raw_id = kw.pop("id", None)
    if raw_id is not None and not flags & ParseFlags.INACTIVE:
        try:
            v = INT.parse(raw_id)
        except ConvError:
            raise ctx.error(el, f"Invalid value for attribute 'id' in element 'domain': '{raw_id}'. "
                                "Expected integer value") from None
        if v < 0:
            raise ctx.error(el, f"Invalid value for attribute 'id' in element 'domain': '{raw_id}'. "
                                "Expected non-negative value")
        kw["id"] = v

    # the domain's seclabels are parsed early (before memory, vcpus and
    # devices: devices refer to them for defaults)
    if flags & ParseFlags.SKIP_SECLABEL:
        kw.pop("seclabels", None)
    check_seclabels(kw.get("seclabels") or [], el, ctx)

    if kw.get("clock") is None:
        kw["clock"] = Clock(offset="utc")

    # lifecycle defaults
    for k, v in LIFECYCLE_DEFAULTS.items():
        if kw.get(k) is None:
            kw[k] = v

    # <vcpu>/<vcpus>
    vcpu = kw.get("vcpu")
    if vcpu is None:
        vcpu = kw["vcpu"] = Vcpu(placement="static", count=1, current=1)
    vcpus = kw.get("vcpus")
    if vcpus is not None:
        if vcpus.vcpus:
            byid: dict[int, VcpuEntry] = {}
            for v in vcpus.vcpus:
                if v.id >= vcpu.count:  # type: ignore[operator]
                    raise ctx.error(el, "vcpu id '%d' is out of range of maximum vcpu count" % v.id)
                byid[v.id] = v  # type: ignore[index]
            lst = [byid.get(i) or VcpuEntry(id=i, enabled=False) for i in range(vcpu.count)]  # type: ignore[arg-type]
            kw["vcpus"] = Vcpus(vcpus=lst)
            vcpu.current = sum(1 for v in lst if v.enabled)
        else:
            kw["vcpus"] = vcpus = None
    if vcpus is None:
        vcpu.check_current(el, ctx)

    cpu = kw.get("cpu")
    cells = cpu.numa.cells if cpu is not None and cpu.numa is not None else []
    # unconditional in libvirt: without cells the highest CPU id is 0, so a
    # domain with <vcpu>0</vcpu> fails the second check
    total = sum(len(c.cpus or ()) for c in cells)
    if total > vcpu.count:
        raise ctx.error(el, "Number of CPUs in <numa> exceeds the <vcpu> count")
    mx = max((max(c.cpus) for c in cells if c.cpus), default=0)
    if mx >= vcpu.count:
        raise ctx.error(el, "CPU IDs in <numa> exceed the <vcpu> count")

    # iothreads: explicit ids first, then libvirt's autofill
    n = kw.get("iothreads") or 0
    ids = kw.get("iothreadids")
    explicit = ids.iothreads if ids is not None else []
    seen: set[int] = set()
    for t in explicit:
        if t.id in seen:
            raise ctx.error(el, "duplicate iothread id '%u' found" % t.id)
        seen.add(t.id)  # type: ignore[arg-type]
    n = max(n, len(explicit))
    if n:
        lst2 = list(explicit)
        nxt = 1
        while len(lst2) < n:
            while nxt in seen:
                nxt += 1
            lst2.append(IOThread(id=nxt, autofill=True))
            seen.add(nxt)
        kw["iothreadids"] = IOThreadIDs(iothreads=lst2)
        kw["iothreads"] = n
    else:
        kw.pop("iothreads", None)
        kw.pop("iothreadids", None)

    # cputune cross-references
    ct = kw.get("cputune")
    if ct is not None:
        order = [t.id for t in (kw.get("iothreadids").iothreads if kw.get("iothreadids") else [])]
        finish_pins(ct, vcpu.count, order, el, ctx)
        for s in ct.vcpuscheds:
            for v in sorted(s.vcpus):
                if v >= vcpu.count:
                    raise ctx.error(el, "vCPU '%d' is not present in domain definition" % v)
        for s in ct.iothreadscheds:
            if s.iothreads[0] not in order:
                raise ctx.error(el, "Cannot find 'iothread' : %u" % s.iothreads[0])
        ct.iothreadscheds.sort(key=lambda s: order.index(s.iothreads[0]))

    if ct is not None:
        finish_resctrl(ct, vcpu.count, el, ctx)

    res = kw.get("resource")
    if res is not None and not res.is_set():
        kw["resource"] = None

    # numatune (needs vcpu placement and NUMA cells)
    if len(el.findall("numatune")) > 1:
        raise ctx.error(el, "only one numatune is supported")
    nt = kw.get("numatune")
    if nt is None and vcpu.placement == "auto":
        nt = kw["numatune"] = Numatune(memory=NumatuneMemory(placement="auto"))
    if nt is not None:
        nt.finish(vcpu.placement == "static", len(cells), el, ctx)
        if (vcpu.placement != "auto" and nt.memory is not None and nt.memory.placement == "auto"
                and vcpu.cpuset is None and not (ct is not None and (ct.vcpupins or ct.emulatorpin
                                                                     or ct.iothreadpins))):
            vcpu.placement = "auto"

    # os type 'linux' on xen is 'xen'; only the boot options of the OS
    # type are read
    os_ = kw.get("os")
    if os_ is not None:
        ostype = os_.type.type if os_.type is not None else None
        if kw.get("type") == "xen" and ostype == "linux":
            os_.type.type = ostype = "xen"
        if ostype is None and kw.get("bootloader") is not None:
            ostype = "xen"
        if ostype is not None:
            os_.prune(ostype)

    if kw.get("namespace_data"):
        from .namespaces import foreign

        kw["namespace_data"] = _normalize_ns([it for it in kw["namespace_data"]
                                              if not foreign(ctx, type(it).__xml_ns__)])

    md = kw.get("metadata")
    if md is not None:
        md.items = _sanitize_metadata(md.items)


def _sanitize_metadata(items: list[str]) -> list[str]:
    """virXMLNodeSanitizeNamespaces: drop children without a namespace and
    all but the first child of each namespace."""
    from lxml import etree

    out: list[str] = []
    seen: set[str] = set()
    for it in items:
        try:
            e = etree.fromstring(it)
        except etree.XMLSyntaxError:
            continue
        ns = etree.QName(e).namespace
        if not ns or ns in seen:
            continue
        seen.add(ns)
        out.append(it)
    return out
