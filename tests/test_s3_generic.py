"""Driver-independent define-time rules of libvirt 9.0 (domain_validate.c
and the parse-time rules of domain_conf.c) added in session 3.

Most of them are covered by oracle goldens (testdata/oracle-generic/test/
s3d-*, run by tests/oracle_cases/test_golden.py); these tests cover what
the oracle cannot show: rules whose place (parse vs validation) matters
with VIR_DOMAIN_DEF_PARSE_SKIP_VALIDATE, the order of two errors in one
document, and rules taken from libvirt's source that Debian's libvirt 9.0
binary never reaches (the passt backend, which that build's parser
refuses)."""

from __future__ import annotations

from typing import Any

import pytest

from postparse.validation import UINT_MAX, validate_net, vcpus_topology
from virtxml import api
from virtxml.errors import ParseError, ValidationError, VirtXMLError
from virtxml.flags import ParseFlags


def _dom(devices: str = "", body: str = "", os_body: str = "<type>hvm</type>", post: str = "") -> str:
    return ("<domain type='test'><name>a</name><uuid>00000000-0000-0000-0000-000000000001</uuid>"
            f"<memory>1048576</memory><os>{os_body}</os>{body}<devices>{devices}</devices>{post}</domain>")


def _error(xml: str, flags: int = 0) -> VirtXMLError:
    with pytest.raises(VirtXMLError) as exc:
        api.parse(xml, flags=flags)
    return exc.value


VHU = ("<disk type='vhostuser' device='disk'><driver name='qemu' type='raw'{drv}/>"
       "<source type='unix' path='/tmp/vhost.sock'{src}<target dev='vda' bus='virtio'/>{extra}</disk>")


def vhu(drv: str = "", src: str = "/>", extra: str = "") -> str:
    return VHU.format(drv=drv, src=src, extra=extra)


# ------------------------------------------------------ vhost-user disks

@pytest.mark.parametrize("disk,what", [
    (vhu(" cache='writeback'"), "cache"),
    (vhu(" rerror_policy='report'"), "error_policy"),
    (vhu(" io='threads'"), "io"),
    (vhu(" discard='ignore'"), "discard"),
    (vhu(" detect_zeroes='unmap'"), "detect_zeroes"),
    (vhu(extra="<iotune><write_iops_sec_max_length>3</write_iops_sec_max_length></iotune>"), "iotune"),
    (vhu(extra="<backingStore type='file'><format type='raw'/><source file='/b'/></backingStore>"), "backingStore"),
    (vhu(extra="<encryption format='luks'><secret type='passphrase' "
               "uuid='0a81f5b2-8403-7b23-c8d6-21ccc2f80d6f'/></encryption>"), "encryption"),
    (vhu(extra="<blockio physical_block_size='4096'/>"), "blockio"),
    # the first unsupported setting in libvirt's order wins
    (vhu(" iothread='1'", extra="<wwn>0x5000c50015ea71ac</wwn><shareable/>"), "iothread"),
    (vhu(extra="<shareable/><product>p</product>"), "shareable"),
])
def test_vhostuser_disk_refuses(disk: str, what: str) -> None:
    e = _error(_dom(disk))
    assert isinstance(e, ValidationError)
    assert e.message == f"{what} is not supported with vhostuser disk"


def test_vhostuser_disk_settings_only_refused_by_validation() -> None:
    xml = _dom(vhu(" cache='none'", extra="<serial>s</serial>"))
    assert _error(xml).message == "cache is not supported with vhostuser disk"
    api.parse(xml, flags=ParseFlags.SKIP_VALIDATE)


def test_vhostuser_bus_checked_before_settings() -> None:
    xml = _dom(vhu(" cache='none'").replace("bus='virtio'", "bus='sata'").replace("vda", "sda"))
    assert _error(xml).message == "vhostuser disk supports only virtio bus"


def test_device_seclabel_checked_after_vhostuser_and_lun_rules() -> None:
    label = "<seclabel type='none' model='dac'/>"
    src = "><seclabel model='dac' relabel='no'/></source>"
    assert _error(_dom(vhu(" io='native'", src=src), post=label)).message == \
        "io is not supported with vhostuser disk"
    assert _error(_dom(vhu(src=src), post=label)).message == \
        "label overrides require relabeling to be enabled at the domain level"


# ------------------------------------------------------------ iotune

IOTUNE = ("<disk type='file' device='disk'><source file='/a'/><target dev='vda'/>"
          "<iotune><total_bytes_sec_max>1</total_bytes_sec_max><read_bytes_sec_max>2</read_bytes_sec_max>"
          "</iotune></disk>")


