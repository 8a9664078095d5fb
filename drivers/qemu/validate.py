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
from .util import (
    arch,
    arch_is_ppc64,
    arch_is_s390,
    arch_is_x86,
    devlist,
    emulator,
    is_arm_virt,
    is_pseries,
    is_q35,
    machine,
    virt_type,
)
from .validate_common import _caps, _feature, _os_type, _state, _unsupported
from .validate_devices import validate_device  # noqa: F401 - re-exported: the driver calls both from here
from .validate_disks import SourceView, validate_storage_source


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
    # qemuValidateDomainDef's order: the first rule libvirt breaks is the
    # one reported
    _validate_domain_misc(dom, caps)
    src = options.caps_source(ctx)
    _validate_cpu(dom, caps, getattr(src, "host_arch", None), _host_phys_bits(ctx, src))
    _validate_memory_hotplug(dom)
    _validate_iothreads(dom, caps)
    _validate_timers(dom, caps)
    _validate_pm(dom, caps)
    _validate_boot(dom, caps)
    _validate_vcpu_topology(dom, caps)
    ct = getattr(dom, "cputune", None)
    if (getattr(ct, "cachetunes", None) or getattr(ct, "memorytunes", None)) and virt_type(dom) != "kvm":
        raise ValidationError("cachetune is only supported for KVM domains").about(ct)
    _validate_features(dom, caps)
    _validate_memory_backing(dom, caps)
    _validate_numa(dom, caps)
    _validate_consoles(dom, caps)
    _validate_sysinfo(dom)
    _validate_panics(dom, caps)
    _validate_tpms(dom)
    _validate_launch_security(dom, caps)
    _validate_devices_global(dom, caps)


def _host_phys_bits(ctx: Any, src: Any) -> int | None:
    """The host CPU's physical address size (driver->hostcpu->addr):
    option ``host_phys_addr_bits``; else read from /proc/cpuinfo on an x86
    host when this machine is the target (no capability files or profile
    given: a target described by files is another machine) and
    ``detect_host`` is not False."""
    opts = ctx.options
    if "host_phys_addr_bits" in opts:
        return opts["host_phys_addr_bits"]
    bits = None
    if opts.get("detect_host", True) is not False and not opts.get("caps_profile") \
            and not opts.get("qemu_caps") and not opts.get("host_caps") \
            and getattr(src, "existing_binaries", None) is None \
            and arch_is_x86(getattr(src, "host_arch", None) or opts.get("host_arch")):
        try:
            with open("/proc/cpuinfo") as fh:
                for line in fh:
                    if line.startswith("address sizes"):
                        bits = int(line.split(":", 1)[1].split()[0])
                        break
        except (OSError, ValueError, IndexError):
            bits = None
    opts["host_phys_addr_bits"] = bits
    return bits


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


def _validate_tpms(dom: Any) -> None:
    """qemuValidateDomainDefTPMs: the first second one of a kind is reported."""
    seen: set[bool] = set()
    for t in devlist(dom, "tpms"):
        proxy = getattr(t, "model", None) == "spapr-tpm-proxy"
        if proxy in seen:
            raise ValidationError("only a single TPM Proxy device is supported" if proxy
                                  else "only a single TPM non-proxy device is supported")
        seen.add(proxy)


def _validate_devices_global(dom: Any, caps: Any) -> None:
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


# ----------------------------------------------------------------- CPU

