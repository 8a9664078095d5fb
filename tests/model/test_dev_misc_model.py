"""The remaining device kinds (tpm, watchdog, memballoon, rng, nvram, panic,
shmem, memory, iommu, vsock, crypto): parse -> format with libvirt 9.0's
order and rules.  Expected texts were checked against real libvirt 9.0
(test and QEMU drivers) with the post-parse effects left out."""

from __future__ import annotations

import textwrap

import pytest
from lxml import etree

import virtxml.model.devices as D
from virtxml.binding import ParseContext
from virtxml.errors import ParseError
from virtxml.flags import FormatFlags, ParseFlags

INACTIVE = int(FormatFlags.SECURE | FormatFlags.INACTIVE)
LIVE = int(FormatFlags.SECURE)


def roundtrip(cls, xml: str, pflags: int = ParseFlags.INACTIVE, fflags: int = INACTIVE):
    obj = cls._xml_parse(etree.fromstring(xml), ParseContext(pflags))
    out: list[str] = []
    obj.xml_format(out, "", fflags)
    return obj, "".join(out)


def fmt(cls, xml: str, **kw) -> str:
    return roundtrip(cls, xml, **kw)[1]


def dd(s: str) -> str:
    return textwrap.dedent(s).lstrip("\n")


def error_of(cls, xml: str, pflags: int = ParseFlags.INACTIVE) -> str:
    with pytest.raises(ParseError) as ei:
        cls._xml_parse(etree.fromstring(xml), ParseContext(pflags))
    return ei.value.message if hasattr(ei.value, "message") else str(ei.value)


# --------------------------------------------------------------------- tpm

def test_tpm_emulator_full():
    xml = ("<tpm model='tpm-crb'><backend type='emulator' version='2.0' persistent_state='no'>"
           "<encryption secret='B4A117F1-8AF2-44A4-91B8-7F0D2D4D68A3'/>"
           "<active_pcr_banks><sha512/><sha1/></active_pcr_banks><device path='/dev/x'/></backend>"
           "<alias name='ua-tpm'/></tpm>")
    assert fmt(D.TPM, xml) == dd("""
        <tpm model='tpm-crb'>
          <backend type='emulator' version='2.0'>
            <encryption secret='b4a117f1-8af2-44a4-91b8-7f0d2d4d68a3'/>
            <active_pcr_banks>
              <sha1/>
              <sha512/>
            </active_pcr_banks>
          </backend>
          <alias name='ua-tpm'/>
        </tpm>
        """)


def test_tpm_passthrough_default_path_and_persistent_state():
    assert fmt(D.TPM, "<tpm><backend type='passthrough' version='2.0'/></tpm>") == dd("""
        <tpm>
          <backend type='passthrough'>
            <device path='/dev/tpm0'/>
          </backend>
        </tpm>
        """)
    out = fmt(D.TPM, "<tpm model='tpm-tis'><backend type='emulator' persistent_state='yes'/></tpm>")
    assert "<backend type='emulator' persistent_state='yes'/>" in out


def test_tpm_external():
    xml = ("<tpm model='tpm-tis'><backend type='external'><source type='unix' mode='bind' path='/tmp/s'/>"
           "</backend></tpm>")
    assert "<source type='unix' mode='connect' path='/tmp/s'/>" in fmt(D.TPM, xml)
    assert error_of(D.TPM, "<tpm><backend type='external'/></tpm>") == "missing external TPM backend type"
    assert error_of(D.TPM, "<tpm><backend type='external'><source type='foo'/></backend></tpm>") == \
        "unknown backend type 'foo' for external TPM"


@pytest.mark.parametrize("xml, msg", [
    ("<tpm/>", "missing TPM device backend"),
    ("<tpm><backend type='emulator'/><backend type='emulator'/></tpm>", "only one TPM backend is supported"),
    ("<tpm model='default'><backend type='emulator'/></tpm>",
     "Invalid value for attribute 'model' in element 'tpm': 'default'."),
    ("<tpm><backend/></tpm>", "Missing required attribute 'type' in element 'backend'"),
    ("<tpm><backend type='emulator' persistent_state='maybe'/></tpm>",
     "Invalid persistent_state value, either 'yes' or 'no'"),
    ("<tpm><backend type='emulator'><encryption secret='nope'/></backend></tpm>",
     "Unable to parse secret uuid 'nope'"),
    ("<tpm><backend type='emulator'><active_pcr_banks><md5/></active_pcr_banks></backend></tpm>",
     "Unsupported PCR banks 'md5'"),
])
def test_tpm_errors(xml, msg):
    assert error_of(D.TPM, xml) == msg


