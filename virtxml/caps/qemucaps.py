"""libvirt's QEMU capability cache document ``<qemuCaps>``
(virQEMUCapsFormatCache / virQEMUCapsLoadCache): reader, writer and the
queries the QEMU driver asks of it.

Machine types and CPU models are kept per accelerator (``kvm``, ``tcg``,
``hvf``) in file order; the first machine of an accelerator is libvirt's
preferred default for it.
"""

from __future__ import annotations

import os
from typing import Any, Callable, Iterable

import attrs

from ..errors import VirtXMLError
from ..safexml import parse_bytes, read_source

#: virt type -> accelerator name used in the cache file (virQEMUCapsGetAccel)
VIRT_TO_ACCEL = {"kvm": "kvm", "hvf": "hvf", "qemu": "tcg"}
ACCELS = ("kvm", "hvf", "tcg")


class CapsError(VirtXMLError):
    """A capability document cannot be read."""

    rule = "caps"


def _yes(value: str | None) -> bool:
    return value == "yes"


def _int(value: str | None, default: int = 0) -> int:
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise CapsError(f"malformed integer '{value}' in QEMU capabilities") from None


@attrs.define(kw_only=True)
class MachineType:
    """One ``<machine>`` of the cache: virQEMUCapsMachineType."""

    name: str
    alias: str | None = None
    hotplug_cpus: bool = False
    max_cpus: int = 0
    default: bool = False
    default_cpu: str | None = None
    numa_mem_supported: bool = False
    default_ram_id: str | None = None
    deprecated: bool = False


@attrs.define(kw_only=True)
class CPUModel:
    """One ``<cpu>`` of an accelerator: name, QOM typename, usability."""

    name: str
    typename: str | None = None
    usable: str | None = None  # "yes" / "no" / None (unknown)
    deprecated: bool = False
    blockers: list[str] = attrs.field(factory=list)


@attrs.define(kw_only=True)
class HostCPUProperty:
    name: str
    type: str
    value: str | None = None
    migratable: str | None = None


@attrs.define(kw_only=True)
class HostCPU:
    model: str
    migratability: bool = False
    properties: list[HostCPUProperty] = attrs.field(factory=list)


@attrs.define(kw_only=True)
class AccelCaps:
    """What the cache stores per accelerator."""

    host_cpu: HostCPU | None = None
    cpus: list[CPUModel] = attrs.field(factory=list)
    machines: list[MachineType] = attrs.field(factory=list)


@attrs.define(kw_only=True)
class GicCap:
    version: int
    kernel: bool = False
    emulated: bool = False


