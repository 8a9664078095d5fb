"""QEMU define-time validation of the domain (qemuValidateDomainDef;
behaviour §4.1, §10) with libvirt's texts; the devices' checks are in
validate_devices.py.

Everything here is judged against the capabilities of the emulator binary
the definition names (``ctx.data``, else looked up again; a failing lookup
is fatal at this stage, as in libvirt)."""

from __future__ import annotations

from typing import Any

from postparse.memory import device_memory, max_memory, numa_cells, total_memory
from virtxml.errors import ValidationError

from . import options
from .util import (arch, arch_is_ppc64, arch_is_s390, arch_is_x86, devlist, emulator, is_arm_virt, is_pseries,
                   is_q35, machine, virt_type)
from .validate_common import _caps, _feature, _os_type, _state, _unsupported
from .validate_devices import validate_device  # noqa: F401 - re-exported: the driver calls both from here


def validate_domain(dom: Any, ctx: Any) -> None:
    caps = _caps(dom, ctx)
    emu = emulator(dom)
    ost = _os_type(dom)
    if ost != "hvm":
        raise ValidationError(f"Emulator '{emu}' does not support os type '{ost}'").about(dom.os)
    a = arch(dom)
    if not caps.is_arch_supported(a):
        raise ValidationError(f"Emulator '{emu}' does not support arch '{a}'").about(dom.os)
    vt = virt_type(dom)
    if not caps.is_virt_type_supported(vt):
        raise ValidationError(f"Emulator '{emu}' does not support virt type '{vt}'").about(dom.os)
    m = machine(dom)
    if caps.has_machines() and not caps.is_machine_supported(vt, m):
        raise ValidationError(f"Emulator '{emu}' does not support machine type '{m}'").about(dom.os)
    _validate_domain_misc(dom, caps)
    _validate_boot(dom)
    _validate_timers(dom, caps)
    _validate_pm(dom, caps)
    _validate_vcpus(dom, caps)
    _validate_vcpu_counts(dom, caps)
    _validate_memory_hotplug(dom)
    _validate_features(dom, caps)
    _validate_more_features(dom, caps)
    _validate_memory_backing(dom, caps)
    _validate_consoles(dom, caps)
    _validate_sysinfo(dom)
    _validate_panics(dom, caps)
    _validate_cpu(dom, caps, getattr(options.caps_source(ctx), "host_arch", None))
    _validate_launch_security(dom, caps)
    _validate_devices_global(dom, caps)


def _validate_launch_security(dom: Any, caps: Any) -> None:
    sec = getattr(dom, "launch_security", None)
    st = getattr(sec, "type", None)
    if st == "sev":
        if not caps.has("sev-guest"):
            raise ValidationError("SEV launch security is not supported with this QEMU binary")
        if getattr(sec, "kernel_hashes", None) is not None and not caps.has("sev-guest-kernel-hashes"):
            raise ValidationError("SEV measured direct kernel boot is not supported with this "
                                  "QEMU binary")
    elif st == "s390-pv":
        if not caps.has("confidential-guest-support") or not caps.has("s390-pv-guest"):
            raise ValidationError("S390 PV launch security is not supported with this QEMU binary")


def _vcpus_max(dom: Any) -> int:
    v = getattr(dom, "vcpu", None)
    n = getattr(v, "count", None)
    return int(n) if n is not None else 1


def _vcpus_current(dom: Any) -> int:
    v = getattr(dom, "vcpu", None)
    cur = getattr(v, "current", None)
    return int(cur) if cur is not None else _vcpus_max(dom)


def _validate_domain_misc(dom: Any, caps: Any) -> None:
    mt = getattr(dom, "memtune", None)
    if getattr(mt, "min_guarantee", None):
        raise ValidationError("Parameter 'min_guarantee' not supported by QEMU.")
    _validate_uefi_acpi(dom)
    if getattr(dom, "genid", None) is not None and not caps.has("vmgenid"):
        raise ValidationError("this QEMU does not support the 'genid' capability")
    bios = getattr(getattr(dom, "os", None), "bios", None)
    if getattr(bios, "useserial", None) is True:
        if not arch_is_x86(arch(dom)):
            raise ValidationError("BIOS serial console only supported on x86 architectures")
        if not devlist(dom, "serials"):
            raise ValidationError("need at least one serial port to use BIOS serial output")
    _validate_lifecycle(dom)