def test_tpm_private_data_status_only():
    xml = ("<tpm model='tpm-tis'><backend type='emulator' version='2.0'/>"
           "<privateData><swtpm can_migrate_shared_storage='yes'/></privateData></tpm>")
    status = int(FormatFlags.STATUS_FILE)
    obj, out = roundtrip(D.TPM, xml, pflags=ParseFlags.STATUS, fflags=status)
    assert "<privateData>\n    <swtpm can_migrate_shared_storage='yes'/>\n  </privateData>\n" in out
    assert "privateData" not in fmt(D.TPM, xml, pflags=ParseFlags.NONE, fflags=LIVE)
    obj, out = roundtrip(D.TPM, xml, pflags=ParseFlags.NONE, fflags=status)
    assert obj.private_data is None and "privateData" not in out


# ---------------------------------------------------------------- watchdog

def test_watchdog_default_action_and_info():
    xml = ("<watchdog model='i6300esb'><alias name='ua-w'/>"
           "<address type='pci' domain='0' bus='0' slot='5' function='0'/></watchdog>")
    assert fmt(D.Watchdog, xml) == dd("""
        <watchdog model='i6300esb' action='reset'>
          <alias name='ua-w'/>
          <address type='pci' domain='0x0000' bus='0x00' slot='0x05' function='0x0'/>
        </watchdog>
        """)
    assert fmt(D.Watchdog, "<watchdog model='diag288' action='inject-nmi'/>") == \
        "<watchdog model='diag288' action='inject-nmi'/>\n"


@pytest.mark.parametrize("xml, msg", [
    ("<watchdog/>", "watchdog must contain model name"),
    ("<watchdog model='x'/>", "unknown watchdog model 'x'"),
    ("<watchdog model='ib700' action='explode'/>", "unknown watchdog action 'explode'"),
])
def test_watchdog_errors(xml, msg):
    assert error_of(D.Watchdog, xml) == msg


# -------------------------------------------------------------- memballoon

def test_memballoon_none_ignores_info_and_negative_period():
    xml = ("<memballoon model='none' autodeflate='on' freePageReporting='off'><stats period='-5'/>"
           "<alias name='ua-b'/><driver iommu='on'/></memballoon>")
    assert fmt(D.Memballoon, xml) == dd("""
        <memballoon model='none' autodeflate='on' freePageReporting='off'>
          <driver iommu='on'/>
        </memballoon>
        """)


def test_memballoon_order():
    xml = ("<memballoon model='virtio'><driver packed='on' iommu='off'/>"
           "<address type='pci' domain='0x0000' bus='0x00' slot='0x02' function='0x0'/>"
           "<stats period='0x10'/><alias name='balloon0'/></memballoon>")
    assert fmt(D.Memballoon, xml, pflags=ParseFlags.NONE, fflags=LIVE) == dd("""
        <memballoon model='virtio'>
          <stats period='16'/>
          <alias name='balloon0'/>
          <address type='pci' domain='0x0000' bus='0x00' slot='0x02' function='0x0'/>
          <driver iommu='off' packed='on'/>
        </memballoon>
        """)
    assert error_of(D.Memballoon, "<memballoon/>") == "Missing required attribute 'model' in element 'memballoon'"


# --------------------------------------------------------------------- rng

def test_rng_rates_backends_driver():
    assert fmt(D.RNG, "<rng model='virtio'><backend model='random'/><rate bytes='0' period='100'/><driver/></rng>") \
        == "<rng model='virtio'>\n  <backend model='random'/>\n</rng>\n"
    assert fmt(D.RNG, "<rng model='virtio-transitional'><rate period='100' bytes='50'/>"
                      "<backend model='egd' type='pty'/><driver ats='off'/></rng>") == dd("""
        <rng model='virtio-transitional'>
          <rate bytes='50' period='100'/>
          <backend model='egd' type='pty'>
          </backend>
          <driver ats='off'/>
        </rng>
        """)
    assert fmt(D.RNG, "<rng model='virtio'><backend model='builtin'>x</backend><rate bytes='7' period='0'/></rng>") \
        == "<rng model='virtio'>\n  <rate bytes='7'/>\n  <backend model='builtin'/>\n</rng>\n"
    assert "<backend model='random'>/dev/urandom</backend>" in \
        fmt(D.RNG, "<rng model='virtio'><backend model='random'>/dev/urandom</backend></rng>")


