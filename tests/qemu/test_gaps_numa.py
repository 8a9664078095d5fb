"""NUMA define-time rules of libvirt 9.0 (checked against the real libvirt
9.0 with the oracle): the memnode 'restrictive' rule is a parse-time check
(it wins over a later device's parse error), the cache and interconnect
checks of virDomainNumaDefValidate are validation (a device parse error
wins over them)."""

from __future__ import annotations

import pytest

from virtxml import api
from virtxml.errors import ParseError, ValidationError, VirtXMLError

RESTRICTIVE = ("'restrictive' mode is required in memnode element when mode is "
               "'restrictive' in memory element")
C = ("<cache level='{}' associativity='direct' policy='writeback'><size value='10' unit='KiB'/>"
     "<line value='8' unit='B'/></cache>")


def _doc(numatune: str = "", cell0: str = "", numa_extra: str = "", devices: str = "") -> bytes:
    return f"""<domain type='qemu'><name>g</name><memory>1048576</memory><vcpu>2</vcpu>{numatune}
<os><type arch='x86_64' machine='pc'>hvm</type></os>
<cpu><numa><cell id='0' cpus='0' memory='524288'>{cell0}</cell>
<cell id='1' cpus='1' memory='524288'/>{numa_extra}</numa></cpu>
<devices><emulator>/usr/bin/qemu-system-x86_64</emulator>{devices}</devices></domain>""".encode()


def _refusal(doc: bytes) -> VirtXMLError | None:
    try:
        api.parse(doc, driver="qemu")
    except VirtXMLError as e:
        return e
    return None


BAD_VIDEO = "<video><model type='bogus'/></video>"


@pytest.mark.parametrize("numatune", [
    "<numatune><memory mode='restrictive' nodeset='0'/><memnode cellid='0' mode='strict' nodeset='0'/></numatune>",
    # the memnode mode defaults to strict
    "<numatune><memory mode='restrictive' nodeset='0'/><memnode cellid='0' nodeset='0'/></numatune>",
])
def test_restrictive_memory_needs_restrictive_memnodes_at_parse_time(numatune: str) -> None:
    err = _refusal(_doc(numatune, devices=BAD_VIDEO))  # before the video's parse error
    assert isinstance(err, ParseError) and err.message == RESTRICTIVE


def test_restrictive_rule_after_memnode_cellid_checks() -> None:
    dup = ("<numatune><memory mode='restrictive' nodeset='0'/><memnode cellid='1' mode='restrictive' "
           "nodeset='0'/><memnode cellid='1' mode='strict' nodeset='0'/></numatune>")
    assert _refusal(_doc(dup)).message == "Multiple memnode elements with cellid 1"  # type: ignore[union-attr]


@pytest.mark.parametrize("numatune", [
    # libvirt 9.0 has no rule the other way round
    "<numatune><memory mode='strict' nodeset='0'/><memnode cellid='0' mode='restrictive' nodeset='0'/></numatune>",
    "<numatune><memnode cellid='0' mode='restrictive' nodeset='0'/></numatune>",
    "<numatune><memory mode='restrictive' nodeset='0'/><memnode cellid='0' mode='restrictive' nodeset='0'/></numatune>",
])
def test_accepted_memnode_modes(numatune: str) -> None:
    assert _refusal(_doc(numatune)) is None


@pytest.mark.parametrize("cell0,extra,msg", [
    (C.format(4), "", "Ain't nobody heard of that much cache level"),
    (C.format(1) + C.format(1), "", "Cache level '1' already defined"),
    ("", "<interconnects><latency initiator='0' target='5' type='access' value='5'/></interconnects>",
     "'target' refers to a non-existent NUMA node"),
    ("", "<interconnects><latency initiator='7' target='0' type='access' value='5'/></interconnects>",
     "'initiator' refers to a non-existent NUMA node"),
    ("", "<interconnects><latency initiator='0' target='1' type='access' value='5'/>"
         "<latency initiator='1' target='0' type='access' value='5'/></interconnects>", "Link already defined"),
    ("", "<interconnects><latency initiator='0' target='1' type='access' value='5'/>"
         "<latency initiator='0' target='1' type='access' value='7'/></interconnects>",
     "Duplicate info for NUMA latencies"),
    ("", "<interconnects><latency initiator='0' target='1' cache='1' type='access' value='5'/></interconnects>",
     "'cache' refers to a non-existent NUMA node cache"),
])
def test_numa_validation(cell0: str, extra: str, msg: str) -> None:
    err = _refusal(_doc(cell0=cell0, numa_extra=extra))
    assert isinstance(err, ValidationError) and err.message == msg
    # a device's parse error comes first
    assert _refusal(_doc(cell0=cell0, numa_extra=extra, devices=BAD_VIDEO)).message == \
        "unknown video model 'bogus'"  # type: ignore[union-attr]


def test_valid_hmat_accepted() -> None:
    extra = ("<interconnects><latency initiator='0' target='1' cache='1' type='access' value='5'/>"
             "<bandwidth initiator='0' target='1' type='access' value='204800' unit='KiB'/></interconnects>")
    assert _refusal(_doc(numa_extra=extra, cell0="")) is not None  # target 1 has no cache 1
    dom_ok = _doc(numa_extra=extra.replace("target='1' cache", "target='0' cache"), cell0=C.format(1))
    assert _refusal(dom_ok) is None


@pytest.mark.parametrize("numatune,msg", [
    # per memnode: cellid range, duplicate, 'restrictive' rule, then nodeset
    ("<numatune><memnode cellid='5' mode='strict'/></numatune>",
     "Argument 'cellid' in memnode element must correspond to existing guest's NUMA cell"),
    ("<numatune><memnode cellid='0' mode='strict'/><memnode cellid='5' nodeset='0'/></numatune>",
     "Missing required nodeset attribute in memnode element"),
    ("<numatune><memnode cellid='0' mode='strict' nodeset='0'/><memnode cellid='0'/></numatune>",
     "Multiple memnode elements with cellid 0"),
    ("<numatune><memnode cellid='0' mode='strict' nodeset='^0'/><memnode cellid='7' nodeset='0'/></numatune>",
     "Invalid value of 'nodeset': ^0"),
    ("<numatune><memory mode='restrictive' nodeset='0'/><memnode cellid='0' mode='strict'/></numatune>",
     RESTRICTIVE),
])
def test_memnode_check_order(numatune: str, msg: str) -> None:
    assert _refusal(_doc(numatune)).message == msg  # type: ignore[union-attr]