def _validate_lifecycle(dom: Any) -> None:
    """qemuValidateLifecycleAction: what the QEMU driver cannot act on."""
    off = getattr(dom, "on_poweroff", None)
    reboot = getattr(dom, "on_reboot", None)
    crash = getattr(dom, "on_crash", None)
    if "rename-restart" in (off, reboot, crash):
        raise ValidationError("qemu driver doesn't support the 'rename-restart' action for "
                              "'on_reboot'/'on_poweroff'/'on_crash'")
    if "preserve" in (off, reboot):
        raise ValidationError("qemu driver doesn't support the 'preserve' action for "
                              "'on_reboot'/'on_poweroff'")
    if off == "restart" and reboot == "destroy":
        raise ValidationError("qemu driver doesn't support 'onReboot' set to 'destroy and "
                              "'onPoweroff' set to 'reboot'")


def _validate_secure_boot(dom: Any) -> None:
    loader = getattr(getattr(dom, "os", None), "loader", None)
    if getattr(loader, "secure", None) is True:
        if not is_q35(dom):
            raise ValidationError("Secure boot is supported with q35 machine types only")
        if arch(dom) != "x86_64":
            raise ValidationError("Secure boot is supported for x86_64 architecture only")
        if not getattr(getattr(dom, "os", None), "firmware", None) and _state(_feature(dom, "smm")) is not True:
            raise ValidationError("Secure boot requires SMM feature enabled")


def _validate_panics(dom: Any, caps: Any) -> None:
    """qemuValidateDomainDefPanic."""
    for p in devlist(dom, "panics"):
        model = getattr(p, "model", None)
        at = getattr(getattr(p, "address", None), "type", None)
        if model in ("s390", "hyperv", "pseries"):
            ok = {"s390": lambda: arch_is_s390(arch(dom)), "hyperv": lambda: arch_is_x86(arch(dom)),
                  "pseries": lambda: is_pseries(dom)}[model]()
            if not ok:
                raise ValidationError({
                    "s390": "only S390 guests support panic device of model 's390'",
                    "hyperv": "only i686 and x86_64 guests support panic device of model 'hyperv'",
                    "pseries": "only pSeries guests support panic device of model 'pseries'"}[model])
            if at is not None:
                raise ValidationError(f"setting the panic device address is not supported for model '{model}'")
        elif model == "isa":
            if not caps.has("pvpanic"):
                raise ValidationError("the QEMU binary does not support the ISA panic device")
            if at not in (None, "isa"):
                raise ValidationError("panic is supported only with ISA address type")
        elif model == "pvpanic" and at != "pci":
            raise ValidationError("pvpanic is supported only with PCI address type")


def _validate_consoles(dom: Any, caps: Any) -> None:
    """qemuValidateDomainDefConsole: explicit <console> target types."""
    for con in devlist(dom, "consoles"):
        tt = getattr(getattr(con, "target", None), "type", None)
        if tt == "sclp" and not caps.has("s390-sclp"):  # QEMU_CAPS_DEVICE_SCLPCONSOLE
            raise ValidationError("sclpconsole is not supported in this QEMU binary")
        if tt == "sclplm" and not caps.has("sclplmconsole"):
            raise ValidationError("sclplmconsole is not supported in this QEMU binary")
        if tt not in ("sclp", "sclplm", "virtio", "serial"):
            raise ValidationError(f"unsupported console target type {tt}")