def test_rng_egd_unix():
    xml = ("<rng model='virtio'><backend model='egd' type='unix'><source mode='bind' path='/tmp/rng.socket'/>"
           "<protocol type='raw'/></backend></rng>")
    assert fmt(D.RNG, xml) == dd("""
        <rng model='virtio'>
          <backend model='egd' type='unix'>
            <source mode='bind' path='/tmp/rng.socket'/>
          </backend>
        </rng>
        """)


@pytest.mark.parametrize("xml, msg", [
    ("<rng><backend model='random'/></rng>", "missing RNG device model"),
    ("<rng model='x'><backend model='random'/></rng>", "unknown RNG model 'x'"),
    ("<rng model='virtio'/>", "only one RNG backend is supported"),
    ("<rng model='virtio'><backend model='random'/><backend model='random'/></rng>",
     "only one RNG backend is supported"),
    ("<rng model='virtio'><backend/></rng>", "missing RNG device backend model"),
    ("<rng model='virtio'><backend model='x'/></rng>", "unknown RNG backend model 'x'"),
    ("<rng model='virtio'><backend model='egd'/></rng>", "missing EGD backend type"),
    ("<rng model='virtio'><backend model='egd' type='x'/></rng>", "unknown backend type 'x' for egd"),
    ("<rng model='virtio'><rate bytes='-1'/><backend model='builtin'/></rng>", "invalid RNG rate bytes value"),
    ("<rng model='virtio'><rate bytes='1' period='x'/><backend model='builtin'/></rng>",
     "invalid RNG rate period value"),
])
def test_rng_errors(xml, msg):
    assert error_of(D.RNG, xml) == msg


def test_rng_period_not_read_without_bytes():
    assert "rate" not in fmt(D.RNG, "<rng model='virtio'><rate period='x'/><backend model='builtin'/></rng>")


# ----------------------------------------------------------- nvram / panic

def test_nvram_always_open_close():
    assert fmt(D.NVRAM, "<nvram/>") == "<nvram>\n</nvram>\n"
    assert fmt(D.NVRAM, "<nvram><address type='spapr-vio' reg='0x4000'/></nvram>") == \
        "<nvram>\n  <address type='spapr-vio' reg='0x00004000'/>\n</nvram>\n"


def test_panic():
    assert fmt(D.Panic, "<panic model='default'/>") == ""
    assert fmt(D.Panic, "<panic/>") == ""
    assert fmt(D.Panic, "<panic model='hyperv'><alias name='ua-p'/></panic>") == \
        "<panic model='hyperv'>\n  <alias name='ua-p'/>\n</panic>\n"
    assert fmt(D.Panic, "<panic><address type='isa' iobase='0x505'/></panic>") == \
        "<panic>\n  <address type='isa' iobase='0x505'/>\n</panic>\n"
    assert error_of(D.Panic, "<panic model='x'/>") == "unknown panic model 'x'"


# ------------------------------------------------------------------- shmem

def test_shmem_role_size_server_msi():
    xml = ("<shmem name='s1' role='peer'><size unit='KiB'>1536</size><server path='//tmp//x/'/>"
           "<msi vectors='0'/></shmem>")
    obj, out = roundtrip(D.Shmem, xml)
    assert obj.size == 1536 * 1024 and obj.role is None
    assert out == dd("""
        <shmem name='s1'>
          <model type='ivshmem'/>
          <size unit='M'>1</size>
          <server path='//tmp/x'/>
          <msi/>
        </shmem>
        """)
    xml = ("<shmem name='s2' role='peer'><model type='ivshmem-doorbell'/><size>1048576</size><server/>"
           "<msi ioeventfd='on' vectors='0x10'/></shmem>")
    assert fmt(D.Shmem, xml) == dd("""
        <shmem name='s2' role='peer'>
          <model type='ivshmem-doorbell'/>
          <size unit='M'>1</size>
          <server/>
          <msi vectors='16' ioeventfd='on'/>
        </shmem>
        """)


