"""CPU defaults of the QEMU domain callback: qemuDomainDefSetDefaultCPU,
qemuDomainDefCPUPostParse, qemuDomainDefVcpusPostParse, and the default
features (ARM virt GIC version)."""

from __future__ import annotations

from typing import Any

from virtxml.errors import ParseError, PostParseError
from virtxml.flags import ParseFlags

from . import options
from .util import (arch, arch_is_arm, arch_is_ppc64, arch_is_s390, arch_is_x86, field_class,
                   is_arm_virt, is_q35, machine, new_obj, set_field, virt_type)


def _cpu_arch_supported(a: str | None) -> bool:
    """virCPUArchIsSupported: x86, ppc64, s390, arm drivers exist."""
    return arch_is_x86(a) or arch_is_ppc64(a) or arch_is_s390(a) or arch_is_arm(a)


def default_cpu_model(caps: Any, mach: str | None, vt: str) -> str | None:
    """virQEMUCapsGetMachineDefaultCPU: the machine's defaultCPU typename
    mapped to a CPU model name of the accelerator."""
    if not mach:
        return None
    cpus = caps.cpu_models(vt)
    if not cpus:
        return None
    cpu_type = None
    for m in caps.machines(vt):
        if m.name == mach:
            cpu_type = m.default_cpu
            break
    if not cpu_type:
        return None
    for c in cpus:
        if c.typename == cpu_type:
            return c.name
    return None


def _new_cpu(dom: Any) -> Any:
    cls = field_class(type(dom), "cpu")
    cpu = new_obj(cls)
    dom.cpu = cpu
    return cpu


def set_default_cpu(dom: Any, caps: Any) -> None:
    cpu = getattr(dom, "cpu", None)
    if cpu is not None and (getattr(cpu, "mode", None) not in (None, "custom") or _model_name(cpu)):
        return
    a = arch(dom)
    if not _cpu_arch_supported(a):
        return
    vt = virt_type(dom)
    if not arch_is_x86(a) and not arch_is_s390(a) and not arch_is_ppc64(a) and vt != "qemu":
        return
    model = default_cpu_model(caps, machine(dom), vt)
    if not model:
        return
    if model == "host" and vt != "kvm":
        raise PostParseError('QEMU reports invalid default CPU model "host" for non-kvm domain virt type')
    if cpu is None:
        cpu = _new_cpu(dom)
    if model == "host":
        if arch_is_s390(a) and caps.accel(vt).host_cpu is not None:
            cpu.mode = "host-model"
        else:
            cpu.mode = "host-passthrough"
    else:
        cpu.check = "none"
        cpu.mode = "custom"
        cpu.match = "exact"
        mcls = field_class(type(cpu), "model")
        cpu.model = new_obj(mcls, name=model, fallback="forbid")


def _model_name(cpu: Any) -> str | None:
    m = getattr(cpu, "model", None)
    return getattr(m, "name", None) if m is not None else None


def cpu_post_parse(dom: Any, caps: Any) -> None:
    cpu = getattr(dom, "cpu", None)
    if cpu is None:
        return
    feats = list(getattr(cpu, "features", None) or [])
    sve = None
    lengths = False
    for f in feats:
        n = getattr(f, "name", None) or ""
        if n == "sve":
            sve = f
        elif n.startswith("sve"):
            lengths = True
    if lengths:
        if sve is not None:
            if getattr(sve, "policy", None) in ("disable", "forbid"):
                raise PostParseError("SVE disabled, but SVE vector lengths provided")
            sve.policy = "require"
        else:
            fcls = field_class(type(cpu), "features")
            cpu.features.append(new_obj(fcls, name="sve", policy="require"))
    mode = getattr(cpu, "mode", None) or "custom"
    dom_id = getattr(dom, "id", None)
    if (dom_id is None or dom_id == -1) and caps is not None and mode == "host-passthrough" \
            and getattr(cpu, "migratable", None) is None:
        if caps.has("cpu.migratable"):
            cpu.migratable = True
        elif arch_is_x86(arch(dom)):
            cpu.migratable = False
    if mode == "custom" and not _model_name(cpu):
        return
    if getattr(cpu, "check", None) is not None:
        return
    if mode in ("host-passthrough", "maximum"):
        cpu.check = "none"
    elif mode == "host-model":
        cpu.check = "partial"
    elif mode == "custom":
        cpu.check = "none" if virt_type(dom) == "qemu" else "partial"