def _validate_timers(dom: Any, caps: Any) -> None:
    for t in getattr(getattr(dom, "clock", None), "timers", None) or []:
        name = getattr(t, "name", None)
        present = getattr(t, "present", None)
        tick = getattr(t, "tickpolicy", None)
        if name == "platform":
            raise ValidationError(f"unsupported timer type (name) '{name}'")
        if name in ("tsc", "kvmclock", "hypervclock"):
            if not arch_is_x86(arch(dom)) and present is True:
                raise ValidationError(
                    f"Configuring the '{name}' timer is not supported for virtType={virt_type(dom)} "
                    f"arch={arch(dom)} machine={machine(dom)} guests")
        elif name == "rtc":
            if getattr(t, "track", None) == "boot":
                raise ValidationError("unsupported rtc timer track 'boot'")
            if tick in ("merge", "discard"):
                raise ValidationError(f"unsupported rtc timer tickpolicy '{tick}'")
        elif name == "pit":
            if tick == "merge" or (tick == "catchup" and not caps.has("kvm-pit-lost-tick-policy")):
                raise ValidationError(f"unsupported pit tickpolicy '{tick}'")
        elif name == "hpet":
            if present is True and not caps.has("no-hpet"):
                raise ValidationError("hpet timer is not supported")
        elif name == "armvtimer":
            if virt_type(dom) != "kvm" or not is_arm_virt(dom):
                raise ValidationError(
                    f"Configuring the '{name}' timer is not supported for virtType={virt_type(dom)} "
                    f"arch={arch(dom)} machine={machine(dom)} guests")
            if present is False:
                raise ValidationError(f"The '{name}' timer can't be disabled")
            if not caps.has("cpu.kvm-no-adjvtime"):
                raise ValidationError(f"Configuring the '{name}' timer is not supported with this "
                                      "QEMU binary")
            if tick in ("catchup", "merge"):
                raise ValidationError(f"The '{name}' timer does not support tickpolicy '{tick}'")
    clock = getattr(dom, "clock", None)
    if getattr(clock, "offset", None) == "absolute" and int(getattr(clock, "start", None) or 0) > 253402300799:
        # the latest time glib converts: 9999-12-31T23:59:59
        raise ValidationError("The maximum 'start' value for <clock offset='absolute'> is 253402300799")


def _validate_vcpu_counts(dom: Any, caps: Any) -> None:
    if _vcpus_current(dom) == 0:
        raise ValidationError("Domain requires at least 1 vCPU")
    topo = getattr(getattr(dom, "cpu", None), "topology", None)
    if caps.has("query-hotpluggable-cpus") and topo is not None and getattr(topo, "sockets", None):
        total = 1
        for k in ("sockets", "dies", "cores", "threads"):
            total *= int(getattr(topo, k, None) or 1)
        if total != _vcpus_max(dom):
            raise ValidationError("CPU topology doesn't match maximum vcpu count")
    if arch_is_x86(arch(dom)) and _vcpus_max(dom) > 255:
        if not is_q35(dom):
            raise ValidationError("more than 255 vCPUs are only supported on q35-based machine types")
        iommu = getattr(getattr(dom, "devices", None), "iommu", None)
        if getattr(getattr(iommu, "driver", None), "eim", None) is not True:
            raise ValidationError("more than 255 vCPUs require extended interrupt mode enabled on "
                                  "the iommu device")
    ct = getattr(dom, "cputune", None)
    if (getattr(ct, "cachetunes", None) or getattr(ct, "memorytunes", None)) and virt_type(dom) != "kvm":
        raise ValidationError("cachetune is only supported for KVM domains").about(ct)


def _validate_memory_hotplug_device(dom: Any, mem: Any, mems: list[Any], slots: int,
                                    numa: int) -> None:
    """qemuDomainDefValidateMemoryHotplugDevice."""
    if getattr(mem, "model", None) not in ("dimm", "nvdimm"):
        return
    addr = getattr(mem, "address", None)
    at = getattr(addr, "type", None)
    if at not in (None, "dimm"):
        raise ValidationError("only 'dimm' addresses are supported for the pc-dimm device")
    if numa and getattr(getattr(mem, "target", None), "node", None) is None:
        raise ValidationError("target NUMA node needs to be specified for memory device")
    if at != "dimm":
        return
    slot = getattr(addr, "slot", None)
    base = getattr(addr, "base", None)
    if slot is not None and int(slot) >= slots:
        raise ValidationError(f"memory device slot '{int(slot)}' exceeds slots count '{slots}'")
    for other in mems:
        if other is mem:
            continue
        oa = getattr(other, "address", None)
        if getattr(oa, "type", None) != "dimm":
            continue
        if slot is not None and getattr(oa, "slot", None) is not None and int(getattr(oa, "slot", None)) == int(slot):
            raise ValidationError(f"memory device slot '{int(slot)}' is already being used by "
                                  "another memory device")
        if base and getattr(oa, "base", None) and int(getattr(oa, "base", None)) == int(base):
            raise ValidationError(f"memory device base '0x{int(base):x}' is already being used "
                                  "by another memory device")


