"""Probe a QEMU binary on this machine for its capabilities.

QMP first (``query-version``, ``query-target``, ``query-kvm``,
``query-machines``); ``-machine help`` plus ``-version`` as a fallback.  The
result is a :class:`QemuCaps` with the version, arch and the machine types of
each accelerator in libvirt's preferred-machine order (§4.3), and it is cached
on disk by binary path (libvirt's file name: SHA-256 hex of the path +
``.xml``), invalidated when the binary's ctime or size changes, and when
virtxml's own probe code changes: like libvirt's ``selfvers`` /
``selfctime`` (its daemon's version and binary ctime), a cache file written
by virtxml records virtxml's version number in ``<selfvers>`` and the
probe-format number :data:`PROBE_FORMAT` in ``<selfctime>``; a file with
other values is stale.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import subprocess
import sys
from typing import Any, Sequence

from .qemucaps import (AccelCaps, CapsError, CPUModel, MachineType, QemuCaps, format_qemu_caps,
                       order_machines, parse_qemu_caps)

#: QEMU target name -> libvirt arch name
QEMU_TO_LIBVIRT_ARCH = {"i386": "i686", "arm": "armv7l", "or1k": "or32"}

PROBE_TIMEOUT = 30.0

#: the format of what the probe records: bump it whenever the probe code
#: changes what it writes (flags, machines, CPUs...), so that cache files of
#: an older probe are probed again even when virtxml's version is unchanged
PROBE_FORMAT = 2


def self_version() -> int:
    """virtxml's version as one number (major * 1000000 + minor * 1000 +
    micro, like LIBVIR_VERSION_NUMBER)."""
    from .. import __version__

    nums = [int(x) for x in re.findall(r"\d+", __version__)[:3]]
    nums += [0] * (3 - len(nums))
    return nums[0] * 1000000 + nums[1] * 1000 + nums[2]


def _flag_table(words: str) -> dict[str, str]:
    """``NAME`` (it sets the flag of the same name) and ``NAME=FLAG`` words
    -> {NAME: FLAG}, in their order (the order the flags are recorded in)."""
    table: dict[str, str] = {}
    for word in words.split():
        name, _, flag = word.partition("=")
        table[name] = flag or name
    return table


def _property_table(rows: str) -> tuple[tuple[str, str, str, str], ...]:
    """``device|qom TYPE PROPERTY [FLAG]`` lines (FLAG defaults to
    TYPE.PROPERTY; ``#`` starts a comment line) -> (QMP command listing
    TYPE's properties, TYPE, PROPERTY, FLAG)."""
    commands = {"device": "device-list-properties", "qom": "qom-list-properties"}
    table = []
    for line in rows.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        kind, typ, prop, *flag = line.split()
        table.append((commands[kind], typ, prop, flag[0] if flag else f"{typ}.{prop}"))
    return tuple(table)


#: QOM type present in the binary -> capability flag (cache name) it sets;
#: the device flags the QEMU driver's defaults and checks consult
QOM_TYPE_FLAGS: dict[str, str] = _flag_table("""
    piix3-usb-uhci piix4-usb-uhci qemu-xhci nec-usb-xhci ich9-usb-ehci1 pci-ohci cirrus-vga VGA
    qxl virtio-gpu-pci=virtio-gpu virtio-vga vmware-svga bochs-display ramfb lsi53c895a=lsi
    virtio-scsi-pci megasas mptsas1068 pvscsi pcie-root-port ioh3420 pci-bridge
    i82801b11-bridge=dmi-to-pci-bridge pcie-pci-bridge x3130-upstream xio3130-downstream pxb
    pxb-pcie gpex-pcihost virtio-mmio spapr-pci-host-bridge zpci usb-hub ich9-ahci
    vhost-vsock-device=vhost-vsock rtl8139 e1000 virtio-net-pci=virtio-net
    virtio-blk-pci-transitional=virtio-pci-non-transitional intel-iommu virtio-iommu-pci
    pvpanic ich9-intel-hda hda-duplex hda-micro hda-output usb-audio vmcoreinfo vmgenid tpm-tis
    tpm-crb tpm-spapr spapr-tpm-proxy nvdimm pc-dimm i8042 isa-serial pci-serial usb-serial
    pl011 virtio-rng-pci=virtio-rng virtio-keyboard-pci=virtio-keyboard
    virtio-mouse-pci=virtio-mouse virtio-tablet-pci=virtio-tablet
    virtio-input-host-pci=virtio-input-host usb-redir usb-kbd ivshmem ivshmem-plain
    ivshmem-doorbell vhost-user-fs-device=vhost-user-fs vhost-scsi vfio-pci vfio-ccw vfio-ap
    ccid-card-emulated=ccid-emulated ccid-card-passthru=ccid-passthru usb-storage tpm-emulator
    tpm-passthrough dbus-display=display-dbus memory-backend-memfd virtio-vsock-pci=vhost-vsock
    am53c974 dc390 vhost-user-blk vhost-user-gpu vhost-user-vga virtio-gpu-gl-pci
    virtio-mem-pci virtio-pmem-pci virtio-vga-gl input-linux iothread dbus-vmstate
    pr-manager-helper rng-builtin rng-egd rng-random scsi-block usb-ehci mch thread-context
    max-x86_64-cpu=x86-max-cpu virtio-gpu-ccw virtio-keyboard-ccw virtio-mouse-ccw
    virtio-tablet-ccw s390-sclp-event-facility=s390-sclp sclplmconsole
    virtio-blk-ccw=virtio-ccw
""")
#: (QMP command, type, property) present -> flag
PROPERTY_FLAGS: tuple[tuple[str, str, str, str], ...] = _property_table("""
    device PIIX4_PM disable_s3 disable-s3
    device PIIX4_PM disable_s4 disable-s4
    device PIIX4_PM acpi-root-pci-hotplug piix4.acpi-root-pci-hotplug
    device ICH9-LPC disable_s3 ich9-disable-s3
    device ICH9-LPC disable_s4 ich9-disable-s4
    device vfio-pci display
    device virtio-iommu-pci boot-bypass virtio-iommu.boot-bypass
    device pcie-root-port hotplug
    device virtio-balloon-pci deflate-on-oom
    device virtio-balloon-pci free-page-reporting virtio-balloon.free-page-reporting
    device intel-iommu intremap
    device intel-iommu caching-mode
    device intel-iommu eim
    device intel-iommu device-iotlb
    device intel-iommu aw-bits
    device mch extended-tseg-mbytes
    qom    max-x86_64-cpu migratable cpu.migratable
    device kvm-pit lost_tick_policy kvm-pit-lost-tick-policy
    device VGA vgamem_mb
    device qxl vgamem_mb
    device qxl vram64_size_mb
    device vmware-svga vgamem_mb
    device usb-storage removable
    device usb-redir filter
    device scsi-disk wwn
    device scsi-disk channel
    device ide-hd wwn ide-drive.wwn
    device nvdimm unarmed
    device vhost-user-fs-device bootindex vhost-user-fs.bootindex
    device virtio-net-pci rss virtio-net.rss
    device virtio-mem-pci prealloc
    device virtio-blk-pci queue-size virtio-blk.queue-size
    qom    memory-backend-file pmem
    qom    memory-backend-file reserve
    qom    memory-backend-memfd hugetlb
    qom    memory-backend-file prealloc-threads
    qom    memory-backend-file x-use-canonical-path-for-ramblock-id
    qom    iothread poll-max-ns
    qom    iothread thread-pool-max
    qom    none-machine confidential-guest-support confidential-guest-support
    device usb-host hostdevice
    device usb-host guest-resets-all
    device virtio-blk-pci scsi
    device virtio-blk-pci acpi-index acpi-index
    device ide-hd rotation_rate rotation-rate
    # scsi-disk itself is not listed under '-machine none'; scsi-hd shares
    # its properties
    device scsi-hd wwn scsi-disk.wwn
    device scsi-hd channel scsi-disk.channel
""")

#: QMP command present -> flag
QMP_COMMAND_FLAGS: dict[str, str] = _flag_table("""
    query-vnc=vnc query-spice=spice query-hotpluggable-cpus block-export-add blockdev-reopen
    calc-dirty-rate query-dirty-rate query-cpu-definitions query-cpu-model-expansion set-action
    query-stats query-stats-schemas rtc-reset-reinjection sev-inject-launch-secret
""")
#: (option, parameter or None) of query-command-line-options -> flag
CMDLINE_FLAGS: tuple[tuple[str, str | None, str], ...] = (
    ("spice", "gl", "spice-gl"), ("spice", "rendernode", "spice-rendernode"),
    ("fsdev", "multidevs", "fsdev.multidevs"), ("sandbox", None, "seccomp-sandbox"),
    ("vnc", "power-control", "vnc-power-control"),
)
#: QAPI schema path (libvirt's notation) -> flag
QAPI_FLAGS: tuple[tuple[str, str], ...] = (
    ("blockdev-add/arg-type/+nbd/tls-hostname", "blockdev.nbd.tls-hostname"),
    ("blockdev-add/arg-type/+rbd/encrypt", "rbd-encryption"),
    ("query-display-options/ret-type/+egl-headless", "egl-headless"),
    ("query-display-options/ret-type/+egl-headless/rendernode", "egl-headless.rendernode"),
    ("query-display-options/ret-type/+dbus", "display-dbus"),
    ("netdev_add/arg-type/+stream", "netdev.stream"),
    ("netdev_add/arg-type/+vhost-vdpa", "netdev.vhost-vdpa"),
    ("chardev-add/arg-type/backend/+qemu-vdagent", "chardev.qemu-vdagent"),
    ("set-numa-node/arg-type/+hmat-lb", "numa.hmat"),
    ("nbd-server-start/arg-type/tls-creds", "nbd-tls"),
    ("blockdev-add/arg-type/+nvme", "drive-nvme"),
    ("blockdev-add/arg-type/+file/aio/^io_uring", "aio.io_uring"),
    ("chardev-add/arg-type/backend/+socket/data/reconnect", "chardev-reconnect"),
    ("screendump/arg-type/device", "screendump_device"),
    ("query-named-block-nodes/arg-type/flat", "query-named-block-nodes.flat"),
    ("query-display-options/ret-type/+sdl", "sdl"),
    ("blockdev-snapshot/$allow-write-only-overlay", "blockdev-snapshot.allow-write-only-overlay"),
    ("device_add/$json-cli-hotplug", "device.json+hotplug"),
    ("nbd-server-add/arg-type/bitmap", "nbd-bitmap"),
    ("nbd-server-add/arg-type/bitmap", "incremental-backup"),
    ("calc-dirty-rate/arg-type/mode", "dirtyrate-param.mode"),
    ("migrate-set-parameters/arg-type/block-bitmap-mapping",
     "migration-param.block-bitmap-mapping"),
    ("query-migrate/ret-type/blocked-reasons", "migration.blocked-reasons"),
    ("migrate-set-capabilities/arg-type/capabilities/capability/^rdma-pin-all", "migrate-rdma"),
    ("blockdev-add/arg-type/+file/drop-cache", "migration-file-drop-cache"),
    ("object-add/arg-type/qom-type/^secret", "object.qapified"),
    ("screendump/arg-type/format/^png", "screenshot-format-png"),
    ("object-add/arg-type/+sev-guest/kernel-hashes", "sev-guest-kernel-hashes"),
    ("query-hotpluggable-cpus/ret-type/props/die-id", "smp-dies"),
)
#: what libvirt adds by arch to a probed binary (virQEMUCapsInitQMPBasicArch)
BASIC_ARCH_FLAGS: dict[str, tuple[str, ...]] = {
    "i686": ("no-acpi", "no-hpet"), "x86_64": ("no-acpi", "no-hpet"),
    "aarch64": ("no-acpi", "aarch64-off", "gic-version"),
    "s390x": ("aes-key-wrap", "dea-key-wrap", "loadparm"),
}


def qapi_has(schema: list[dict[str, Any]], path: str) -> bool:
    """Whether ``path`` (``cmd/arg-type/member/+variant/^enum``) exists in
    a ``query-qmp-schema`` reply (libvirt's virQEMUQAPISchemaPathGet)."""
    byname = {e.get("name"): e for e in schema}
    parts = path.split("/")
    cur = byname.get(parts[0])
    if cur is None:
        return False
    for part in parts[1:]:
        while cur is not None and cur.get("meta-type") == "array":
            cur = byname.get(cur.get("element-type"))
        if cur is None:
            return False
        if part in ("arg-type", "ret-type"):
            cur = byname.get(cur.get(part))
        elif part.startswith("+"):
            v = next((v for v in cur.get("variants") or [] if v.get("case") == part[1:]), None)
            if v is None:
                return False
            cur = byname.get(v.get("type"))
        elif part.startswith("$"):
            return part[1:] in (cur.get("features") or [])
        elif part.startswith("^"):
            vals = cur.get("values") or [m.get("name") for m in cur.get("members") or []]
            return part[1:] in vals
        else:
            m = next((m for m in cur.get("members") or [] if m.get("name") == part), None)
            if m is None:
                return False
            cur = byname.get(m.get("type"))
        if cur is None:
            return False
    return True


def cache_file_name(binary: str) -> str:
    """libvirt's cache file name for ``binary`` (virFileCacheGetFileName)."""
    return hashlib.sha256(binary.encode("utf-8")).hexdigest() + ".xml"


def default_cache_dir() -> str:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "virtxml", "qemu-capabilities")


