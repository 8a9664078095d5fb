"""QEMU device checks of libvirt 9.0's qemuValidateDomainDeviceDef that
depend on a capability flag QEMU 7.2 for x86_64 has (so the oracle inputs
testdata/oracle-generic/qemu/s3c-* cannot reach them).

Each rule is run through the whole define pipeline the way the conformance
runner runs libvirt's qemuxml2argv cases: a capability set holding only
the listed QEMU_CAPS_* flags (caps kind ``flags``) or a corpus caps file
(kind ``real``), and the same input is accepted once the flag is there."""

from __future__ import annotations

from typing import Any

import pytest

from tests.corpus_paths import CORPUS, need_corpus

BASE = ("<domain type='qemu'><name>t</name><uuid>c7a5fdbd-edaf-9455-926a-d65c16db1809</uuid>"
        "<memory unit='KiB'>1048576</memory>{mem}<vcpu>1</vcpu>"
        "<os{osattr}><type arch='{arch}' machine='{machine}'>hvm</type></os>{extra}"
        "<devices><emulator>/usr/bin/qemu-system-{arch}</emulator>{dev}</devices></domain>")

Q35 = ["QEMU_CAPS_DEVICE_PCI_BRIDGE", "QEMU_CAPS_DEVICE_DMI_TO_PCI_BRIDGE", "QEMU_CAPS_DEVICE_IOH3420"]


def _define(dev: str, flags: list[str] | None = None, *, real: str | None = None, arch: str = "x86_64",
            machine: str = "pc", mem: str = "", extra: str = "", osattr: str = "") -> str | None:
    """libvirt's define-time error for the domain, None when it is accepted."""
    need_corpus()
    from drivers.qemu.conformance_suites import _driver, case_options
    from virtxml import conformance as conf
    from virtxml.conformance import Case
    from virtxml.errors import VirtXMLError
    from virtxml.flags import ParseFlags

    if real is not None:
        caps: dict[str, Any] = {"kind": "real", "arch": arch, "version": real,
                                "file": f"qemucapabilitiesdata/caps_{real}.{arch}.xml"}
    else:
        caps = {"kind": "flags", "flags": list(flags or [])}
    case = Case(str(CORPUS), {"suite": "qemuxml2argv-error", "name": "s3c", "caps": caps})
    opts, extra_flags = case_options(case)
    parse = conf.make_parse(_driver(), options=opts, ctx_data={"host_arch": "x86_64"},
                            extra_flags=extra_flags)
    xml = BASE.format(arch=arch, machine=machine, mem=mem, extra=extra, dev=dev, osattr=osattr)
    try:
        parse(xml.encode(), int(ParseFlags.INACTIVE), "s3c.xml")
    except VirtXMLError as err:
        return conf.error_text(err)
    return None


def _needs(text: str, dev: str, flags: list[str], flag: str | list[str], **kw: Any) -> None:
    """Refused with ``text`` without ``flag``, accepted with it."""
    assert _define(dev, flags, **kw) == text
    more = [flag] if isinstance(flag, str) else flag
    assert _define(dev, flags + more, **kw) is None


SCSI_DISK = ("<controller type='scsi' index='0' model='virtio-scsi'/><disk type='file' device='disk'>"
             "<source file='/a'/><target dev='sda' bus='scsi'/>"
             "<address type='drive' controller='0' bus='0' target='{t}' unit='0'/></disk>")


def test_scsi_target_above_7_needs_scsi_disk_channel() -> None:
    _needs("This QEMU doesn't support target greater than 7", SCSI_DISK.format(t=8),
           ["QEMU_CAPS_VIRTIO_SCSI"], "QEMU_CAPS_SCSI_DISK_CHANNEL")
    assert _define(SCSI_DISK.format(t=7), ["QEMU_CAPS_VIRTIO_SCSI"]) is None


def test_scsi_target_rule_skips_lsilogic() -> None:
    dev = SCSI_DISK.format(t=8).replace("virtio-scsi", "lsilogic")
    assert _define(dev, ["QEMU_CAPS_SCSI_LSI"]) == "target must be 0 for controller model 'lsilogic'"


@pytest.mark.parametrize("attr,text", [
    ("rss", "virtio rss is not supported with this QEMU binary"),
    ("rss_hash_report", "virtio rss hash report is not supported with this QEMU binary"),
])
def test_virtio_net_rss_needs_the_capability(attr: str, text: str) -> None:
    dev = f"<interface type='user'><model type='virtio'/><driver {attr}='off'/></interface>"
    _needs(text, dev, [], "QEMU_CAPS_VIRTIO_NET_RSS")