def _validate_memory_hotplug(dom: Any) -> None:
    """qemuDomainDefValidateMemoryHotplug (no device being hotplugged)."""
    mems = devlist(dom, "memories")
    mmax, slots = max_memory(dom)
    if not mmax:
        if mems:
            raise ValidationError("cannot use/hotplug a memory device when domain 'maxMemory' is "
                                  "not defined")
        return
    numa = len(numa_cells(dom))
    if not arch_is_ppc64(arch(dom)) and numa == 0:
        raise ValidationError("At least one numa node has to be configured when enabling memory "
                              "hotplug")
    if len(mems) > slots:
        raise ValidationError(f"memory device count '{len(mems)}' exceeds slots count '{slots}'")
    hotplug = 0
    needed = 0
    for m in mems:
        hotplug += device_memory(m)
        if getattr(m, "model", None) in ("dimm", "nvdimm", "virtio-pmem"):
            needed += 1
        _validate_memory_hotplug_device(dom, m, mems, slots, numa)
    if needed > slots:
        raise ValidationError(f"count of memory devices requiring memory slots '{needed}' exceeds "
                              f"slots count '{slots}'")
    space = mmax - (total_memory(dom) - hotplug)
    if hotplug > space:
        raise ValidationError("memory device total size exceeds hotplug space")


def _validate_more_features(dom: Any, caps: Any) -> None:
    feats = getattr(dom, "features", None)
    if feats is None:
        return
    a = arch(dom)
    if getattr(feats, "pvspinlock", None) is not None and not arch_is_x86(a):
        raise _unsupported("pvspinlock", dom)
    if getattr(feats, "hyperv", None) is not None and not arch_is_x86(a) and not is_arm_virt(dom):
        raise ValidationError(f"Hyperv features are not supported for architecture '{a}' or machine "
                              f"type '{machine(dom)}'")
    pmu = getattr(feats, "pmu", None)
    if pmu is not None and _state(pmu) is False and arch_is_ppc64(a):
        raise ValidationError(f"PMU is always enabled for architecture '{a}'")
    apic = getattr(feats, "apic", None)
    if apic is not None and getattr(apic, "eoi", None) is not None and not arch_is_x86(a):
        raise ValidationError(f"The 'eoi' attribute of the 'apic' feature is not supported for "
                              f"architecture '{a}' or machine type '{machine(dom)}'")
    vmport = getattr(feats, "vmport", None)
    if vmport is not None and not (caps.has("machine-vmport-opt") and arch_is_x86(a)):
        raise ValidationError("vmport is not available with this QEMU binary")
    # (features are checked in libvirt's enum order: tcg comes late)
    tcg = getattr(feats, "tcg", None)
    if tcg is not None:
        if virt_type(dom) != "qemu":
            raise ValidationError(f"TCG features are incompatible with domain type '{virt_type(dom)}'")
        if int(getattr(tcg, "tb_cache", None) or 0) & 0x3FF:
            raise ValidationError("tb-cache size must be an integer multiple of MiB")


def _validate_memory_backing(dom: Any, caps: Any) -> None:
    mb = getattr(dom, "memory_backing", None)
    if mb is None or getattr(mb, "hugepages", None) is None:
        return
    if getattr(getattr(mb, "allocation", None), "mode", None) == "ondemand":
        raise ValidationError("hugepages are not allowed with memory allocation ondemand")
    st = getattr(getattr(mb, "source", None), "type", None)
    if st == "anonymous":
        raise ValidationError("hugepages are not allowed with anonymous memory source")
    if st == "memfd" and not caps.has("memory-backend-memfd.hugetlb"):
        raise ValidationError("hugepages is not supported with memfd memory source")


