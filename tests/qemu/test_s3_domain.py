"""QEMU domain-level define-time rules of libvirt 9.0 (qemuValidateDomainDef
and the functions it calls, qemuDomainDefVcpusPostParse): the branches
that depend on a capability flag or an architecture the x86_64 oracle
inputs (testdata/oracle-generic/qemu/s3a-*) cannot reach.

Each case runs the whole define pipeline the way the conformance runner
builds a hidden ``qemuxml2argv-error`` case: libvirt's test host with a
capability set holding only the listed QEMU_CAPS_* flags."""

from __future__ import annotations

from typing import Any

import pytest

from tests.corpus_paths import CORPUS, need_corpus
from virtxml.errors import VirtXMLError
from virtxml.flags import ParseFlags

EMU = {"x86_64": "/usr/bin/qemu-system-x86_64", "ppc64": "/usr/bin/qemu-system-ppc64",
       "aarch64": "/usr/bin/qemu-system-aarch64"}
MACHINE = {"x86_64": "pc", "ppc64": "pseries", "aarch64": "virt"}


def _doc(body: str = "", arch: str = "x86_64", vtype: str = "qemu", head: str = "",
         devices: str = "", os_extra: str = "", vcpu: str = "<vcpu>1</vcpu>") -> bytes:
    return (f"<domain type='{vtype}'><name>t</name>{head}<memory>1048576</memory>{vcpu}"
            f"<os><type arch='{arch}' machine='{MACHINE[arch]}'>hvm</type>{os_extra}</os>{body}"
            f"<devices><emulator>{EMU[arch]}</emulator>{devices}</devices></domain>").encode()


def _define(data: bytes, flags: list[str]) -> Any:
    """Define ``data`` with a capability set of exactly ``flags``."""
    need_corpus()
    from drivers import get_driver
    from drivers.qemu.conformance_suites import case_options
    from virtxml import conformance as conf

    case = conf.Case(str(CORPUS), {"suite": "qemuxml2argv-error", "name": "s3a",
                                   "caps": {"kind": "flags", "flags": flags}})
    opts, extra = case_options(case)
    parse = conf.make_parse(get_driver("qemu"), options=opts, ctx_data={"host_arch": "x86_64"},
                            extra_flags=extra)
    return parse(data, int(ParseFlags.INACTIVE), "t.xml")


#: pSeries guests get a spapr PCI host bridge
PPC = ["QEMU_CAPS_DEVICE_SPAPR_PCI_HOST_BRIDGE"]


def _error(data: bytes, flags: list[str]) -> str:
    with pytest.raises(VirtXMLError) as exc:
        _define(data, flags)
    return exc.value.message


# ------------------------------------------------------------------ CPU

def test_host_passthrough_migratable_needs_the_capability() -> None:
    doc = _doc("<cpu mode='host-passthrough' migratable='on'/>", vtype="kvm")
    assert _error(doc, ["QEMU_CAPS_KVM"]) == ("Migratable attribute for host-passthrough CPU is not "
                                              "supported by this QEMU binary")
    _define(doc, ["QEMU_CAPS_KVM", "QEMU_CAPS_CPU_MIGRATABLE"])
    # migratable='off' asks nothing of QEMU
    _define(_doc("<cpu mode='host-passthrough' migratable='off'/>", vtype="kvm"), ["QEMU_CAPS_KVM"])


def test_maximum_cpu_needs_the_capability() -> None:
    doc = _doc("<cpu mode='maximum'/>")
    assert _error(doc, []) == "maximum CPU is not supported by QEMU binary"
    _define(doc, ["QEMU_CAPS_CPU_MAX"])


def test_maxphysaddr_and_cache_are_x86_only() -> None:
    doc = _doc("<cpu mode='host-passthrough'><maxphysaddr mode='passthrough'/></cpu>", arch="aarch64",
               vtype="kvm")
    assert _error(doc, ["QEMU_CAPS_KVM"]) == ("CPU maximum physical address bits specification is not "
                                              "supported for 'aarch64' architecture")
    doc = _doc("<cpu mode='host-passthrough'><cache mode='passthrough'/></cpu>", arch="aarch64", vtype="kvm")
    assert _error(doc, ["QEMU_CAPS_KVM"]) == "CPU cache specification is not supported for 'aarch64' architecture"


def test_cpu_rules_come_before_memory_hotplug() -> None:
    # maxMemory without NUMA is refused too, but the CPU is checked first
    doc = _doc("<cpu mode='maximum'/>", head="<maxMemory slots='2'>4194304</maxMemory>")
    assert _error(doc, []) == "maximum CPU is not supported by QEMU binary"
    assert _error(doc, ["QEMU_CAPS_CPU_MAX"]) == ("At least one numa node has to be configured when "
                                                  "enabling memory hotplug")