def test_rss_of_a_non_virtio_nic_is_not_checked() -> None:
    assert _define("<interface type='user'><model type='e1000'/><driver rss='on'/></interface>",
                   ["QEMU_CAPS_DEVICE_E1000"]) is None


def test_rng_models_qemu_offers() -> None:
    dev = "<rng model='{m}'><backend model='random'>/dev/urandom</backend></rng>"
    base = ["QEMU_CAPS_OBJECT_RNG_RANDOM"]
    _needs("domain configuration does not support rng model 'virtio'", dev.format(m="virtio"), base,
           "QEMU_CAPS_DEVICE_VIRTIO_RNG")
    _needs("domain configuration does not support rng model 'virtio-non-transitional'",
           dev.format(m="virtio-non-transitional"), base + ["QEMU_CAPS_DEVICE_VIRTIO_RNG"],
           "QEMU_CAPS_VIRTIO_PCI_TRANSITIONAL")


def test_rng_backend_is_checked_before_the_model() -> None:
    dev = "<rng model='virtio'><backend model='random'>/dev/urandom</backend></rng>"
    assert _define(dev, []) == "this qemu doesn't support the rng-random backend"


def test_usb_guest_reset_needs_the_capability() -> None:
    dev = ("<hostdev mode='subsystem' type='usb'><source guestReset='off'><vendor id='0x1234'/>"
           "<product id='0xbeef'/></source></hostdev>")
    _needs("guestReset is not supported with this version of QEMU", dev, [],
           "QEMU_CAPS_USB_HOST_GUESTS_RESETS_ALL")


def test_vhost_scsi_needs_the_capability() -> None:
    dev = ("<hostdev mode='subsystem' type='scsi_host'><source protocol='vhost' "
           "wwpn='naa.5123456789abcde0'/></hostdev>")
    _needs("This QEMU doesn't support vhost-scsi devices", dev, [], "QEMU_CAPS_DEVICE_VHOST_SCSI")


def test_vhost_user_video_needs_vhost_user_gpu() -> None:
    dev = "<video><driver name='vhostuser'/><model type='virtio' heads='1' primary='yes'/></video>"
    _needs("this QEMU does not support 'vhost-user' video device", dev, ["QEMU_CAPS_DEVICE_VIRTIO_GPU"],
           "QEMU_CAPS_DEVICE_VHOST_USER_GPU")


VGA = "<video><model type='vga'/></video>"


@pytest.mark.parametrize("gtype,flag", [("sdl", "QEMU_CAPS_SDL"), ("vnc", "QEMU_CAPS_VNC"),
                                        ("spice", "QEMU_CAPS_SPICE"), ("dbus", "QEMU_CAPS_DISPLAY_DBUS"),
                                        ("egl-headless", "QEMU_CAPS_EGL_HEADLESS")])
def test_graphics_types_qemu_offers(gtype: str, flag: str) -> None:
    dev = f"<graphics type='{gtype}'/>" + VGA
    _needs(f"{gtype} graphics are not supported with this QEMU", dev, ["QEMU_CAPS_DEVICE_VGA"], flag)


def test_egl_headless_rendernode_needs_the_capability() -> None:
    dev = "<graphics type='egl-headless'><gl rendernode='/dev/dri/foo'/></graphics>" + VGA
    _needs("This QEMU doesn't support OpenGL rendernode with egl-headless graphics type", dev,
           ["QEMU_CAPS_DEVICE_VGA", "QEMU_CAPS_EGL_HEADLESS"], "QEMU_CAPS_EGL_HEADLESS_RENDERNODE")


def test_egl_headless_type_is_checked_before_the_pairing() -> None:
    # the first device is refused for its own type, not for the pairing
    dev = "<graphics type='sdl'/><graphics type='egl-headless'/>" + VGA
    assert _define(dev, ["QEMU_CAPS_DEVICE_VGA", "QEMU_CAPS_EGL_HEADLESS"]) == \
        "sdl graphics are not supported with this QEMU"
    assert _define(dev, ["QEMU_CAPS_DEVICE_VGA", "QEMU_CAPS_SDL"]) == \
        "graphics type 'egl-headless' is only supported with one of: 'vnc', 'spice' graphics types"


def test_usb_keyboard_needs_usb_kbd() -> None:
    dev = "<controller type='usb' model='piix3-uhci'/><input type='keyboard' bus='usb'/>"
    _needs("usb keyboard is not supported by this QEMU binary", dev, ["QEMU_CAPS_PIIX3_USB_UHCI"],
           "QEMU_CAPS_DEVICE_USB_KBD")