def _validate_sysinfo(dom: Any) -> None:
    for si in getattr(dom, "sysinfo", None) or []:
        for e in getattr(si, "entries", None) or getattr(si, "fw_cfgs", None) or []:
            name = getattr(e, "name", None) or ""
            if getattr(si, "type", None) != "fwcfg":
                continue
            if not name.startswith("opt/"):
                raise ValidationError("Invalid firmware name")
            if name.startswith(("opt/ovmf/", "opt/org.qemu/")):
                raise ValidationError("That firmware name is reserved")


def _is_efi(dom: Any) -> bool:
    os_ = getattr(dom, "os", None)
    if getattr(os_, "firmware", None) == "efi":
        return True
    loader = getattr(os_, "loader", None)
    return getattr(loader, "type", None) == "pflash"


def _validate_uefi_acpi(dom: Any) -> None:
    # loader / NVRAM / firmware-autoselect rules are all generic in libvirt 9.0
    # (virDomainDefOSValidate, postparse/validation.py check_os)
    acpi = _state(_feature(dom, "acpi"))
    a = arch(dom)
    if _is_efi(dom):
        if arch_is_x86(a) and acpi is not True:
            raise ValidationError("UEFI requires ACPI on this architecture")
    elif acpi is True and a == "aarch64":
        raise ValidationError("ACPI requires UEFI on this architecture")


def _validate_boot(dom: Any) -> None:
    _validate_secure_boot(dom)


def _pm_enabled(dom: Any, name: str) -> bool:
    el = getattr(getattr(dom, "pm", None), name, None)
    en = getattr(el, "enabled", None)
    return en is not None and en is not False and en != "no"


def _validate_pm(dom: Any, caps: Any) -> None:
    q35 = is_q35(dom)
    if getattr(getattr(dom, "pm", None), "suspend_to_mem", None) is not None and _pm_set(dom, "suspend_to_mem"):
        if not (q35 and caps.has("ich9-disable-s3")) and not caps.has("disable-s3"):
            raise ValidationError("setting ACPI S3 not supported").about(dom.pm)
    if getattr(getattr(dom, "pm", None), "suspend_to_disk", None) is not None and _pm_set(dom, "suspend_to_disk"):
        if not (q35 and caps.has("ich9-disable-s4")) and not caps.has("disable-s4"):
            raise ValidationError("setting ACPI S4 not supported").about(dom.pm)


def _pm_set(dom: Any, name: str) -> bool:
    el = getattr(getattr(dom, "pm", None), name, None)
    return el is not None and getattr(el, "enabled", None) is not None


_PSERIES_CAPS = (("htm", "machine.pseries.cap-htm", "HTM"),
                 ("nested_hv", "machine.pseries.cap-nested-hv", "Nested HV"),
                 ("ccf_assist", "machine.pseries.cap-ccf-assist", "ccf-assist"),
                 ("cfpc", "machine.pseries.cap-cfpc", "cfpc"),
                 ("sbbc", "machine.pseries.cap-sbbc", "sbbc"),
                 ("ibs", "machine.pseries.cap-ibs", "ibs"))


def _validate_features(dom: Any, caps: Any) -> None:
    feats = getattr(dom, "features", None)
    if feats is None:
        return
    a = arch(dom)
    ioapic = getattr(feats, "ioapic", None)
    if ioapic is not None and not arch_is_x86(a):
        raise _unsupported("ioapic", dom)
    hpt = getattr(feats, "hpt", None)
    if hpt is not None:
        if not is_pseries(dom):
            raise _unsupported("hpt", dom)
    gic = getattr(feats, "gic", None)
    if gic is not None and not is_arm_virt(dom):
        raise _unsupported("gic", dom)
    smm = getattr(feats, "smm", None)
    if _state(smm) is True and getattr(smm, "tseg", None) is not None and not is_q35(dom):
        pass
    for field, flag, label in _PSERIES_CAPS:
        v = getattr(feats, field, None)
        if v is None:
            continue
        name = field.replace("_", "-")
        if not is_pseries(dom):
            raise _unsupported(name, dom)
        if not caps.has(flag):
            raise ValidationError(f"{label} configuration is not supported by this QEMU binary")
    vmci = getattr(feats, "vmcoreinfo", None)
    if _state(vmci) is True and not caps.has("vmcoreinfo"):
        raise ValidationError("vmcoreinfo is not available with this QEMU binary")