def test_iotune_total_and_read_is_a_validation_error() -> None:
    e = _error(_dom(IOTUNE))
    assert isinstance(e, ValidationError)
    assert e.message == "total and read/write bytes_sec_max cannot be set at the same time"
    dom = api.parse(_dom(IOTUNE), flags=ParseFlags.SKIP_VALIDATE)
    assert "<total_bytes_sec_max>1</total_bytes_sec_max>" in api.format(dom)


def test_parse_error_after_iotune_conflict_wins() -> None:
    e = _error(_dom(IOTUNE + "<controller type='usb' index='0' model='bogus'/>"))
    assert isinstance(e, ParseError)
    assert e.message == "Unknown model type 'bogus'"


# ---------------------------------------------------------- TPM / IOMMU

def test_external_tpm_without_path_refused_by_validation_only() -> None:
    tpm = "<tpm model='tpm-crb'><backend type='external'><source type='unix' mode='connect'/></backend></tpm>"
    assert _error(_dom(tpm)).message == "missing socket path for external TPM device"
    api.parse(_dom(tpm), flags=ParseFlags.SKIP_VALIDATE)
    # a later parse error is reported first
    e = _error(_dom(tpm + "<memballoon model='bogus'/>"))
    assert isinstance(e, ParseError)


@pytest.mark.parametrize("iommu,want", [
    ("<iommu model='smmuv3'><driver caching_mode='off'/></iommu>",
     "iommu model 'smmuv3' doesn't support additional attributes"),
    ("<iommu model='virtio'><driver eim='on'/></iommu>", "iommu model 'virtio' doesn't support additional attributes"),
    ("<iommu model='intel'><address type='pci' domain='0' bus='0' slot='7' function='0'/></iommu>",
     "iommu model 'intel' can't have address"),
])
def test_iommu_model_rules(iommu: str, want: str) -> None:
    assert _error(_dom(iommu)).message == want


# -------------------------------------------------------------- network

class _Obj:
    def __init__(self, **kw: Any) -> None:
        self.__dict__.update(kw)


def _net(ntype: str, backend: str | None, ranges: list[dict[str, Any]] | None = None, model: str = "virtio") -> Any:
    pfs = [_Obj(ranges=[_Obj(**{"start": None, "end": None, "to": None, "exclude": None, **r}) for r in ranges])] \
        if ranges is not None else []
    return _Obj(type=ntype, source=None, target=None, teaming=None, port=None, model=_Obj(type=model),
                driver=None, backend=_Obj(type=backend) if backend else None, port_forwards=pfs,
                virtualport=None, mac=None)


@pytest.mark.parametrize("ntype", ["bridge", "network", "ethernet", "vhostuser"])
def test_passt_backend_only_for_user(ntype: str) -> None:
    with pytest.raises(ValidationError) as exc:
        validate_net(_net(ntype, "passt"))
    assert exc.value.message == "The 'passt' backend can only be used with interface type='user'"


@pytest.mark.parametrize("rng,bad", [
    ({"start": 22, "end": 30, "to": 2022}, False),
    ({"start": 22}, False),
    ({"end": 30}, True),
    ({"to": 30}, True),
    ({"exclude": True}, True),
    ({"exclude": False}, True),
])
def test_passt_port_forward_range_needs_start(rng: dict[str, Any], bad: bool) -> None:
    net = _net("user", "passt", [rng])
    if bad:
        with pytest.raises(ValidationError) as exc:
            validate_net(net)
        assert exc.value.message == ("The 'range' of a 'portForward' requires 'start' attribute if 'end', "
                                     "'to', or 'exclude' is specified")
    else:
        validate_net(net)
    # the rule is the passt backend's: SLIRP port forwards are not checked
    validate_net(_net("user", None, [rng]))


# ---------------------------------------------------------- cpu topology

@pytest.mark.parametrize("topo,want", [
    ("sockets='2' cores='3' threads='4'", 24),
    ("sockets='2' dies='5' cores='3' threads='4'", 120),
    ("sockets='65536' cores='65535' threads='1'", 65536 * 65535),
])
def test_vcpus_topology(topo: str, want: int) -> None:
    dom = api.parse(_dom(body=f"<cpu><topology {topo}/></cpu>"), flags=ParseFlags.SKIP_VALIDATE)
    assert vcpus_topology(dom) == want


def test_vcpus_topology_overflow() -> None:
    xml = _dom(body="<cpu><topology sockets='65536' dies='2' cores='65536' threads='1'/></cpu>")
    assert _error(xml).message == "cpu topology results in more than %u cpus" % UINT_MAX
    assert vcpus_topology(api.parse(_dom(), flags=ParseFlags.SKIP_VALIDATE)) is None


# ---------------------------------------------------- hostdev / controller