def _validate_cpu(dom: Any, caps: Any, host_arch: str | None = None,
                  host_bits: int | None = None) -> None:
    """qemuValidateDomainDefCpu: <maxphysaddr>, <cache>, then the mode.
    ``host_bits``: the host CPU's physical address bits (None: unknown, as
    for libvirt's test host, whose CPU has none)."""
    cpu = getattr(dom, "cpu", None)
    if cpu is None:
        return
    a = arch(dom)
    mode = getattr(cpu, "mode", None) or "custom"
    mpa = getattr(cpu, "maxphysaddr", None)
    if mpa is not None:
        if not arch_is_x86(a):
            raise ValidationError("CPU maximum physical address bits specification is not supported "
                                  f"for '{a}' architecture")
        pm = getattr(mpa, "mode", None)
        bits = getattr(mpa, "bits", None)
        if pm == "passthrough" and bits is not None:
            raise ValidationError("CPU maximum physical address bits number specification cannot "
                                  "be used with mode='passthrough'")
        if pm == "emulate" and bits is None:
            raise ValidationError("if using CPU maximum physical address mode='emulate', bits= must "
                                  "be specified too")
        if pm == "emulate" and host_bits is not None and bits > host_bits:
            raise ValidationError("The number of virtual CPU address bits cannot exceed the number "
                                  "supported by the host CPU")
    cache = getattr(cpu, "cache", None)
    if cache is not None:
        if not arch_is_x86(a):
            raise ValidationError(f"CPU cache specification is not supported for '{a}' architecture")
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
    if mode == "host-passthrough":
        # the driver's host arch (driver->hostarch), not the emulator's
        if a == "armv7l" and host_arch == "aarch64" and not caps.has("aarch64-off"):
            raise ValidationError("QEMU binary does not support CPU host-passthrough for armv7l on "
                                  "aarch64 host")
        if getattr(cpu, "migratable", None) is True and not caps.has("cpu.migratable"):
            raise ValidationError("Migratable attribute for host-passthrough CPU is not supported "
                                  "by this QEMU binary")
    elif mode == "maximum":
        if not caps.has("cpu-max"):
            raise ValidationError("maximum CPU is not supported by QEMU binary")


# ------------------------------------------------------- memory hotplug

def _mem_target_node(mem: Any) -> Any:
    return getattr(getattr(mem, "target", None), "node", None)


def _validate_memory_hotplug_device(dom: Any, mem: Any, mems: list[Any], slots: int,
                                    numa: int) -> None:
    """qemuDomainDefValidateMemoryHotplugDevice (devices already defined)."""
    model = getattr(mem, "model", None)
    addr = getattr(mem, "address", None)
    at = getattr(addr, "type", None)
    needs_numa = True
    if model in ("dimm", "nvdimm"):
        if at not in (None, "dimm"):
            raise ValidationError("only 'dimm' addresses are supported for the pc-dimm device")
        if numa and _mem_target_node(mem) is None:
            raise ValidationError("target NUMA node needs to be specified for memory device")
        needs_numa = False  # checked above, before the slot
        if at == "dimm":
            slot = int(getattr(addr, "slot", None) or 0)
            base = int(getattr(addr, "base", None) or 0)
            if slot >= slots:
                raise ValidationError(f"memory device slot '{slot}' exceeds slots count '{slots}'")
            for other in mems:
                oa = getattr(other, "address", None)
                if other is mem or getattr(oa, "type", None) != "dimm":
                    continue
                if int(getattr(oa, "slot", None) or 0) == slot:
                    raise ValidationError(f"memory device slot '{slot}' is already being used by "
                                          "another memory device")
                if base and int(getattr(oa, "base", None) or 0) == base:
                    raise ValidationError(f"memory device base '0x{base:x}' is already being used "
                                          "by another memory device")
    elif model == "virtio-pmem":
        if at not in (None, "pci"):
            raise ValidationError("only 'pci' addresses are supported for the virtio-pmem device")
        needs_numa = False  # virtio-pmem has no target node
    elif model == "virtio-mem":
        if at not in (None, "pci"):
            raise ValidationError(f"only 'pci' addresses are supported for the {model} device")
    if needs_numa and numa and _mem_target_node(mem) is None:
        raise ValidationError("target NUMA node needs to be specified for memory device")


def _validate_memory_hotplug(dom: Any) -> None:
    """qemuDomainDefValidateMemoryHotplug (no device being hotplugged)."""
    mems = devlist(dom, "memories")
    mmax, slots = max_memory(dom)
    if not mmax and not slots:
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
    for m in mems:
        hotplug += device_memory(m)
        if getattr(m, "model", None) in ("dimm", "nvdimm", "virtio-pmem", "virtio-mem"):
            _validate_memory_hotplug_device(dom, m, mems, slots, numa)
        # (sgx-epc cannot be hotplugged and is not checked here)
    space = mmax - (total_memory(dom) - hotplug)
    if hotplug > space:
        raise ValidationError("memory device total size exceeds hotplug space")