@pytest.mark.parametrize("xml, msg", [
    ("<shmem/>", "shmem element must contain 'name' attribute"),
    ("<shmem name='a'><msi/></shmem>", "msi option is only supported with a server"),
    ("<shmem name='a' role='default'><model type='ivshmem-plain'/></shmem>",
     "Invalid value for attribute 'role' in element 'shmem': 'default'."),
    ("<shmem name='a'><size unit='x'>1</size></shmem>", "unknown suffix 'x'"),
])
def test_shmem_errors(xml, msg):
    assert error_of(D.Shmem, xml) == msg


def test_shmem_role_ignored_for_ivshmem():
    assert "role" not in fmt(D.Shmem, "<shmem name='a' role='bogus'/>")


# ------------------------------------------------------------------ memory

def test_memory_fields_per_model():
    xml = ("<memory model='virtio-mem'><uuid>49545eb3-75e1-2d0a-acdd-f0294406c99e</uuid>"
           "<source><nodemask>0,0</nodemask><path>/x</path><pmem/></source>"
           "<target><size unit='MiB'>1024</size><node> 0</node><block unit='KiB'>2048</block>"
           "<label><size>200</size></label><readonly/><current>5</current></target></memory>")
    assert fmt(D.MemoryDevice, xml) == dd("""
        <memory model='virtio-mem'>
          <source>
            <nodemask>0</nodemask>
          </source>
          <target>
            <size unit='KiB'>1048576</size>
            <node>0</node>
            <block unit='KiB'>2048</block>
            <requested unit='KiB'>0</requested>
          </target>
        </memory>
        """)
    live = fmt(D.MemoryDevice, xml, pflags=ParseFlags.NONE, fflags=LIVE)
    assert "<requested unit='KiB'>0</requested>\n    <current unit='KiB'>0</current>\n" in live
    xml = ("<memory model='dimm' access='private' discard='no'><source><path>/tmp/x</path></source>"
           "<target><size unit='b'>1073741825</size><node>0</node></target></memory>")
    assert fmt(D.MemoryDevice, xml) == dd("""
        <memory model='dimm' access='private' discard='no'>
          <target>
            <size unit='KiB'>1048577</size>
            <node>0</node>
          </target>
        </memory>
        """)


def test_memory_nvdimm():
    xml = ("<memory model='nvdimm' access='shared'><uuid>49545EB3-75e1-2d0a-acdd-f0294406c99e</uuid>"
           "<source><pmem/><alignsize unit='KiB'>2048</alignsize><path>/tmp/nvdimm</path><nodemask>1</nodemask>"
           "</source><target><readonly/><label><size unit='KiB'>128</size></label><node>0</node>"
           "<size unit='KiB'>524288</size></target><address type='dimm' slot='0'/></memory>")
    assert fmt(D.MemoryDevice, xml) == dd("""
        <memory model='nvdimm' access='shared'>
          <uuid>49545eb3-75e1-2d0a-acdd-f0294406c99e</uuid>
          <source>
            <path>/tmp/nvdimm</path>
            <alignsize unit='KiB'>2048</alignsize>
            <pmem/>
          </source>
          <target>
            <size unit='KiB'>524288</size>
            <node>0</node>
            <label>
              <size unit='KiB'>128</size>
            </label>
            <readonly/>
          </target>
          <address type='dimm' slot='0'/>
        </memory>
        """)