def vcpus_post_parse(dom: Any) -> None:
    """qemuDomainDefVcpusPostParse: vcpu 0 online first, order rules.

    Only with individual <vcpus>: every vcpu up to the maximum is walked;
    one the document leaves out is offline, unordered and of unset
    hotpluggability (as virDomainDefSetVcpusMax leaves it)."""
    vcpus = getattr(dom, "vcpus", None)
    entries = list(getattr(vcpus, "vcpus", None) or [])
    if not entries:
        return
    by_id = {getattr(v, "id", None): v for v in entries}
    count = getattr(getattr(dom, "vcpu", None), "count", None)
    maxv = int(count) if count is not None else 1

    def online(v: Any) -> bool:
        return v is not None and getattr(v, "enabled", None) is not False

    def order(v: Any) -> int:
        return int(getattr(v, "order", None) or 0)

    def hp(v: Any) -> Any:
        return getattr(v, "hotpluggable", None)

    v0 = by_id.get(0)
    if not online(v0):
        raise PostParseError("vcpu 0 can't be offline")
    if hp(v0) is True:
        raise PostParseError("vcpu0 can't be hotpluggable")
    if order(v0) not in (0, 1):
        raise PostParseError("vcpu0 must be enabled first")
    has_order = order(v0) != 0
    prev = v0
    for i in range(1, max(maxv, 1)):
        v = by_id.get(i)
        if online(v) and (order(v) != 0) != has_order:
            raise PostParseError("all vcpus must have either set or unset order")
        if hp(v) is False:
            if hp(prev) is True:
                # (libvirt's spelling)
                raise PostParseError("online non-hotpluggable vcpus need to be ordered prior to "
                                     "hotplugable vcpus")
            if order(prev) > order(v):
                raise PostParseError("online non-hotpluggable vcpus must be ordered in ascending order")
        prev = v


def enable_default_features(dom: Any, caps: Any) -> None:
    """qemuDomainDefEnableDefaultFeatures: ARM virt always has a GIC."""
    feats = getattr(dom, "features", None)
    gic = getattr(feats, "gic", None)
    if not (gic is None and is_arm_virt(dom)) and not (gic is not None and not getattr(gic, "version", None)):
        return
    vt = virt_type(dom)
    version = None
    for v in (3, 2):
        if v == 3 and vt == "qemu":
            continue
        for cap in caps.gic:
            if cap.version != v:
                continue
            if (vt == "kvm" and cap.kernel) or (vt == "qemu" and cap.emulated):
                version = v
                break
        if version:
            break
    if version is None:
        version = 2
    if feats is None:
        fcls = field_class(type(dom), "features")
        if fcls is None:
            return
        feats = new_obj(fcls)
        dom.features = feats
    if gic is None:
        gcls = field_class(type(feats), "gic")
        if gcls is None:
            return
        gic = new_obj(gcls)
        feats.gic = gic
    set_field(gic, "version", str(version))



def _vcpus_max(dom: Any) -> int:
    v = getattr(dom, "vcpu", None)
    n = getattr(v, "count", None)
    return int(n) if n else 1


def numa_cpus_rectify(dom: Any, caps: Any) -> None:
    """qemuDomainDefNumaCPUsRectify: node 0 takes the vCPUs no node has."""
    numa = getattr(getattr(dom, "cpu", None), "numa", None)
    cells = list(getattr(numa, "cells", None) or [])
    if not cells:
        return
    vmax = _vcpus_max(dom)
    total = sum(len(getattr(c, "cpus", None) or ()) for c in cells)
    if total >= vmax:
        return
    cell0 = next((c for c in cells if getattr(c, "id", None) == 0), cells[0])
    want = set(range(vmax))
    for c in cells:
        if c is cell0:
            continue
        want -= set(getattr(c, "cpus", None) or ())
    new = tuple(sorted(want))
    if tuple(getattr(cell0, "cpus", None) or ()) != new:
        cell0.cpus = new


def seclabel_default_model(dom: Any, ctx: Any) -> None:
    """virSecurityLabelDefsParseXML with the driver's default security model:
    a lone seclabel without model gets it (type none, or dynamic without
    baselabel on INACTIVE parse); model 'none' on INACTIVE forces type none."""
    labels = list(getattr(dom, "seclabels", None) or [])
    if len(labels) != 1 or getattr(labels[0], "model", None):
        return
    lab = labels[0]
    inactive = bool(ctx.flags & ParseFlags.INACTIVE)
    t = getattr(lab, "type", None)
    if not (t == "none" or (t == "dynamic" and not getattr(lab, "baselabel", None) and inactive)):
        # libvirt's parser (the QEMU driver always has a default model):
        # e.g. <seclabel/> (type VIR_DOMAIN_SECLABEL_DEFAULT)
        raise ParseError("missing security model in domain seclabel")
    cfg = options.qemu_conf(ctx)
    model = cfg.security_driver[0] if cfg.security_driver else "none"
    lab.model = model
    if model == "none" and inactive:
        lab.type = "none"
        lab.relabel = False


def tseg_post_parse(dom: Any, caps: Any) -> None:
    """qemuDomainDefTsegPostParse."""
    smm = getattr(getattr(dom, "features", None), "smm", None)
    if smm is None or getattr(smm, "state", None) is False:
        return
    tseg = getattr(smm, "tseg", None)
    if tseg is None:
        return
    if not is_q35(dom):
        raise PostParseError("SMM TSEG is only supported with q35 machine type")
    if not caps.has("mch.extended-tseg-mbytes"):
        raise PostParseError("Setting TSEG size is not supported with this QEMU binary")
    if int(tseg) & ((1 << 20) - 1):
        raise PostParseError("SMM TSEG size must be divisible by 1 MiB")