# ------------------------------------------------------------ iothreads

def _validate_iothreads(dom: Any, caps: Any) -> None:
    """qemuValidateDomainDefIOThreads: thread pool sizes need the property."""
    ids = getattr(getattr(dom, "iothreadids", None), "iothreads", None) or []
    pools = [t for t in ids if getattr(t, "thread_pool_min", None) is not None
             or getattr(t, "thread_pool_max", None) is not None]
    dft = getattr(dom, "defaultiothread", None)
    if dft is not None and (getattr(dft, "thread_pool_min", None) is not None
                            or getattr(dft, "thread_pool_max", None) is not None):
        pools.append(dft)
    if pools and not caps.has("iothread.thread-pool-max"):
        raise ValidationError("thread_pool_min and thread_pool_max is not supported by this QEMU "
                              "binary")


# ----------------------------------------------------------------- boot

def _validate_secure_boot(dom: Any) -> None:
    loader = getattr(getattr(dom, "os", None), "loader", None)
    if getattr(loader, "secure", None) is True:
        if not is_q35(dom):
            raise ValidationError("Secure boot is supported with q35 machine types only")
        if arch(dom) != "x86_64":
            raise ValidationError("Secure boot is supported for x86_64 architecture only")
        if not getattr(getattr(dom, "os", None), "firmware", None) and _state(_feature(dom, "smm")) is not True:
            raise ValidationError("Secure boot requires SMM feature enabled")


def _nvram_source(dom: Any) -> tuple[str, Any] | None:
    """The loader's NVRAM storage source as libvirt holds it: (type,
    <source>) for <nvram type=...>; ('file', None) for a plain path."""
    nv = getattr(getattr(dom, "os", None), "nvram", None)
    if nv is None:
        return None
    t = getattr(nv, "type", None)
    if t is not None:
        return t, getattr(nv, "source", None)
    if getattr(nv, "path", None):
        return "file", None
    return None


def _validate_nvram(dom: Any, caps: Any) -> None:
    """qemuValidateDomainDefNvram (with the parts of
    qemuDomainValidateStorageSource an NVRAM source can reach: its format is
    always raw)."""
    nv = _nvram_source(dom)
    if nv is None:
        return
    t, src = nv
    if t not in ("file", "block", "network"):
        raise ValidationError(f"unsupported nvram disk type '{t}'")
    slices = getattr(src, "slices", None)
    if slices is not None and getattr(slices, "slices", None):
        raise ValidationError("slices are not supported with NVRAM")
    if getattr(src, "reservations", None) is not None:
        raise ValidationError("persistent reservations are not supported with NVRAM")
    # (an NVRAM source has no backingStore: libvirt does not read one; its
    # image format is raw and no post-parse gives its encryption an engine)
    validate_storage_source(SourceView(t, "raw", src, False, 0, getattr(src, "encryption", None),
                                       engine_defaulted=False), caps)


def _validate_boot(dom: Any, caps: Any) -> None:
    """qemuValidateDomainDefBoot (only when the domain has a loader/NVRAM)."""
    os_ = getattr(dom, "os", None)
    if getattr(os_, "loader", None) is None and getattr(os_, "nvram", None) is None:
        return
    _validate_secure_boot(dom)
    _validate_nvram(dom, caps)


# ------------------------------------------------------------ vcpus