@attrs.define(kw_only=True)
class QemuCaps:
    """The capabilities of one QEMU binary (libvirt's virQEMUCaps)."""

    emulator: str | None = None
    qemuctime: int = 0
    qemumoddirmtime: int | None = None
    #: size of the binary when probed (virtxml's own addition to the cache
    #: format, element <binarySize>; libvirt ignores it)
    binary_size: int | None = None
    selfctime: int = 0
    selfvers: int = 0
    flags: set[str] = attrs.field(factory=set)
    #: flag names in file order (writing keeps it)
    flag_order: list[str] = attrs.field(factory=list)
    version: int = 0
    kvm_version: int = 0
    microcode_version: int = 0
    host_cpu_signature: str | None = None
    package: str | None = None
    kernel_version: str | None = None
    arch: str | None = None
    accels: dict[str, AccelCaps] = attrs.field(factory=dict)
    gic: list[GicCap] = attrs.field(factory=list)
    #: elements this reader keeps but does not interpret (sev, sgx, hyperv...)
    extra: list[Any] = attrs.field(factory=list)
    #: where the capabilities came from (file, probe, profile)
    origin: str | None = None

    # -- queries -------------------------------------------------------------
    def has(self, flag: str) -> bool:
        """Whether the capability flag (cache name, e.g. ``'kvm'``) is set."""
        return flag in self.flags

    def set_flag(self, flag: str) -> None:
        if flag not in self.flags:
            self.flags.add(flag)
            self.flag_order.append(flag)

    def clear_flag(self, flag: str) -> None:
        if flag in self.flags:
            self.flags.discard(flag)
            self.flag_order.remove(flag)

    def accel(self, virt_type: str) -> AccelCaps:
        # virQEMUCapsGetAccel: every virt type but kvm/hvf uses the TCG data
        name = VIRT_TO_ACCEL.get(virt_type, "tcg")
        acc = self.accels.get(name)
        if acc is None:
            acc = AccelCaps()
        return acc

    def machines(self, virt_type: str) -> list[MachineType]:
        """Machine types of the accelerator serving ``virt_type`` (kvm, qemu, hvf)."""
        return self.accel(virt_type).machines

    def has_machines(self) -> bool:
        return any(a.machines for a in self.accels.values())

    def preferred_machine(self, virt_type: str) -> str | None:
        """virQEMUCapsGetPreferredMachine: the first machine's canonical name."""
        ms = self.machines(virt_type)
        return ms[0].name if ms else None

    def canonical_machine(self, virt_type: str, name: str | None) -> str | None:
        """virQEMUCapsGetCanonicalMachine: alias -> name; others unchanged."""
        if name is None:
            return None
        for m in self.machines(virt_type):
            if m.alias == name:
                return m.name
        return name

    def find_machine(self, virt_type: str, name: str | None) -> MachineType | None:
        """The machine entry called ``name`` (canonical name or alias)."""
        if name is None:
            return None
        for m in self.machines(virt_type):
            if m.name == name:
                return m
        for m in self.machines(virt_type):
            if m.alias == name:
                return m
        return None

    def is_machine_supported(self, virt_type: str, name: str | None) -> bool:
        """virQEMUCapsIsMachineSupported: exact canonical name match."""
        return any(m.name == name for m in self.machines(virt_type))

    def machine_max_cpus(self, virt_type: str, name: str | None) -> int:
        """virQEMUCapsGetMachineMaxCpus (name or alias)."""
        for m in self.machines(virt_type):
            if m.name == name or m.alias == name:
                return m.max_cpus
        return 0

    def cpu_models(self, virt_type: str) -> list[CPUModel]:
        return self.accel(virt_type).cpus

    def is_virt_type_supported(self, virt_type: str) -> bool:
        """virQEMUCapsIsVirtTypeSupported."""
        if virt_type == "qemu":
            return self.has("tcg")
        if virt_type == "kvm":
            return self.has("kvm")
        if virt_type == "hvf":
            return self.has("hvf")
        return False

    def is_arch_supported(self, guest_arch: str) -> bool:
        """virQEMUCapsIsArchSupported: the caps arch plus the compatible ones."""
        arch = self.arch
        if arch is None:
            return False
        if guest_arch == arch:
            return True
        compat = {("x86_64", "i686"), ("aarch64", "armv7l"), ("armv7l", "armv6l"),
                  ("ppc64", "ppc64le")}
        return (arch, guest_arch) in compat

    def strip_machine_aliases(self) -> None:
        """virQEMUCapsStripMachineAliases (the test harness for 'latest'
        caps): every alias becomes a machine of its own (appended, same
        properties) and the alias is removed from the original entry."""
        import copy as _copy

        for name in ("kvm", "tcg"):
            acc = self.accels.get(name)
            if acc is None:
                continue
            for m in list(acc.machines):
                if m.alias:
                    extra = _copy.copy(m)
                    extra.name = m.alias
                    extra.alias = None
                    m.alias = None
                    acc.machines.append(extra)

    def copy(self) -> "QemuCaps":
        import copy as _copy

        return _copy.deepcopy(self)


# -- reading -----------------------------------------------------------------

def _text(el: Any) -> str:
    return (el.text or "").strip()


def _same(text: str) -> str:
    return text


#: the single-valued children of <qemuCaps>: tag -> (QemuCaps field, how
#: its stripped text is read)
_SCALARS: dict[str, tuple[str, Callable[[str], Any]]] = {
    "emulator": ("emulator", _same), "qemuctime": ("qemuctime", _int),
    "binarySize": ("binary_size", _int), "qemumoddirmtime": ("qemumoddirmtime", _int),
    "selfctime": ("selfctime", _int), "selfvers": ("selfvers", _int),
    "version": ("version", _int), "kvmVersion": ("kvm_version", _int),
    "microcodeVersion": ("microcode_version", _int),
    "hostCPUSignature": ("host_cpu_signature", _same), "package": ("package", _same),
    "kernelVersion": ("kernel_version", _same), "arch": ("arch", _same),
}