@pytest.mark.parametrize("xml, msg", [
    ("<memory><target><size>1</size></target></memory>", "Missing required attribute 'model' in element 'memory'"),
    ("<memory model=''><target><size>1</size></target></memory>",
     "Invalid value for attribute 'model' in element 'memory': ''."),
    ("<memory model='dimm'/>", "missing <target> element for <memory> device"),
    ("<memory model='dimm'><target/></memory>", "missing element or attribute './size'"),
    ("<memory model='dimm'><target><size>x</size></target></memory>",
     "Invalid value 'x' for element or attribute './size'"),
    ("<memory model='dimm'><target><size>1</size><node>-1</node></target></memory>",
     "invalid value of memory device node"),
    ("<memory model='dimm'><target><size>1</size><node>a</node></target></memory>",
     "invalid value of memory device node"),
    ("<memory model='dimm'><source><nodemask>0,^0</nodemask></source><target><size>1</size></target></memory>",
     "Invalid value of 'nodemask': 0,^0"),
    ("<memory model='dimm'><source><nodemask>0-</nodemask></source><target><size>1</size></target></memory>",
     "Failed to parse bitmap '0-'"),
    ("<memory model='nvdimm'><uuid>zz</uuid><target><size>1</size></target></memory>", "malformed uuid element"),
    ("<memory model='nvdimm'><target><size>1024</size><label><size>127</size></label></target></memory>",
     "nvdimm label must be at least 128KiB"),
    ("<memory model='nvdimm'><target><size>1024</size><label><size>1024</size></label></target></memory>",
     "label size must be smaller than NVDIMM size"),
])
def test_memory_errors(xml, msg):
    assert error_of(D.MemoryDevice, xml) == msg


def test_bitmap_helpers():
    from virtxml.model.devices.memory import format_bitmap, parse_bitmap, parse_uuid
    assert format_bitmap(parse_bitmap(" 0 - 3 , ^2, 8")) == "0-1,3,8"
    for bad in ("", "a", "3-1", "^1-2", "1,,2", "16384"):
        with pytest.raises(ValueError):
            parse_bitmap(bad)
    assert parse_uuid(" 49545EB375E12D0AACDDF0294406C99E ") == "49545eb3-75e1-2d0a-acdd-f0294406c99e"
    with pytest.raises(ValueError):
        parse_uuid("49545eb3-75e1-2d0a-acdd-f0294406c99")


# ------------------------------------------------------------ iommu / vsock

def test_iommu():
    xml = ("<iommu model='intel'><driver intremap='on' dma_translation='off' aw_bits='48' eim='on' iotlb='on' "
           "caching_mode='on'/><alias name='ua-x'/></iommu>")
    obj, out = roundtrip(D.IOMMU, xml)
    assert out == dd("""
        <iommu model='intel'>
          <driver intremap='on' caching_mode='on' eim='on' iotlb='on' aw_bits='48'/>
          <alias name='ua-x'/>
        </iommu>
        """)
    assert fmt(D.IOMMU, "<iommu model='smmuv3'><driver aw_bits='0'/></iommu>") == "<iommu model='smmuv3'/>\n"
    assert error_of(D.IOMMU, "<iommu/>") == "Missing required attribute 'model' in element 'iommu'"


def test_vsock():
    assert fmt(D.Vsock, "<vsock model='default'><cid/><driver/></vsock>") == ""
    xml = ("<vsock model='virtio'><driver iommu='on'/><address type='ccw' cssid='0xfe' ssid='0x0' devno='0x0002'/>"
           "<cid address='4' auto='no'/></vsock>")
    assert fmt(D.Vsock, xml) == dd("""
        <vsock model='virtio'>
          <cid auto='no' address='4'/>
          <address type='ccw' cssid='0xfe' ssid='0x0' devno='0x0002'/>
          <driver iommu='on'/>
        </vsock>
        """)
    assert error_of(D.Vsock, "<vsock><cid address='0'/></vsock>") == \
        "Invalid value for attribute 'address' in element 'cid': Zero is not permitted"


def test_crypto_dropped_like_libvirt_9_0():
    obj, out = roundtrip(D.Crypto, "<crypto model='virtio' type='qemu'><backend model='builtin' queues='1'/></crypto>")
    assert obj.backend is None and out == ""
    # nothing of it is read: no error either (oracle-checked)
    obj, out = roundtrip(D.Crypto, "<crypto model='bogus'><backend queues='-1'/><address type='bogus'/></crypto>")
    assert out == ""


def test_tpm_empty_strings_mean_unset():
    out = fmt(D.TPM, "<tpm><backend type='passthrough'><device path=''/></backend></tpm>")
    assert "<device path='/dev/tpm0'/>" in out
    out = fmt(D.TPM, "<tpm><backend type='emulator'><encryption secret=''/></backend></tpm>")
    assert "encryption" not in out