@pytest.mark.parametrize("hostdev,want", [
    ("<hostdev mode='subsystem' type='scsi' model='virtio'><source><adapter name='scsi_host0'/>"
     "<address bus='0' target='0' unit='0'/></source></hostdev>",
     "'model' attribute in <hostdev> is only supported when type='scsi'"),
    # <source> is looked for before the attributes
    ("<hostdev mode='subsystem' type='pci' rawio='yes'/>", "Missing <source> element in hostdev device"),
    ("<hostdev mode='subsystem' type='scsi' model='x'><source startupPolicy='optional'><adapter name='scsi_host0'/>"
     "<address bus='0' target='0' unit='0'/></source></hostdev>",
     "Setting startupPolicy is only allowed for USB devices"),
    ("<hostdev mode='subsystem' type='usb' rawio='yes' model='x'><source><vendor id='0x1'/>"
     "<product id='0x2'/></source></hostdev>", "rawio is only supported for scsi host device"),
])
def test_hostdev_parse_order(hostdev: str, want: str) -> None:
    e = _error(_dom(hostdev))
    assert isinstance(e, ParseError)
    assert e.message == want


def test_controller_model_name_only_read_for_pci() -> None:
    dom = api.parse(_dom("<controller type='scsi' index='0' model='virtio-scsi'><model name='whatever'/></controller>"))
    assert "whatever" not in api.format(dom)
    # 'none' (libvirt's 0) is accepted and not written
    dom = api.parse(_dom("<controller type='pci' index='1' model='pcie-root-port'><model name='none'/></controller>"))
    assert "<model" not in api.format(dom)
    e = _error(_dom("<controller type='pci' index='1' model='pcie-root-port'><model name='bogus'/></controller>"))
    assert e.message == "Invalid value for attribute 'name' in element 'model': 'bogus'."
    e = _error(_dom("<controller type='scsi' index='0'><target/><target/></controller>"))
    assert e.message == "Multiple <target> elements in controller definition not allowed"


# ------------------------------------------- storage source index / mirror
# (read only without ParseFlags.INACTIVE: live and status XML)

def _disk(inner: str) -> str:
    return _dom(f"<disk type='file' device='disk'><source file='/a'{inner}<target dev='vda'/></disk>")


@pytest.mark.parametrize("inner,want", [
    (" index='x'/>", "invalid disk index 'x'"),
    ("/><backingStore type='file' index='x'><format type='raw'/><source file='/b'/></backingStore>",
     "invalid storage source index 'x'"),
    # the backing store's format and source are looked for before its index
    ("/><backingStore type='file' index='x'><format type='raw'/></backingStore>", "missing disk backing store source"),
    ("/><backingStore type='file' index='x'><format type='bogus'/><source file='/b'/></backingStore>",
     "unknown storage source format 'bogus'"),
    ("/><mirror file='/b' job='active-commit'/>", "mirror without type only supported by copy job"),
    ("/><mirror type='file' job='copy'><format type='raw'/><source file='/b' index='x'/></mirror>",
     "invalid storage source index 'x'"),
    ("/><mirror type='bogus'><format type='raw'/><source file='/b'/></mirror>", "unknown storage source type 'bogus'"),
    ("/><mirror type='file'><format type='bogus'/><source file='/b'/></mirror>",
     "unknown storage source format 'bogus'"),
    ("/><mirror file='/b' format='bogus'/>", "unknown storage source format 'bogus'"),
    ("/><mirror type='file' job='bogus'><format type='raw'/><source file='/b'/></mirror>",
     "unknown mirror job type 'bogus'"),
])
def test_live_parse_storage_index_and_mirror(inner: str, want: str) -> None:
    e = _error(_disk(inner), flags=0)
    assert isinstance(e, ParseError)
    assert e.message == want
    if "missing" not in want and "format 'bogus'" not in want or "<mirror" in inner:
        # indexes and the mirror are not read for an inactive definition
        api.parse(_disk(inner), flags=ParseFlags.INACTIVE)


def test_backing_source_index_is_not_read() -> None:
    xml = _disk("/><backingStore type='file' index='2'><format type='raw'/><source file='/b' index='y'/></backingStore>")
    out = api.format(api.parse(xml, flags=0))
    assert "<backingStore type='file' index='2'>" in out and "index='y'" not in out


def test_network_disk_startup_policy_read_refused_never_written() -> None:
    disk = ("<disk type='network' device='disk'><source protocol='nbd' name='x' startupPolicy='optional'>"
            "<host name='h'/></source><target dev='vda'/></disk>")
    assert _error(_dom(disk)).message == "disk startupPolicy 'optional' is not allowed for disk of 'network' type"
    assert "startupPolicy" not in api.format(api.parse(_dom(disk), flags=ParseFlags.SKIP_VALIDATE))