def parse_qemu_caps_tree(root: Any, origin: str | None = None) -> QemuCaps:
    if root.tag != "qemuCaps":
        raise CapsError(f"expecting root element of 'qemuCaps', not '{root.tag}'", file=origin,
                        line=root.sourceline)
    caps = QemuCaps(origin=origin)
    for el in root:
        tag = el.tag
        if not isinstance(tag, str):
            continue
        scalar = _SCALARS.get(tag)
        if scalar is not None:
            field, conv = scalar
            setattr(caps, field, conv(_text(el)))
        elif tag == "flag":
            name = el.get("name")
            if not name:
                raise CapsError("missing flag name in QEMU capabilities cache", file=origin,
                                line=el.sourceline)
            caps.set_flag(name)
        elif tag == "hostCPU":
            acc = caps.accels.setdefault(el.get("type") or "kvm", AccelCaps())
            props = [HostCPUProperty(name=p.get("name") or "", type=p.get("type") or "",
                                     value=p.get("value"), migratable=p.get("migratable"))
                     for p in el if p.tag == "property"]
            acc.host_cpu = HostCPU(model=el.get("model") or "",
                                   migratability=_yes(el.get("migratability")), properties=props)
        elif tag == "cpu":
            acc = caps.accels.setdefault(el.get("type") or "kvm", AccelCaps())
            acc.cpus.append(CPUModel(
                name=el.get("name") or "", typename=el.get("typename"), usable=el.get("usable"),
                deprecated=_yes(el.get("deprecated")),
                blockers=[b.get("name") or "" for b in el if b.tag == "blocker"]))
        elif tag == "machine":
            name = el.get("name")
            if not name:
                raise CapsError("missing machine name in QEMU capabilities cache", file=origin,
                                line=el.sourceline)
            acc = caps.accels.setdefault(el.get("type") or "kvm", AccelCaps())
            acc.machines.append(MachineType(
                name=name, alias=el.get("alias"), hotplug_cpus=_yes(el.get("hotplugCpus")),
                max_cpus=_int(el.get("maxCpus")), default=_yes(el.get("default")),
                default_cpu=el.get("defaultCPU"),
                numa_mem_supported=_yes(el.get("numaMemSupported")),
                default_ram_id=el.get("defaultRAMid"), deprecated=_yes(el.get("deprecated"))))
        elif tag == "gic":
            caps.gic.append(GicCap(version=_int(el.get("version")), kernel=_yes(el.get("kernel")),
                                   emulated=_yes(el.get("emulated"))))
        else:
            caps.extra.append(el)
    return caps


def parse_qemu_caps(source: str | bytes | os.PathLike[str]) -> QemuCaps:
    """Read a ``<qemuCaps>`` document from a path, a string or bytes."""
    data, fname = read_source(source)
    root = parse_bytes(data, fname)
    return parse_qemu_caps_tree(root, fname)


# -- writing -----------------------------------------------------------------

def _attr(name: str, value: Any) -> str:
    from xml.sax.saxutils import quoteattr

    s = quoteattr(str(value), {"'": "&apos;"})
    if s.startswith('"'):
        s = "'" + s[1:-1].replace("&quot;", '"') + "'"
    return f" {name}={s}"


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def format_qemu_caps(caps: QemuCaps) -> str:
    """Write the cache document in libvirt's layout (virQEMUCapsFormatCache)."""
    out = ["<qemuCaps>\n"]
    if caps.emulator is not None:
        out.append(f"  <emulator>{_esc(caps.emulator)}</emulator>\n")
    out.append(f"  <qemuctime>{caps.qemuctime}</qemuctime>\n")
    if caps.binary_size is not None:
        out.append(f"  <binarySize>{caps.binary_size}</binarySize>\n")
    if caps.qemumoddirmtime is not None:
        out.append(f"  <qemumoddirmtime>{caps.qemumoddirmtime}</qemumoddirmtime>\n")
    out.append(f"  <selfctime>{caps.selfctime}</selfctime>\n")
    out.append(f"  <selfvers>{caps.selfvers}</selfvers>\n")
    for flag in caps.flag_order:
        out.append(f"  <flag{_attr('name', flag)}/>\n")
    out.append(f"  <version>{caps.version}</version>\n")
    out.append(f"  <kvmVersion>{caps.kvm_version}</kvmVersion>\n")
    out.append(f"  <microcodeVersion>{caps.microcode_version}</microcodeVersion>\n")
    if caps.host_cpu_signature:
        out.append(f"  <hostCPUSignature>{_esc(caps.host_cpu_signature)}</hostCPUSignature>\n")
    if caps.package is not None:
        out.append(f"  <package>{_esc(caps.package)}</package>\n")
    if caps.kernel_version:
        out.append(f"  <kernelVersion>{_esc(caps.kernel_version)}</kernelVersion>\n")
    if caps.arch:
        out.append(f"  <arch>{_esc(caps.arch)}</arch>\n")
    for accel in ACCELS:
        acc = caps.accels.get(accel)
        if acc is None:
            continue
        if acc.host_cpu is not None:
            h = acc.host_cpu
            out.append(f"  <hostCPU{_attr('type', accel)}{_attr('model', h.model)}"
                       f"{_attr('migratability', 'yes' if h.migratability else 'no')}>\n")
            for p in h.properties:
                s = f"    <property{_attr('name', p.name)}{_attr('type', p.type)}"
                if p.value is not None:
                    s += _attr("value", p.value)
                if p.migratable is not None:
                    s += _attr("migratable", p.migratable)
                out.append(s + "/>\n")
            out.append("  </hostCPU>\n")
        for c in acc.cpus:
            s = f"  <cpu{_attr('type', accel)}{_attr('name', c.name)}"
            if c.typename:
                s += _attr("typename", c.typename)
            if c.usable:
                s += _attr("usable", c.usable)
            if c.deprecated:
                s += _attr("deprecated", "yes")
            if c.blockers:
                out.append(s + ">\n")
                out.extend(f"    <blocker{_attr('name', b)}/>\n" for b in c.blockers)
                out.append("  </cpu>\n")
            else:
                out.append(s + "/>\n")
        for m in acc.machines:
            s = f"  <machine{_attr('type', accel)}{_attr('name', m.name)}"
            if m.alias:
                s += _attr("alias", m.alias)
            if m.hotplug_cpus:
                s += _attr("hotplugCpus", "yes")
            s += _attr("maxCpus", m.max_cpus)
            if m.default:
                s += _attr("default", "yes")
            if m.default_cpu:
                s += _attr("defaultCPU", m.default_cpu)
            if m.numa_mem_supported:
                s += _attr("numaMemSupported", "yes")
            if m.default_ram_id:
                s += _attr("defaultRAMid", m.default_ram_id)
            if m.deprecated:
                s += _attr("deprecated", "yes")
            out.append(s + "/>\n")
    for g in caps.gic:
        out.append(f"  <gic{_attr('version', g.version)}"
                   f"{_attr('kernel', 'yes' if g.kernel else 'no')}"
                   f"{_attr('emulated', 'yes' if g.emulated else 'no')}/>\n")
    for el in caps.extra:
        _write_el(out, el, "  ")
    out.append("</qemuCaps>\n")
    return "".join(out)