def _validate_vcpu_topology(dom: Any, caps: Any) -> None:
    """qemuValidateDomainVCpuTopology."""
    maxv = _vcpus_max(dom)
    cur = _vcpus_current(dom)
    if cur == 0:
        raise ValidationError("Domain requires at least 1 vCPU")
    m = caps.find_machine(virt_type(dom), machine(dom))
    if m is not None and m.max_cpus and maxv > m.max_cpus:
        raise ValidationError(f"Maximum CPUs greater than specified machine type limit {m.max_cpus}")
    topo = getattr(getattr(dom, "cpu", None), "topology", None)
    has_topo = topo is not None and bool(getattr(topo, "sockets", None))
    if caps.has("query-hotpluggable-cpus"):
        if has_topo:
            total = 1
            for k in ("sockets", "dies", "cores", "threads"):
                total *= int(getattr(topo, k, None) or 1)
            if total != maxv:
                raise ValidationError("CPU topology doesn't match maximum vcpu count")
        gran = int(getattr(topo, "threads", None) or 0) if has_topo and is_pseries(dom) else 1
        if gran and cur % gran:
            raise ValidationError("vCPUs count must be a multiple of the vCPU hotplug granularity (%d)" % gran)
    if arch_is_x86(arch(dom)) and maxv > 255:
        if not is_q35(dom):
            raise ValidationError("more than 255 vCPUs are only supported on q35-based machine types")
        iommu = getattr(getattr(dom, "devices", None), "iommu", None)
        if getattr(getattr(iommu, "driver", None), "eim", None) is not True:
            raise ValidationError("more than 255 vCPUs require extended interrupt mode enabled on "
                                  "the iommu device")


# ------------------------------------------------------------- features

def _pseries_feature_present(feats: Any, field: str) -> bool:
    v = getattr(feats, field, None)
    if v is None:
        return False
    if field == "hpt":
        return bool(v.is_on())
    if field in ("cfpc", "sbbc", "ibs"):
        return getattr(v, "value", None) is not None
    return True  # htm, nested-hv, ccf-assist: state is required


#: pSeries features in libvirt's feature enum order: (field, capability,
#: name in the texts)
_PSERIES_CAPS = (("hpt", None, "HPT"),
                 ("htm", "machine.pseries.cap-htm", "HTM"),
                 ("nested_hv", "machine.pseries.cap-nested-hv", "Nested HV"),
                 ("ccf_assist", "machine.pseries.cap-ccf-assist", "ccf-assist"),
                 ("cfpc", "machine.pseries.cap-cfpc", "cfpc"),
                 ("sbbc", "machine.pseries.cap-sbbc", "sbbc"),
                 ("ibs", "machine.pseries.cap-ibs", "ibs"))


def _validate_pseries_feature(dom: Any, caps: Any, feats: Any, field: str) -> None:
    """qemuValidateDomainDefPSeriesFeature."""
    if not _pseries_feature_present(feats, field):
        return
    if not is_pseries(dom):
        raise _unsupported(field.replace("_", "-"), dom)
    if field == "hpt":
        if getattr(feats.hpt, "maxpagesize", None) and \
                not caps.has("machine.pseries.cap-hpt-max-page-size"):
            raise ValidationError("Configuring the page size for HPT guests is not supported by "
                                  "this QEMU binary")
        return
    label = next(lab for f, _, lab in _PSERIES_CAPS if f == field)
    flag = next(fl for f, fl, _ in _PSERIES_CAPS if f == field)
    if not caps.has(flag):
        raise ValidationError(f"{label} configuration is not supported by this QEMU binary")