def test_armv7l_passthrough_on_aarch64_host_is_not_limited_to_kvm() -> None:
    from drivers.qemu import validate as v

    class Caps:
        def __init__(self, *flags: str) -> None:
            self.flags = set(flags)

        def has(self, flag: str) -> bool:
            return flag in self.flags

    class Cpu:
        mode = "host-passthrough"
        migratable = None
        maxphysaddr = None
        cache = None

    class Type:
        arch = "armv7l"
        machine = "virt"

    class Os:
        type = Type()

    class Dom:
        type = "qemu"
        cpu = Cpu()
        os = Os()

    with pytest.raises(VirtXMLError) as exc:
        v._validate_cpu(Dom(), Caps(), "aarch64")
    assert exc.value.message == "QEMU binary does not support CPU host-passthrough for armv7l on aarch64 host"
    v._validate_cpu(Dom(), Caps("aarch64-off"), "aarch64")
    v._validate_cpu(Dom(), Caps(), "x86_64")
    # the host CPU's address size bounds mode='emulate'
    Dom.os.type.arch = "x86_64"
    Dom.cpu.mode = "custom"
    Dom.cpu.maxphysaddr = type("M", (), {"mode": "emulate", "bits": 46})()
    v._validate_cpu(Dom(), Caps(), "x86_64", 46)
    v._validate_cpu(Dom(), Caps(), "x86_64", None)
    with pytest.raises(VirtXMLError) as exc:
        v._validate_cpu(Dom(), Caps(), "x86_64", 40)
    assert exc.value.message == ("The number of virtual CPU address bits cannot exceed the number "
                                 "supported by the host CPU")


# ------------------------------------------------------------ iothreads

@pytest.mark.parametrize("xml", [
    "<iothreads>1</iothreads><iothreadids><iothread id='1' thread_pool_min='1' thread_pool_max='2'/>"
    "</iothreadids>",
    "<iothreads>2</iothreads><iothreadids><iothread id='1'/><iothread id='2' thread_pool_max='3'/>"
    "</iothreadids>",
    "<defaultiothread thread_pool_max='4'/>",
])
def test_thread_pools_need_the_capability(xml: str) -> None:
    doc = _doc(head="", body="").replace(b"<os>", xml.encode() + b"<os>")
    assert _error(doc, ["QEMU_CAPS_OBJECT_IOTHREAD"]) == ("thread_pool_min and thread_pool_max is not "
                                                          "supported by this QEMU binary")
    _define(doc, ["QEMU_CAPS_OBJECT_IOTHREAD", "QEMU_CAPS_IOTHREAD_THREAD_POOL_MAX"])


# --------------------------------------------------------- memory, numa

def test_preallocation_threads_need_the_capability() -> None:
    mb = "<memoryBacking><hugepages/><allocation mode='immediate' threads='4'/></memoryBacking>"
    doc = _doc().replace(b"<vcpu>", mb.encode() + b"<vcpu>")
    assert _error(doc, []) == "preallocation threads are unsupported with this QEMU"
    _define(doc, ["QEMU_CAPS_MEMORY_BACKEND_PREALLOC_THREADS"])


def test_shared_access_needs_a_numa_node_without_a_default_ram_id() -> None:
    mb = ("<memoryBacking><hugepages><page size='2048' unit='KiB'/></hugepages>"
          "<access mode='shared'/></memoryBacking>")
    doc = _doc().replace(b"<vcpu>", mb.encode() + b"<vcpu>")
    # the flag-only capability set has no machine with a default RAM id
    assert _error(doc, []) == "memory access mode 'shared' not supported without guest numa node"
    numa = "<cpu><numa><cell id='0' cpus='0' memory='1048576'/></numa></cpu>"
    _define(_doc(numa).replace(b"<vcpu>", mb.encode() + b"<vcpu>"), [])
    _define(_doc().replace(b"<vcpu>", mb.replace("shared", "private").encode() + b"<vcpu>"), [])


def test_hmat_needs_the_capability() -> None:
    numa = ("<cpu><numa><cell id='0' cpus='0' memory='1048576'>"
            "<cache level='1' associativity='direct' policy='writeback'>"
            "<size value='10' unit='KiB'/><line value='8' unit='B'/></cache></cell></numa></cpu>")
    doc = _doc(numa)
    assert _error(doc, []) == "HMAT is not supported with this QEMU"
    _define(doc, ["QEMU_CAPS_NUMA_HMAT"])


# ------------------------------------------------------------- features

def test_hpt_page_size_needs_the_capability() -> None:
    feats = "<features><hpt resizing='enabled'><maxpagesize unit='GiB'>1</maxpagesize></hpt></features>"
    doc = _doc(feats, arch="ppc64")
    assert _error(doc, PPC) == ("Configuring the page size for HPT guests is not supported by this "
                                "QEMU binary")
    _define(doc, PPC + ["QEMU_CAPS_MACHINE_PSERIES_CAP_HPT_MAX_PAGE_SIZE"])
    _define(_doc("<features><hpt resizing='enabled'/></features>", arch="ppc64"), PPC)