def _write_el(out: list[str], el: Any, ind: str) -> None:
    if not isinstance(el.tag, str):
        return
    s = ind + "<" + el.tag + "".join(_attr(k, v) for k, v in el.attrib.items())
    kids = [c for c in el if isinstance(c.tag, str)]
    text = (el.text or "").strip()
    if kids:
        out.append(s + ">\n")
        for c in kids:
            _write_el(out, c, ind + "  ")
        out.append(f"{ind}</{el.tag}>\n")
    elif text:
        out.append(f"{s}>{_esc(text)}</{el.tag}>\n")
    else:
        out.append(s + "/>\n")


def order_machines(machines: Iterable[MachineType], arch: str | None) -> list[MachineType]:
    """libvirt's probe-time ordering (virQEMUCapsProbeQMPMachineTypes): drop
    ``none``; the per-arch preferred machine (by alias or name) first, else
    QEMU's default, else keep QEMU's order."""
    ms = [m for m in machines if m.name != "none"]
    pref = PREFERRED_MACHINES.get(arch or "")
    idx = None
    def_idx = None
    for i, m in enumerate(ms):
        if pref is not None and (m.alias == pref or m.name == pref):
            idx = i
        if m.default:
            def_idx = i
    if idx is None:
        idx = def_idx
    if idx:
        ms.insert(0, ms.pop(idx))
    return ms


#: preferredMachines[] of qemu_capabilities.c (libvirt 9.0), by libvirt arch
PREFERRED_MACHINES: dict[str, str] = {
    "aarch64": "integratorcp",
    "alpha": "clipper",
    "armv6l": "integratorcp",
    "armv7l": "integratorcp",
    "armv7b": "integratorcp",
    "cris": "axis-dev88",
    "i686": "pc",
    "lm32": "lm32-evr",
    "m68k": "mcf5208evb",
    "microblaze": "petalogix-s3adsp1800",
    "microblazeel": "petalogix-s3adsp1800",
    "mips": "malta",
    "mipsel": "malta",
    "mips64": "malta",
    "mips64el": "malta",
    "openrisc": "or1k-sim",
    "ppc": "g3beige",
    "ppcle": "g3beige",
    "ppc64": "pseries",
    "ppc64le": "pseries",
    "ppcemb": "bamboo",
    "riscv32": "spike_v1.10",
    "riscv64": "spike_v1.10",
    "s390x": "s390-ccw-virtio",
    "sh4": "shix",
    "sh4eb": "shix",
    "sparc": "SS-5",
    "sparc64": "sun4u",
    "unicore32": "puv3",
    "x86_64": "pc",
    "xtensa": "sim",
    "xtensaeb": "sim",
}