def _stat(binary: str) -> os.stat_result:
    try:
        st = os.stat(binary)
    except OSError as e:
        raise CapsError(f"Cannot check QEMU binary {binary}: {e.strerror}") from None
    if not os.access(binary, os.X_OK):
        raise CapsError(f"QEMU binary {binary} is not executable: Permission denied")
    return st


def _version_number(major: int, minor: int, micro: int) -> int:
    return major * 1000000 + minor * 1000 + micro


def _arch_from_binary(binary: str) -> str | None:
    base = os.path.basename(binary)
    m = re.match(r"qemu-system-([A-Za-z0-9_]+)", base)
    if not m:
        return None
    return QEMU_TO_LIBVIRT_ARCH.get(m.group(1), m.group(1))


def _kvm_usable() -> bool:
    return os.path.exists("/dev/kvm") and os.access("/dev/kvm", os.R_OK | os.W_OK)


def _qmp(binary: str, timeout: float) -> dict[str, Any]:
    cmds = ["qmp_capabilities", "query-version", "query-target", "query-kvm", "query-machines",
            "query-cpu-definitions", "qom-list-types", "query-commands",
            "query-command-line-options", "query-qmp-schema", "quit"]
    lines = [json.dumps({"execute": c, "id": c}) for c in cmds[:-1]]
    for i, (cmd, typ, _prop, _flag) in enumerate(PROPERTY_FLAGS):
        lines.append(json.dumps({"execute": cmd, "arguments": {"typename": typ},
                                 "id": f"props:{cmd}:{typ}"}))
    lines.append(json.dumps({"execute": "quit", "id": "quit"}))
    payload = "".join(line + "\n" for line in lines)
    last_err = None
    for argv in ([binary, "-machine", "none,accel=tcg", "-nodefaults", "-nographic", "-S",
                  "-qmp", "stdio"],
                 [binary, "-S", "-display", "none", "-nodefaults", "-qmp", "stdio"]):
        try:
            proc = subprocess.run(argv, input=payload.encode(), capture_output=True,
                                  timeout=timeout, check=False)
        except (OSError, subprocess.TimeoutExpired) as e:
            last_err = str(e)
            continue
        replies: dict[str, Any] = {}
        out_text = proc.stdout.decode("utf-8", "replace")
        if proc.returncode != 0 and '"QMP"' not in out_text:
            # QEMU could not even start: libvirt's probe fails with its output
            err = proc.stderr.decode("utf-8", "replace")
            raise CapsError(f"Failed to start QEMU binary {binary} for probing: {err}")
        for line in out_text.splitlines():
            line = line.strip()
            if not line.startswith("{"):
                continue
            try:
                msg = json.loads(line)
            except ValueError:
                continue
            if "id" in msg and "return" in msg:
                replies[msg["id"]] = msg["return"]
        if "query-machines" in replies and "query-version" in replies:
            return replies
        last_err = proc.stderr.decode("utf-8", "replace").strip() or "no QMP reply"
    raise CapsError(f"QMP probe of {binary} failed: {last_err}")