def test_balloon_free_page_reporting_text() -> None:
    _needs("freePageReporting is not supported by this QEMU binary",
           "<memballoon model='virtio' freePageReporting='on'/>", [],
           "QEMU_CAPS_VIRTIO_BALLOON_FREE_PAGE_REPORTING")


@pytest.mark.parametrize("attr,flag,what", [
    ("intremap='on'", "QEMU_CAPS_INTEL_IOMMU_INTREMAP", "interrupt remapping"),
    ("caching_mode='on'", "QEMU_CAPS_INTEL_IOMMU_CACHING_MODE", "caching mode"),
    ("iotlb='on'", "QEMU_CAPS_INTEL_IOMMU_DEVICE_IOTLB", "device IOTLB"),
    ("aw_bits='48'", "QEMU_CAPS_INTEL_IOMMU_AW_BITS", "aw_bits"),
])
def test_intel_iommu_options_need_their_capability(attr: str, flag: str, what: str) -> None:
    dev = f"<iommu model='intel'><driver {attr}/></iommu>"
    _needs(f"iommu: {what} is not supported with this QEMU binary", dev,
           Q35 + ["QEMU_CAPS_DEVICE_INTEL_IOMMU"], flag, machine="q35",
           extra="<features><ioapic driver='qemu'/></features>")


def test_intel_iommu_eim_needs_its_capability() -> None:
    dev = "<iommu model='intel'><driver intremap='on' eim='on'/></iommu>"
    extra = "<features><ioapic driver='qemu'/></features>"
    _needs("iommu: eim is not supported with this QEMU binary", dev,
           Q35 + ["QEMU_CAPS_DEVICE_INTEL_IOMMU", "QEMU_CAPS_INTEL_IOMMU_INTREMAP"],
           "QEMU_CAPS_INTEL_IOMMU_EIM", machine="q35", extra=extra)


HOTPLUG = "<maxMemory slots='16' unit='KiB'>1099511627776</maxMemory>"
NUMA = "<cpu><numa><cell id='0' cpus='0' memory='524288' unit='KiB'/></numa></cpu>"


@pytest.mark.parametrize("model,flag,text", [
    ("dimm", "QEMU_CAPS_DEVICE_PC_DIMM", "memory hotplug isn't supported by this QEMU binary"),
    ("virtio-mem", "QEMU_CAPS_DEVICE_VIRTIO_MEM_PCI", "virtio-mem isn't supported by this QEMU binary"),
])
def test_memory_device_models_need_their_capability(model: str, flag: str, text: str) -> None:
    extra_target = "<block unit='KiB'>2048</block><requested unit='KiB'>0</requested>" \
        if model == "virtio-mem" else ""
    dev = (f"<memory model='{model}'><target><size unit='KiB'>262144</size><node>0</node>"
           f"{extra_target}</target></memory>")
    _needs(text, dev, [], flag, mem=HOTPLUG, extra=NUMA)


def test_virtio_pmem_needs_its_capability() -> None:
    dev = ("<memory model='virtio-pmem' access='shared'><source><path>/tmp/p</path></source>"
           "<target><size unit='KiB'>262144</size></target></memory>")
    _needs("virtio-pmem isn't supported by this QEMU binary", dev, [],
           "QEMU_CAPS_DEVICE_VIRTIO_PMEM_PCI", mem=HOTPLUG, extra=NUMA)


def test_readonly_nvdimm_needs_unarmed() -> None:
    dev = ("<memory model='nvdimm'><source><path>/tmp/n</path></source><target>"
           "<size unit='KiB'>262144</size><node>0</node><readonly/></target></memory>")
    base = ["QEMU_CAPS_DEVICE_NVDIMM"]
    assert _define(dev, [], mem=HOTPLUG, extra=NUMA) == "nvdimm isn't supported by this QEMU binary"
    _needs("nvdimm readonly property is not available with this QEMU binary", dev, base,
           "QEMU_CAPS_DEVICE_NVDIMM_UNARMED", mem=HOTPLUG, extra=NUMA)


SGX = "<memory model='sgx-epc'>{src}<target><size unit='KiB'>{size}</size></target></memory>"


def test_sgx_epc_needs_numa_info_of_the_binary() -> None:
    dev = SGX.format(src="", size=16384)
    assert _define(dev, ["QEMU_CAPS_SGX_EPC"], mem=HOTPLUG, extra=NUMA) == \
        "this QEMU version didn't provide SGX EPC NUMA info"