def _validate_cpu(dom: Any, caps: Any, host_arch: str | None = None) -> None:
    cpu = getattr(dom, "cpu", None)
    if cpu is None:
        return
    mode = getattr(cpu, "mode", None) or "custom"
    cache = getattr(cpu, "cache", None)
    if cache is not None:
        cmode = getattr(cache, "mode", None)
        level = getattr(cache, "level", None)
        if cmode == "emulate":
            if level != 3:
                raise ValidationError("CPU cache mode 'emulate' can only be used with level='3'")
        elif cmode == "passthrough":
            if mode not in ("host-passthrough", "maximum"):
                raise ValidationError("CPU cache mode 'passthrough' can only be used with "
                                      "'host-passthrough' / 'maximum' CPUs")
            if level not in (None, -1):
                raise ValidationError("unsupported CPU cache level for mode 'passthrough'")
        elif cmode == "disable":
            if level not in (None, -1):
                raise ValidationError("unsupported CPU cache level for mode 'disable'")
    mpa = getattr(cpu, "maxphysaddr", None)
    if mpa is not None:
        pm = getattr(mpa, "mode", None)
        bits = getattr(mpa, "bits", None)
        if pm == "emulate" and bits is None:
            raise ValidationError("if using CPU maximum physical address mode='emulate', bits= must "
                                  "be specified too")
        if pm == "passthrough" and bits is not None:
            raise ValidationError("CPU maximum physical address bits number specification cannot "
                                  "be used with mode='passthrough'")
    if mode == "host-passthrough" and arch(dom) == "armv7l" and virt_type(dom) == "kvm" \
            and host_arch == "aarch64" and not caps.has("aarch64-off"):
        # the driver's host arch (driver->hostarch), not the emulator's
        raise ValidationError("QEMU binary does not support CPU host-passthrough for armv7l on "
                              "aarch64 host")


def _validate_vcpus(dom: Any, caps: Any) -> None:
    v = getattr(dom, "vcpu", None)
    maxv = int(getattr(v, "count", None) or 1)
    cur = getattr(v, "current", None)
    m = caps.find_machine(virt_type(dom), machine(dom))
    if m is not None and m.max_cpus and maxv > m.max_cpus:
        raise ValidationError(f"Maximum CPUs greater than specified machine type limit {m.max_cpus}")
    if is_pseries(dom) and caps.has("query-hotpluggable-cpus") and cur is not None \
            and int(cur) != maxv:
        topo = getattr(getattr(dom, "cpu", None), "topology", None)
        gran = int(getattr(topo, "threads", None) or 1) if topo is not None else 1
        if int(cur) % gran:
            raise ValidationError("vCPUs count must be a multiple of the vCPU hotplug granularity (%d)" % gran)


def _validate_devices_global(dom: Any, caps: Any) -> None:
    tpms = devlist(dom, "tpms")
    proxies = [t for t in tpms if getattr(t, "model", None) == "spapr-tpm-proxy"]
    others = [t for t in tpms if getattr(t, "model", None) != "spapr-tpm-proxy"]
    if len(proxies) > 1:
        raise ValidationError("only a single TPM Proxy device is supported")
    if len(others) > 1:
        raise ValidationError("only a single TPM non-proxy device is supported")
    graphics = devlist(dom, "graphics")
    gl = 0
    for g in graphics:
        t = getattr(g, "type", None)
        if t == "egl-headless" or (t in ("spice", "dbus") and getattr(getattr(g, "gl", None), "enable", None) is True):
            gl += 1
    if gl > 1:
        raise ValidationError("multiple OpenGL displays are not supported by QEMU")
    # the egl-headless pairing check is per graphics device (_v_graphics),
    # after the devices before it have been validated
