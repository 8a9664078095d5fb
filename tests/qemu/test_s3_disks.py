"""QEMU define-time disk, storage-source and controller checks of libvirt
9.0 (qemuValidateDomainDeviceDefDisk*, qemuDomainValidateStorageSource,
qemuValidateDomainDeviceDefController*) that depend on a capability flag
QEMU 7.2 on this machine has, so the oracle inputs
(testdata/oracle-generic/qemu/s3b-*) cannot reach them.  Each case runs the
whole define pipeline the way the conformance runner builds a
qemuxml2argv-error case whose caps are ``{"kind": "flags", ...}``, once
without the flag (libvirt's text) and once with it (accepted, or the next
check in libvirt's order)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.corpus_paths import CORPUS, need_corpus
from virtxml.errors import VirtXMLError

HEAD = ("<domain type='qemu'><name>t</name><memory>1048576</memory><vcpu>1</vcpu>"
        "<os><type arch='{arch}' machine='{machine}'>hvm</type></os>{extra}"
        "<devices><emulator>/usr/bin/qemu-system-{arch}</emulator>{dev}</devices></domain>")

VIRTIO_SCSI = "<controller type='scsi' index='0' model='virtio-scsi'/>"


def _define(dev: str, flags: list[str], *, extra: str = "", machine: str = "pc", arch: str = "x86_64") -> Any:
    need_corpus()
    import drivers.qemu.conformance_suites as cs
    from virtxml import conformance as conf
    from virtxml.flags import ParseFlags

    case = conf.Case(str(CORPUS), {"suite": "qemuxml2argv-error", "name": "s3b",
                                   "caps": {"kind": "flags", "flags": flags}})
    opts, extra_flags = cs.case_options(case)
    opts["swtpm_versions"] = ()
    parse = conf.make_parse(cs._driver(), options=opts, ctx_data={"host_arch": "x86_64"},
                            extra_flags=extra_flags)
    xml = HEAD.format(arch=arch, machine=machine, extra=extra, dev=dev)
    return parse(xml.encode(), int(ParseFlags.INACTIVE), "s3b.xml")


def _error(dev: str, flags: list[str], **kw: Any) -> str:
    with pytest.raises(VirtXMLError) as exc:
        _define(dev, flags, **kw)
    return exc.value.message


def _disk(target: str, body: str = "", *, dtype: str = "file", device: str = "disk",
          source: str = "<source file='/tmp/a.img'/>", driver: str = "<driver name='qemu' type='raw'/>") -> str:
    return f"<disk type='{dtype}' device='{device}'>{driver}{source}{target}{body}</disk>"


# ------------------------------------------------------------- front end

def test_ide_wwn_needs_ide_drive_wwn_then_scsi_disk_wwn() -> None:
    d = _disk("<target dev='hda' bus='ide'/>", "<wwn>5000c50015ea71ac</wwn>")
    assert _error(d, []) == "Setting wwn for ide disk is not supported by this QEMU"
    # libvirt 9.0 also wants the scsi-disk flag for a disk that is not on scsi
    assert _error(d, ["QEMU_CAPS_IDE_DRIVE_WWN"]) == "Setting wwn for scsi disk is not supported by this QEMU"
    _define(d, ["QEMU_CAPS_IDE_DRIVE_WWN", "QEMU_CAPS_SCSI_DISK_WWN"])


def test_scsi_wwn_needs_no_flag_but_vendor_needs_scsi_disk_wwn() -> None:
    caps = ["QEMU_CAPS_VIRTIO_SCSI"]
    _define(VIRTIO_SCSI + _disk("<target dev='sda' bus='scsi'/>", "<wwn>5000c50015ea71ac</wwn>"), caps)
    d = VIRTIO_SCSI + _disk("<target dev='sda' bus='scsi'/>", "<vendor>ACME</vendor>")
    assert _error(d, caps) == "Setting vendor or product for scsi disk is not supported by this QEMU"
    _define(d, caps + ["QEMU_CAPS_SCSI_DISK_WWN"])


def test_scsi_lun_needs_scsi_block() -> None:
    d = VIRTIO_SCSI + _disk("<target dev='sda' bus='scsi'/>", dtype="block", device="lun",
                            source="<source dev='/dev/sdb'/>")
    assert _error(d, ["QEMU_CAPS_VIRTIO_SCSI"]) == "This QEMU doesn't support scsi-block for lun passthrough"
    _define(d, ["QEMU_CAPS_VIRTIO_SCSI", "QEMU_CAPS_SCSI_BLOCK"])


def test_virtio_queue_size_needs_the_flag() -> None:
    d = _disk("<target dev='vda' bus='virtio'/>", driver="<driver name='qemu' type='raw' queue_size='256'/>")
    assert _error(d, []) == "queue-size property isn't supported by this QEMU binary"
    _define(d, ["QEMU_CAPS_VIRTIO_BLK_QUEUE_SIZE"])


def test_usb_disk_needs_usb_storage_then_removable() -> None:
    d = _disk("<target dev='sda' bus='usb' removable='on'/>")
    assert _error(d, []) == "This QEMU doesn't support '-device usb-storage'"
    assert _error(d, ["QEMU_CAPS_DEVICE_USB_STORAGE"]) == (
        "This QEMU doesn't support setting the removable flag of USB storage devices")
    _define(d, ["QEMU_CAPS_DEVICE_USB_STORAGE", "QEMU_CAPS_USB_STORAGE_REMOVABLE"])
    _define(_disk("<target dev='sda' bus='usb'/>"), ["QEMU_CAPS_DEVICE_USB_STORAGE"])


def test_frontend_comes_before_the_storage_source() -> None:
    # both wrong: the front end (wwn flag) is reported, not the 'cow' format
    d = _disk("<target dev='hda' bus='ide'/>", "<wwn>5000c50015ea71ac</wwn>",
              driver="<driver name='qemu' type='cow'/>")
    assert _error(d, []) == "Setting wwn for ide disk is not supported by this QEMU"
    assert _error(d, ["QEMU_CAPS_IDE_DRIVE_WWN", "QEMU_CAPS_SCSI_DISK_WWN"]) == (
        "'cow' storage format is not supported")


# ------------------------------------------------------------- transient

_ALL_DESTROY = "<on_poweroff>destroy</on_poweroff><on_reboot>destroy</on_reboot><on_crash>destroy</on_crash>"


def test_transient_share_backing_with_destroy_needs_set_action() -> None:
    d = _disk("<target dev='vda' bus='virtio'/>", "<transient shareBacking='yes'/>",
              driver="<driver name='qemu' type='qcow2'/>")
    assert _error(d, [], extra=_ALL_DESTROY) == (
        "transient disk backing image sharing with destroy action of lifecycle isn't supported by this "
        "QEMU binary")
    _define(d, ["QEMU_CAPS_SET_ACTION"], extra=_ALL_DESTROY)
    # a guest that may reboot needs no flag
    _define(d, [], extra=_ALL_DESTROY.replace("<on_reboot>destroy", "<on_reboot>restart"))


def test_transient_volume_is_not_file_rather_than_empty() -> None:
    d = _disk("<target dev='vda' bus='virtio'/>", "<transient/>", dtype="volume",
              source="<source pool='p' volume='v'/>", driver="<driver name='qemu' type='qcow2'/>")
    assert _error(d, []) == "transient disk supported only with 'file' type (vda)"


# --------------------------------------------------------- storage source

def test_reservations_need_pr_manager_helper() -> None:
    d = VIRTIO_SCSI + _disk("<target dev='sda' bus='scsi'/>", dtype="block", device="lun",
                            source="<source dev='/dev/sdb'><reservations managed='yes'/></source>")
    caps = ["QEMU_CAPS_VIRTIO_SCSI", "QEMU_CAPS_SCSI_BLOCK"]
    assert _error(d, caps) == "reservations not supported with this QEMU binary"
    _define(d, caps + ["QEMU_CAPS_PR_MANAGER_HELPER"])


def test_backing_chain_sources_are_validated_each() -> None:
    back = ("<backingStore type='file'><format type='qcow2'/><source file='/tmp/b.img'/>"
            "<backingStore type='file'><format type='{fmt}'/><source file='/tmp/c.img'/></backingStore>"
            "</backingStore>")
    d = _disk("<target dev='vda' bus='virtio'/>", driver="<driver name='qemu' type='qcow2'/>",
              source="<source file='/tmp/a.img'/>" + back.format(fmt="iso"))
    assert _error(d, []) == "storage format 'iso' is not directly supported by QEMU, use 'raw' instead"
    _define(d.replace("'iso'", "'raw'"), [])


def test_librbd_encryption_flag_then_rbd_only() -> None:
    enc = ("<encryption format='luks' engine='librbd'>"
           "<secret type='passphrase' uuid='0a81f5b2-8403-7b23-c8d6-21ccc2f80d6f'/></encryption>")
    d = _disk("<target dev='vda' bus='virtio'/>", source=f"<source file='/tmp/a.img'>{enc}</source>")
    assert _error(d, []) == "librbd encryption is not supported by this QEMU binary"
    assert _error(d, ["QEMU_CAPS_RBD_ENCRYPTION"]) == "librbd encryption is supported only with RBD backed disks"
    rbd = _disk("<target dev='vda' bus='virtio'/>", dtype="network",
                source=f"<source protocol='rbd' name='pool/image'><host name='h'/>{enc}</source>")
    _define(rbd, ["QEMU_CAPS_RBD_ENCRYPTION"])


# ------------------------------------------------------------ controllers

def test_pcihole64_on_pcie_root_needs_q35_and_on_pci_root_i440fx() -> None:
    from drivers.qemu import validate_controllers as vc

    dom = _define("<controller type='pci' index='0' model='pci-root'>"
                  "<pcihole64 unit='KiB'>1048576</pcihole64></controller>", [])
    root = next(c for c in dom.devices.controllers if c.type == "pci")

    class _Caps:
        def has(self, flag: str) -> bool:
            return True

    vc.validate_controller(dom, root, _Caps())
    dom.os.type.machine = "pc-q35-7.2"
    with pytest.raises(VirtXMLError) as exc:
        vc.validate_controller(dom, root, _Caps())
    assert exc.value.message == "Setting the 64-bit PCI hole size is not supported for machine 'pc-q35-7.2'"


def test_pcie_root_port_hotplug_needs_the_flag() -> None:
    d = "<controller type='pci' index='1' model='pcie-root-port'><target hotplug='off'/></controller>"
    caps = ["QEMU_CAPS_DEVICE_PCIE_ROOT_PORT", "QEMU_CAPS_DEVICE_DMI_TO_PCI_BRIDGE", "QEMU_CAPS_DEVICE_PCI_BRIDGE"]
    assert _error(d, caps, machine="q35") == (
        "setting the 'hotplug' property on a 'pcie-root-port' device is not supported by this QEMU binary")
    _define(d, caps + ["QEMU_CAPS_PCIE_ROOT_PORT_HOTPLUG"], machine="q35")


def test_scsi_target_above_7_needs_scsi_disk_channel() -> None:
    d = VIRTIO_SCSI + _disk("<target dev='sda' bus='scsi'/>",
                            "<address type='drive' controller='0' bus='0' target='8' unit='0'/>")
    assert _error(d, ["QEMU_CAPS_VIRTIO_SCSI"]) == "This QEMU doesn't support target greater than 7"
    _define(d, ["QEMU_CAPS_VIRTIO_SCSI", "QEMU_CAPS_SCSI_DISK_CHANNEL"])
    # lsilogic has its own rule, checked first: target 0 only
    lsi = d.replace("model='virtio-scsi'", "model='lsilogic'")
    assert _error(lsi, ["QEMU_CAPS_SCSI_LSI"]) == "target must be 0 for controller model 'lsilogic'"


def test_spapr_phb_numa_node_needs_its_flag() -> None:
    d = ("<controller type='pci' index='1' model='pci-root'><model name='spapr-pci-host-bridge'/>"
         "<target index='1'><node>0</node></target></controller>")
    numa = "<cpu><numa><cell id='0' cpus='0' memory='1048576' unit='KiB'/></numa></cpu>"
    caps = ["QEMU_CAPS_DEVICE_SPAPR_PCI_HOST_BRIDGE"]
    assert _error(d, caps, extra=numa, machine="pseries", arch="ppc64") == (
        "Option 'numaNode' is not supported by 'spapr-pci-host-bridge' device with this QEMU binary")
    _define(d, caps + ["QEMU_CAPS_SPAPR_PCI_HOST_BRIDGE_NUMA_NODE"], extra=numa, machine="pseries", arch="ppc64")


def test_pci_root_hotplug_asks_for_the_piix4_flag_on_pseries_too() -> None:
    d = "<controller type='pci' index='0' model='pci-root'><target hotplug='off'/></controller>"
    caps = ["QEMU_CAPS_DEVICE_SPAPR_PCI_HOST_BRIDGE"]
    assert _error(d, caps, machine="pseries", arch="ppc64") == (
        "setting the 'hotplug' property on a 'pci-root' device is not supported by this QEMU binary")
    _define(d, caps + ["QEMU_CAPS_PIIX4_ACPI_ROOT_PCI_HOTPLUG"], machine="pseries", arch="ppc64")