def _kvm_cpu_defs(binary: str, timeout: float) -> list[dict[str, Any]] | None:
    """query-cpu-definitions under KVM (libvirt probes each accelerator
    separately: usability of CPU models differs)."""
    payload = "".join(json.dumps(c) + "\n" for c in (
        {"execute": "qmp_capabilities", "id": "c"},
        {"execute": "query-cpu-definitions", "id": "cpus"},
        {"execute": "quit", "id": "quit"}))
    try:
        proc = subprocess.run([binary, "-machine", "none,accel=kvm", "-nodefaults", "-nographic",
                               "-S", "-qmp", "stdio"], input=payload.encode(),
                              capture_output=True, timeout=timeout, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None
    for line in proc.stdout.decode("utf-8", "replace").splitlines():
        try:
            msg = json.loads(line)
        except ValueError:
            continue
        if isinstance(msg, dict) and msg.get("id") == "cpus" and isinstance(msg.get("return"), list):
            ret: list[dict[str, Any]] = msg["return"]
            return ret
    return None


def _cpus_from_qmp(items: list[dict[str, Any]] | None) -> list[CPUModel]:
    """query-cpu-definitions -> <cpu> entries (usable from unavailable-features)."""
    out = []
    for it in items or []:
        unav = it.get("unavailable-features")
        usable = None if unav is None else ("no" if unav else "yes")
        out.append(CPUModel(name=it.get("name", ""), typename=it.get("typename"), usable=usable,
                            deprecated=bool(it.get("deprecated")), blockers=list(unav or [])))
    return out


def _machines_from_qmp(items: list[dict[str, Any]]) -> list[MachineType]:
    out = []
    for it in items:
        out.append(MachineType(
            name=it.get("name", ""), alias=it.get("alias"),
            hotplug_cpus=bool(it.get("hotpluggable-cpus")), max_cpus=int(it.get("cpu-max", 0)),
            default=bool(it.get("is-default")), default_cpu=it.get("default-cpu-type"),
            numa_mem_supported=bool(it.get("numa-mem-supported")),
            default_ram_id=it.get("default-ram-id"), deprecated=bool(it.get("deprecated"))))
    return out


_HELP_LINE = re.compile(r"^(\S+)\s+(.*)$")


def parse_machine_help(text: str) -> list[MachineType]:
    """Machines from ``-machine help`` output (QEMU's order)."""
    out: list[MachineType] = []
    for line in text.splitlines():
        if not line or line.startswith("Supported machines"):
            continue
        m = _HELP_LINE.match(line.strip())
        if not m:
            continue
        name, desc = m.groups()
        alias_of = re.search(r"\(alias of ([^)]+)\)", desc)
        if alias_of:
            # "pc ... (alias of pc-i440fx-7.2)": name is the alias
            target = alias_of.group(1)
            for mt in out:
                if mt.name == target:
                    mt.alias = name
                    break
            else:
                out.append(MachineType(name=target, alias=name))
            continue
        existing = next((mt for mt in out if mt.name == name), None)
        mt = existing or MachineType(name=name)
        if "(default)" in desc:
            mt.default = True
        if existing is None:
            out.append(mt)
    return out


def _probe_help(binary: str, timeout: float) -> tuple[int, list[MachineType]]:
    try:
        ver = subprocess.run([binary, "-version"], capture_output=True, timeout=timeout, check=False)
        hlp = subprocess.run([binary, "-machine", "help"], capture_output=True, timeout=timeout,
                             check=False)
    except (OSError, subprocess.TimeoutExpired) as e:
        raise CapsError(f"cannot run QEMU binary {binary}: {e}") from None
    m = re.search(r"version (\d+)\.(\d+)(?:\.(\d+))?", ver.stdout.decode("utf-8", "replace"))
    if not m:
        raise CapsError(f"cannot parse version of QEMU binary {binary}")
    version = _version_number(int(m.group(1)), int(m.group(2)), int(m.group(3) or 0))
    return version, parse_machine_help(hlp.stdout.decode("utf-8", "replace"))


def probe_uncached(binary: str, *, timeout: float = PROBE_TIMEOUT, use_qmp: bool = True) -> QemuCaps:
    """Run ``binary`` and build its capabilities (no cache)."""
    st = _stat(binary)
    caps = QemuCaps(emulator=binary, qemuctime=int(st.st_ctime), origin=f"probe:{binary}")
    caps.binary_size = st.st_size
    caps.selfvers = self_version()
    caps.selfctime = PROBE_FORMAT
    arch = _arch_from_binary(binary)
    kvm_present = False
    machines: list[MachineType]
    cpus: list[CPUModel] = []
    replies = None
    if use_qmp:
        try:
            replies = _qmp(binary, timeout)
        except CapsError as e:
            if e.message.startswith("Failed to start QEMU binary"):
                raise
            replies = None
    if replies is not None:
        v = replies["query-version"].get("qemu", {})
        caps.version = _version_number(int(v.get("major", 0)), int(v.get("minor", 0)),
                                       int(v.get("micro", 0)))
        caps.package = (replies["query-version"].get("package") or "").strip() or None
        tgt = (replies.get("query-target") or {}).get("arch")
        if tgt:
            arch = QEMU_TO_LIBVIRT_ARCH.get(tgt, tgt)
        kvm_present = bool((replies.get("query-kvm") or {}).get("present"))
        machines = _machines_from_qmp(replies["query-machines"])
        cpus = _cpus_from_qmp(replies.get("query-cpu-definitions"))
        types = {t.get("name") for t in replies.get("qom-list-types") or []}
        for t, flag in QOM_TYPE_FLAGS.items():
            if t in types:
                caps.set_flag(flag)
        for cmd, typ, prop, flag in PROPERTY_FLAGS:
            props = replies.get(f"props:{cmd}:{typ}")
            if props and any(p.get("name") == prop for p in props):
                caps.set_flag(flag)
        for p in replies.get("props:device-list-properties:virtio-blk-pci") or []:
            if p.get("name") == "scsi" and p.get("default-value") is False:
                caps.set_flag("virtio-blk-pci.scsi.default.disabled")
        if caps.version >= 7000000:
            # -netdev takes JSON since QEMU 7.0; -compat since 6.0
            caps.set_flag("netdev.json")
        if caps.version >= 6000000:
            caps.set_flag("compat-deprecated")
        if any(c.name == "max" for c in cpus):
            caps.set_flag("cpu-max")
        if "max-x86_64-cpu" in types or "max-i386-cpu" in types:
            caps.set_flag("cpu-cache")
        opts = {o.get("option"): {p.get("name") for p in o.get("parameters") or []}
                for o in replies.get("query-command-line-options") or []}
        for opt, param, flag in CMDLINE_FLAGS:
            if opt in opts and (param is None or param in opts[opt]):
                caps.set_flag(flag)
        schema = replies.get("query-qmp-schema") or []
        for path, flag in QAPI_FLAGS:
            if schema and qapi_has(schema, path):
                caps.set_flag(flag)
        if "max-x86_64-cpu" in types and qapi_has(
                schema, "query-cpu-definitions/ret-type/unavailable-features"):
            # libvirt reads these from the max-x86_64-cpu properties only
            caps.set_flag("cpu-unavailable-features")
            caps.set_flag("canonical-cpu-features")
        commands = {c.get("name") for c in replies.get("query-commands") or []}
        for c, flag in QMP_COMMAND_FLAGS.items():
            if c in commands:
                caps.set_flag(flag)
    else:
        caps.version, machines = _probe_help(binary, timeout)
        kvm_present = True
    caps.arch = arch
    for flag in BASIC_ARCH_FLAGS.get(arch or "", ()):
        caps.set_flag(flag)
    if arch in ("i686", "x86_64"):
        caps.set_flag("machine-vmport-opt")
    ordered = order_machines(machines, arch)
    caps.set_flag("tcg")
    caps.accels["tcg"] = AccelCaps(machines=ordered, cpus=cpus)
    host = os.uname().machine
    native = arch == host or (host == "x86_64" and arch == "i686") or (
        host == "aarch64" and arch == "armv7l")
    if kvm_present and native and _kvm_usable():
        caps.set_flag("kvm")
        import copy

        kvm_cpus = copy.deepcopy(cpus)
        if replies is not None:
            defs = _kvm_cpu_defs(binary, timeout)
            if defs is not None:
                kvm_cpus = _cpus_from_qmp(defs)
        caps.accels = {"kvm": AccelCaps(machines=copy.deepcopy(ordered), cpus=kvm_cpus),
                       "tcg": caps.accels["tcg"]}
    return caps


def _cached_valid(caps: QemuCaps, binary: str, st: os.stat_result) -> bool:
    if caps.emulator != binary:
        return False
    if caps.selfvers != self_version() or caps.selfctime != PROBE_FORMAT:
        return False  # written by another virtxml or probe format
    if caps.qemuctime != int(st.st_ctime):
        return False
    size = getattr(caps, "binary_size", None)
    return size is None or size == st.st_size


def probe(binary: str, *, cache_dir: str | None = None, use_cache: bool = True,
          timeout: float = PROBE_TIMEOUT) -> QemuCaps:
    """Capabilities of ``binary``: from the on-disk cache when still valid,
    else by probing (and the cache is rewritten)."""
    st = _stat(binary)
    cdir = cache_dir or default_cache_dir()
    path = os.path.join(cdir, cache_file_name(binary))
    if use_cache and os.path.exists(path):
        try:
            cached = parse_qemu_caps(path)
        except Exception:
            cached = None
        if cached is not None and _cached_valid(cached, binary, st):
            return cached
        try:
            os.unlink(path)
        except OSError:
            pass
    caps = probe_uncached(binary, timeout=timeout)
    if use_cache:
        try:
            os.makedirs(cdir, exist_ok=True)
            tmp = path + ".tmp"
            with open(tmp, "w", encoding="utf-8") as fh:
                fh.write(format_qemu_caps(caps))
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, path)
        except OSError:
            pass
    return caps


def caps_probe_main(argv: Sequence[str] | None = None) -> int:
    """``virtxml caps probe BINARY [-o FILE] [--cache-dir DIR] [--no-cache]``."""
    ap = argparse.ArgumentParser(prog="virtxml caps probe",
                                 description="probe a QEMU binary and write a <qemuCaps> document")
    ap.add_argument("binary")
    ap.add_argument("-o", "--output", help="write to FILE instead of stdout")
    ap.add_argument("--cache-dir", help="capability cache folder (default: %(default)s)",
                    default=None)
    ap.add_argument("--no-cache", action="store_true", help="always probe; do not read or write the cache")
    args = ap.parse_args(list(argv) if argv is not None else None)
    try:
        caps = probe(args.binary, cache_dir=args.cache_dir, use_cache=not args.no_cache)
    except CapsError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    text = format_qemu_caps(caps)
    if args.output:
        try:
            with open(args.output, "w", encoding="utf-8") as fh:
                fh.write(text)
        except OSError as e:
            print(f"error: cannot write {args.output}: {e.strerror}", file=sys.stderr)
            return 2
    else:
        sys.stdout.write(text)
    return 0