def test_sgx_epc_size_against_the_host_sections() -> None:
    # caps_7.0.0.x86_64: two sections (nodes 0 and 1) of 262144 KiB
    kw: dict[str, Any] = {"real": "7.0.0", "mem": HOTPLUG, "extra": NUMA}
    assert _define(SGX.format(src="", size=262144), **kw) is None
    assert _define(SGX.format(src="", size=524288), **kw) == \
        "sgx epc size 262144 on host node 0 is less than requested size 524288"
    src = "<source><nodemask>1</nodemask></source>"
    assert _define(SGX.format(src=src, size=393216), **kw) == \
        "sgx epc size 262144 on host node 1 is less than requested size 393216"


@pytest.mark.parametrize("model,flag,extra", [
    ("ivshmem-plain", "QEMU_CAPS_DEVICE_IVSHMEM_PLAIN", ""),
    ("ivshmem-doorbell", "QEMU_CAPS_DEVICE_IVSHMEM_DOORBELL", "<server path='/tmp/s'/>"),
])
def test_shmem_models_need_their_capability(model: str, flag: str, extra: str) -> None:
    dev = f"<shmem name='x'><model type='{model}'/>{extra}</shmem>"
    _needs(f"shmem model '{model}' is not supported by this QEMU binary", dev, [], flag)


def test_virtiofs_boot_order_needs_vhost_user_fs_bootindex() -> None:
    # caps_5.0.0.x86_64 has vhost-user-fs but not its bootindex property
    dev = ("<filesystem type='mount'><driver type='virtiofs'/><source dir='/tmp'/><target dir='t'/>"
           "<boot order='1'/></filesystem>")
    mb = "<memoryBacking><access mode='shared'/></memoryBacking>"
    assert _define(dev, real="5.0.0", extra=mb) == \
        "setting virtiofs boot order is not supported with this QEMU binary"
    assert _define(dev, real="6.0.0", extra=mb) is None


def test_tpm_proxy_on_ppc64_requires_passthrough() -> None:
    dev = "<tpm model='spapr-tpm-proxy'><backend type='emulator' version='2.0'/></tpm>"
    flags = ["QEMU_CAPS_DEVICE_SPAPR_PCI_HOST_BRIDGE", "QEMU_CAPS_DEVICE_TPM_EMULATOR",
             "QEMU_CAPS_DEVICE_SPAPR_TPM_PROXY"]
    assert _define(dev, flags, arch="ppc64", machine="pseries") == \
        "TPM Proxy model spapr-tpm-proxy requires 'Passthrough' backend"


def test_tpm_proxy_off_ppc64_is_a_model_question() -> None:
    # libvirt 9.0 has no architecture rule of its own for the proxy
    dev = "<tpm model='spapr-tpm-proxy'><backend type='emulator' version='2.0'/></tpm>"
    assert _define(dev, ["QEMU_CAPS_DEVICE_TPM_EMULATOR"]) == \
        "The QEMU executable /usr/bin/qemu-system-x86_64 does not support TPM model spapr-tpm-proxy"


def test_virtio_iommu_needs_boot_bypass_on_every_machine() -> None:
    # caps_6.2.0.aarch64 has virtio-iommu-pci but not its boot-bypass property
    dev = "<iommu model='virtio'/>"
    kw: dict[str, Any] = {"arch": "aarch64", "machine": "virt", "extra": "<features><acpi/></features>",
                          "osattr": " firmware='efi'"}
    assert _define(dev, real="6.2.0", **kw) == "IOMMU device: 'virtio' is not supported with this QEMU binary"
    assert _define(dev, real="7.0.0", **kw) is None


def test_virtio_iommu_requires_acpi_on_arm_too() -> None:
    assert _define("<iommu model='virtio'/>", real="7.0.0", arch="aarch64", machine="virt") == \
        "IOMMU device: 'virtio' requires ACPI"


@pytest.mark.parametrize("model,shown", [("e1000", "e1000"), ("foo", "unknown")])
def test_vdpa_model_text_is_the_enum_name(model: str, shown: str) -> None:
    dev = (f"<interface type='vdpa'><source dev='/dev/vhost-vdpa-0'/><model type='{model}'/>"
           "</interface>")
    assert _define(dev, ["QEMU_CAPS_NETDEV_VHOST_VDPA"]) == \
        f"invalid model for interface of type 'vdpa': '{shown}'"


def test_hostdev_interface_is_validated_as_a_hostdev_too() -> None:
    dev = ("<interface type='hostdev' managed='yes'><mac address='00:11:22:33:44:55'/><driver name='vfio'/>"
           "<source><address type='pci' domain='0x0000' bus='0x03' slot='0x07' function='0x1'/></source>"
           "</interface>")
    _needs("VFIO PCI device assignment is not supported by this version of qemu", dev, [],
           "QEMU_CAPS_DEVICE_VFIO_PCI")