def _validate_features(dom: Any, caps: Any) -> None:
    """qemuValidateDomainDefFeatures: the features in libvirt's enum order
    (acpi apic pae hap viridian privnet hyperv kvm pvspinlock capabilities
    pmu vmport gic smm ioapic hpt vmcoreinfo htm nested-hv msrs ccf-assist
    xen cfpc sbbc ibs tcg)."""
    feats = getattr(dom, "features", None)
    if feats is None:
        return
    a = arch(dom)
    apic = getattr(feats, "apic", None)
    if apic is not None and getattr(apic, "eoi", None) is not None and not arch_is_x86(a):
        raise ValidationError(f"The 'eoi' attribute of the 'apic' feature is not supported for "
                              f"architecture '{a}' or machine type '{machine(dom)}'")
    if getattr(feats, "hyperv", None) is not None and not arch_is_x86(a) and not is_arm_virt(dom):
        raise ValidationError(f"Hyperv features are not supported for architecture '{a}' or machine "
                              f"type '{machine(dom)}'")
    if getattr(feats, "pvspinlock", None) is not None and not arch_is_x86(a):
        raise _unsupported("pvspinlock", dom)
    pmu = getattr(feats, "pmu", None)
    if pmu is not None and _state(pmu) is False and arch_is_ppc64(a):
        raise ValidationError(f"PMU is always enabled for architecture '{a}'")
    if getattr(feats, "vmport", None) is not None and not (caps.has("machine-vmport-opt") and arch_is_x86(a)):
        raise ValidationError("vmport is not available with this QEMU binary")
    if getattr(feats, "gic", None) is not None and not is_arm_virt(dom):
        raise _unsupported("gic", dom)
    if getattr(getattr(feats, "ioapic", None), "driver", None) is not None and not arch_is_x86(a):
        raise _unsupported("ioapic", dom)
    _validate_pseries_feature(dom, caps, feats, "hpt")
    if _state(getattr(feats, "vmcoreinfo", None)) is True and not caps.has("vmcoreinfo"):
        raise ValidationError("vmcoreinfo is not available with this QEMU binary")
    for field in ("htm", "nested_hv", "ccf_assist", "cfpc", "sbbc", "ibs"):
        _validate_pseries_feature(dom, caps, feats, field)
    tcg = getattr(feats, "tcg", None)
    if tcg is not None and getattr(tcg, "tb_cache", None):
        if virt_type(dom) != "qemu":
            raise ValidationError(f"TCG features are incompatible with domain type '{virt_type(dom)}'")
        if int(tcg.tb_cache) & 0x3FF:
            raise ValidationError("tb-cache size must be an integer multiple of MiB")


# --------------------------------------------------------- memory, numa

def _system_page_kib() -> int:
    import os

    try:
        return int(os.sysconf("SC_PAGE_SIZE")) // 1024
    except (ValueError, OSError, AttributeError):
        return 4


def _validate_memory_backing(dom: Any, caps: Any) -> None:
    """qemuValidateDomainDefMemory (only with <hugepages>)."""
    mb = getattr(dom, "memory_backing", None)
    hp = getattr(mb, "hugepages", None)
    if hp is None:
        return
    alloc = getattr(mb, "allocation", None)
    if getattr(alloc, "mode", None) == "ondemand":
        raise ValidationError("hugepages are not allowed with memory allocation ondemand")
    if int(getattr(alloc, "threads", None) or 0) > 0 and not caps.has("memory-backend-file.prealloc-threads"):
        raise ValidationError("preallocation threads are unsupported with this QEMU")
    st = getattr(getattr(mb, "source", None), "type", None)
    if st == "anonymous":
        raise ValidationError("hugepages are not allowed with anonymous memory source")
    if st == "memfd" and not caps.has("memory-backend-memfd.hugetlb"):
        raise ValidationError("hugepages is not supported with memfd memory source")
    # virQEMUCapsGetMachineDefaultRAMid: the machine's own name, no alias
    mname = machine(dom)
    m = next((x for x in caps.machines(virt_type(dom)) if x.name == mname), None) \
        if hasattr(caps, "machines") else None
    pages = getattr(hp, "pages", None) or []
    size = int(getattr(pages[0], "size", None) or 0) if pages else 0
    access = getattr(getattr(mb, "access", None), "mode", None)
    if not getattr(m, "default_ram_id", None) and size != _system_page_kib() and not numa_cells(dom) \
            and access not in (None, "default", "private"):
        # without guest NUMA nodes (or a machine RAM id) no access mode but
        # the default can be guaranteed
        raise ValidationError(f"memory access mode '{access}' not supported without guest numa node")


def _validate_numa(dom: Any, caps: Any) -> None:
    """qemuValidateDomainDefNuma: HMAT (interconnects or cell caches)."""
    numa = getattr(getattr(dom, "cpu", None), "numa", None)
    if numa is None:
        return
    ic = getattr(numa, "interconnects", None)
    hmat = bool(getattr(ic, "items", None)) or any(getattr(c, "caches", None)
                                                  for c in getattr(numa, "cells", None) or [])
    if hmat and not caps.has("numa.hmat"):
        raise ValidationError("HMAT is not supported with this QEMU")