def test_features_that_stay_absent_are_not_checked() -> None:
    # <hpt/> with nothing set, <ioapic/> without driver and <tcg/> without
    # a cache size leave the feature absent in libvirt
    _define(_doc("<features><hpt/></features>"), [])
    _define(_doc("<features><ioapic/></features>", arch="ppc64"), PPC)
    _define(_doc("<features><tcg/></features>", vtype="kvm"), ["QEMU_CAPS_KVM"])
    assert _error(_doc("<features><ioapic driver='qemu'/></features>", arch="ppc64"), PPC) == (
        "The 'ioapic' feature is not supported for architecture 'ppc64' or machine type 'pseries'")


def test_features_in_libvirt_enum_order() -> None:
    # vmport (enum 11) is reported before ioapic (14) and htm (17)
    feats = "<features><htm state='on'/><ioapic driver='qemu'/><vmport state='off'/></features>"
    assert _error(_doc(feats, arch="ppc64"), PPC) == "vmport is not available with this QEMU binary"
    feats = "<features><htm state='on'/><ioapic driver='qemu'/></features>"
    assert _error(_doc(feats, arch="ppc64"), PPC).startswith("The 'ioapic' feature")
    feats = "<features><htm state='on'/><nested-hv state='on'/></features>"
    assert _error(_doc(feats, arch="ppc64"), PPC) == "HTM configuration is not supported by this QEMU binary"
    assert _error(_doc(feats, arch="ppc64"), PPC + ["QEMU_CAPS_MACHINE_PSERIES_CAP_HTM"]) == (
        "Nested HV configuration is not supported by this QEMU binary")


# ---------------------------------------------------------------- vcpus

def test_individual_vcpus_left_out_are_offline_and_unset() -> None:
    from tests.oracle_cases.test_golden import _qemu_driver

    drv = _qemu_driver()
    base = ("<domain type='qemu'><name>t</name><memory>1048576</memory><vcpu>4</vcpu>{v}"
            "<os><type arch='x86_64' machine='pc'>hvm</type></os>"
            "<devices><emulator>/usr/bin/qemu-system-x86_64</emulator></devices></domain>")
    # vcpu 2 is left out: it is the 'previous' vcpu of vcpu 3 (libvirt 9.0
    # accepts both documents, checked with the oracle)
    drv.define(base.format(v="<vcpus><vcpu id='0' enabled='yes' hotpluggable='no'/>"
                             "<vcpu id='1' enabled='no' hotpluggable='yes'/>"
                             "<vcpu id='3' enabled='yes' hotpluggable='no'/></vcpus>").encode(), "t.xml")
    drv.define(base.format(v="<vcpus><vcpu id='0' enabled='yes' hotpluggable='no' order='1'/>"
                             "<vcpu id='1' enabled='yes' hotpluggable='no' order='3'/>"
                             "<vcpu id='3' enabled='yes' hotpluggable='no' order='2'/></vcpus>").encode(),
               "t.xml")
    with pytest.raises(VirtXMLError) as exc:
        drv.define(base.format(v="<vcpus><vcpu id='0' enabled='yes' hotpluggable='no'/>"
                                 "<vcpu id='1' enabled='no' hotpluggable='yes'/>"
                                 "<vcpu id='2' enabled='yes' hotpluggable='no'/></vcpus>").encode(), "t.xml")
    assert exc.value.message == ("online non-hotpluggable vcpus need to be ordered prior to "
                                 "hotplugable vcpus")


# ------------------------------------------------------ launch security

def test_sev_kernel_hashes_need_the_capability() -> None:
    sec = ("<launchSecurity type='sev' kernelHashes='yes'><cbitpos>47</cbitpos>"
           "<reducedPhysBits>1</reducedPhysBits><policy>0x0003</policy></launchSecurity>")
    doc = _doc(vtype="kvm").replace(b"</devices>", b"</devices>" + sec.encode())
    assert _error(doc, ["QEMU_CAPS_KVM"]) == "SEV launch security is not supported with this QEMU binary"
    assert _error(doc, ["QEMU_CAPS_KVM", "QEMU_CAPS_SEV_GUEST"]) == (
        "SEV measured direct kernel boot is not supported with this QEMU binary")
    _define(doc, ["QEMU_CAPS_KVM", "QEMU_CAPS_SEV_GUEST", "QEMU_CAPS_SEV_GUEST_KERNEL_HASHES"])
    _define(doc.replace(b" kernelHashes='yes'", b""), ["QEMU_CAPS_KVM", "QEMU_CAPS_SEV_GUEST"])
