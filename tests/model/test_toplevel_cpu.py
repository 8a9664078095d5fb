"""<vcpu>, <vcpus>, <iothreads>, <cputune>, <numatune>, <resource>, <cpu>."""

from __future__ import annotations

import pytest

from tests.model.test_toplevel_support import bind, fmt, parse_error, roundtrip, section
from virtxml.flags import FormatFlags, ParseFlags


def test_vcpu_defaults_and_normalisation() -> None:
    assert roundtrip("  <vcpu cpuset='3,1-2,^2'>4</vcpu>\n", "vcpu") == \
        "  <vcpu placement='static' cpuset='1,3'>4</vcpu>\n"
    assert roundtrip("  <vcpu current='4'>4</vcpu>\n", "vcpu") == "  <vcpu placement='static'>4</vcpu>\n"
    assert roundtrip("  <vcpu current='2'>4</vcpu>\n", "vcpu") == \
        "  <vcpu placement='static' current='2'>4</vcpu>\n"
    # placement auto ignores cpuset and implies numatune placement auto
    out = fmt(bind("  <vcpu placement='auto' cpuset='0-1'>2</vcpu>\n"))
    assert section(out, "vcpu") == "  <vcpu placement='auto'>2</vcpu>\n"
    assert section(out, "numatune") == "  <numatune>\n    <memory mode='strict' placement='auto'/>\n  </numatune>\n"


@pytest.mark.parametrize("src,msg", [
    ("<vcpu>two</vcpu>", "maximum vcpus count must be an integer"),
    ("<vcpu/>", "maximum vcpus count must be an integer"),
    ("<vcpu current='5'>4</vcpu>", "maximum vCPU count must not be less than current vCPU count"),
    ("<vcpu current='x'>4</vcpu>",
     "Invalid value for attribute 'current' in element 'vcpu': 'x'. Expected non-negative integer value"),
    ("<vcpu placement='dynamic'>4</vcpu>", "Invalid value for attribute 'placement' in element 'vcpu': 'dynamic'."),
    ("<vcpu cpuset='0,^0'>4</vcpu>", "Invalid value of 'cpuset': 0,^0"),
    ("<vcpu cpuset='a-b'>4</vcpu>", "Failed to parse bitmap 'a-b'"),
])
def test_vcpu_errors(src: str, msg: str) -> None:
    assert parse_error("  " + src + "\n") == msg


def test_individual_vcpus() -> None:
    body = ("  <vcpu current='1'>4</vcpu>\n  <vcpus>\n"
            "    <vcpu id='2' enabled='yes' hotpluggable='yes' order='2'/>\n"
            "    <vcpu id='0' enabled='yes' hotpluggable='no' order='1'/>\n  </vcpus>\n")
    out = fmt(bind(body))
    # <vcpus> is the master: every vcpu is listed, current follows it
    assert section(out, "vcpu") == "  <vcpu placement='static' current='2'>4</vcpu>\n"
    assert section(out, "vcpus") == """  <vcpus>
    <vcpu id='0' enabled='yes' hotpluggable='no' order='1'/>
    <vcpu id='1' enabled='no'/>
    <vcpu id='2' enabled='yes' hotpluggable='yes' order='2'/>
    <vcpu id='3' enabled='no'/>
  </vcpus>
"""
    assert parse_error("  <vcpu>2</vcpu>\n  <vcpus><vcpu id='2' enabled='yes'/></vcpus>\n") == \
        "vcpu id '2' is out of range of maximum vcpu count"
    assert parse_error("  <vcpu>2</vcpu>\n  <vcpus><vcpu id='1'/></vcpus>\n") == \
        "Missing required attribute 'enabled' in element 'vcpu'"
    assert parse_error("  <vcpu>2</vcpu>\n  <vcpus><vcpu id='1' enabled='on'/></vcpus>\n") == \
        "Invalid value for attribute 'enabled' in element 'vcpu': 'on'."


def test_iothreads() -> None:
    out = fmt(bind("  <iothreads>2</iothreads>\n"))
    assert section(out, "iothreads") == "  <iothreads>2</iothreads>\n"
    assert section(out, "iothreadids") == ""   # autofilled ids are not written
    body = ("  <iothreads>4</iothreads>\n  <iothreadids>\n    <iothread id='2'/>\n"
            "    <iothread id='5' thread_pool_min='0' thread_pool_max='8'/>\n  </iothreadids>\n"
            "  <defaultiothread thread_pool_min='1'/>\n")
    assert roundtrip(body, "iothreadids") == """  <iothreadids>
    <iothread id='2'/>
    <iothread id='5' thread_pool_min='0' thread_pool_max='8'/>
    <iothread id='1'/>
    <iothread id='3'/>
  </iothreadids>
"""
    assert roundtrip(body, "defaultiothread") == "  <defaultiothread thread_pool_min='1'/>\n"
    assert parse_error("  <iothreadids><iothread id='1'/><iothread id='1'/></iothreadids>\n") == \
        "duplicate iothread id '1' found"
    assert parse_error("  <iothreadids><iothread id='0'/></iothreadids>\n") == \
        "Invalid value for attribute 'id' in element 'iothread': Zero is not permitted"
    assert parse_error("  <defaultiothread thread_pool_min='-1'/>\n") == \
        "Invalid value for attribute 'thread_pool_min' in element 'defaultiothread': '-1'. Expected non-negative value"
    assert parse_error("  <iothreads>x</iothreads>\n") == "invalid iothreads count 'x'"


CPUTUNE = """  <vcpu>4</vcpu>
  <iothreads>3</iothreads>
  <cputune>
    <cachetune vcpus='2-3'>
      <cache id='0' level='3' type='code' size='3' unit='MiB'/>
      <cache id='0' level='3' type='data' size='3072' unit='KiB'/>
      <monitor level='3' vcpus='2'/>
    </cachetune>
    <iothreadsched iothreads='1-2' scheduler='batch'/>
    <vcpusched vcpus='0-1' scheduler='fifo' priority='1'/>
    <vcpusched vcpus='3' scheduler='idle' priority='5'/>
    <iothreadpin iothread='2' cpuset='3'/>
    <emulatorsched scheduler='rr' priority='2'/>
    <emulatorpin cpuset='1-3'/>
    <vcpupin vcpu='1' cpuset='1'/>
    <vcpupin vcpu='0' cpuset='0'/>
    <vcpupin vcpu='9'/>
    <iothread_quota>-1</iothread_quota>
    <quota>-1</quota>
    <period>0</period>
    <shares>0</shares>
    <memorytune vcpus='0-1'>
      <node id='1' bandwidth='30'/>
      <node id='0' bandwidth='50'/>
    </memorytune>
  </cputune>
"""


def test_cputune_order_and_expansion() -> None:
    assert roundtrip(CPUTUNE, "cputune") == """  <cputune>
    <shares>0</shares>
    <quota>-1</quota>
    <iothread_quota>-1</iothread_quota>
    <vcpupin vcpu='0' cpuset='0'/>
    <vcpupin vcpu='1' cpuset='1'/>
    <emulatorpin cpuset='1-3'/>
    <iothreadpin iothread='2' cpuset='3'/>
    <emulatorsched scheduler='rr' priority='2'/>
    <vcpusched vcpus='0' scheduler='fifo' priority='1'/>
    <vcpusched vcpus='1' scheduler='fifo' priority='1'/>
    <vcpusched vcpus='3' scheduler='idle'/>
    <iothreadsched iothreads='1' scheduler='batch'/>
    <iothreadsched iothreads='2' scheduler='batch'/>
    <cachetune vcpus='2-3'>
      <cache id='0' level='3' type='code' size='3' unit='MiB'/>
      <cache id='0' level='3' type='data' size='3' unit='MiB'/>
      <monitor level='3' vcpus='2'/>
    </cachetune>
    <memorytune vcpus='0-1'>
      <node id='0' bandwidth='50'/>
      <node id='1' bandwidth='30'/>
    </memorytune>
  </cputune>
"""


def test_empty_cputune_not_written() -> None:
    assert "cputune" not in fmt(bind("  <cputune><period>0</period><quota>0</quota></cputune>\n"))


def test_resctrl_ids() -> None:
    body = ("  <vcpu>4</vcpu>\n  <cputune>\n    <cachetune vcpus='0-7' id='mine'>\n"
            "      <cache id='1' level='3' type='both' size='1' unit='GiB'/>\n    </cachetune>\n"
            "    <cachetune vcpus='9'><cache id='0' level='3' type='both' size='1'/></cachetune>\n"
            "  </cputune>\n")
    live = fmt(bind(body, flags=ParseFlags.NONE), FormatFlags.SECURE)
    assert "    <cachetune vcpus='0-3' id='mine'>\n      <cache id='1' level='3' type='both' size='1' unit='GiB'/>\n" \
        in live
    assert "vcpus='9'" not in live      # nothing left after the cut to 4 vcpus: dropped
    # an id is ignored when parsing INACTIVE and generated from the vcpus
    dom = bind(body, flags=ParseFlags.INACTIVE)
    assert dom.cputune.cachetunes[0].id == "vcpus_0-3"
    assert "id='vcpus" not in fmt(dom)


@pytest.mark.parametrize("body,msg", [
    ("<vcpusched vcpus='0-1' scheduler='fifo' priority='1'/><vcpusched vcpus='1' scheduler='idle'/>",
     "'vcpusched' attributes 'vcpus' must not overlap"),
    ("<vcpusched vcpus='0' scheduler='fifo'/>", "Missing required attribute 'priority' in element 'vcpusched'"),
    ("<vcpusched vcpus='0' scheduler='deadline'/>",
     "Invalid value for attribute 'scheduler' in element 'vcpusched': 'deadline'."),
    ("<vcpusched vcpus='0' scheduler='rr' priority='high'/>",
     "Invalid value for attribute 'priority' in element 'vcpusched': 'high'. Expected integer value"),
    ("<iothreadsched iothreads='0,^0' scheduler='idle'/>", "'iothreads' scheduler bitmap '0,^0' is empty"),
    ("<iothreadsched iothreads='1' scheduler='idle'/>", "Cannot find 'iothread' : 1"),
    ("<vcpusched scheduler='idle'/>", "Missing attribute 'vcpus' in element 'vcpusched'"),
    ("<emulatorpin cpuset='0'/><emulatorpin cpuset='1'/>", "only one emulatorpin is supported"),
    ("<quota>q</quota>", "can't parse cputune quota value"),
    ("<global_period>-x</global_period>", "can't parse cputune global period value"),
    ("<vcpupin vcpu='0' cpuset='0'/><vcpupin vcpu='0' cpuset='1'/>", "duplicate vcpupin for vcpu '0'"),
    ("<vcpupin vcpu='0'/>", "missing cpuset for vcpupin"),
    ("<vcpupin cpuset='0'/>", "Missing required attribute 'vcpu' in element 'vcpupin'"),
    ("<vcpupin vcpu='1' cpuset='0,^0'/>", "Invalid value of 'cpuset': 0,^0"),
    ("<emulatorpin/>", "missing cpuset for emulatorpin"),
    ("<iothreadpin iothread='1' cpuset='0'/>", "Cannot find 'iothread' : 1"),
    ("<iothreadpin iothread='0' cpuset='0'/>",
     "Invalid value for attribute 'iothread' in element 'iothreadpin': Zero is not permitted"),
    ("<cachetune vcpus='0'><cache id='0' level='3' type='both' size='1'/>"
     "<cache id='0' level='3' type='data' size='1'/></cachetune>",
     "Colliding cache allocations for cache level '3' id '0', type 'data'"),
    ("<cachetune vcpus='0-1'><cache id='0' level='3' type='both' size='1'/></cachetune>"
     "<cachetune vcpus='1'><cache id='0' level='3' type='both' size='1'/></cachetune>",
     "Overlapping vcpus in resctrls"),
    ("<cachetune vcpus='0'><cache id='0' level='3' type='both' size='1'/></cachetune>"
     "<cachetune vcpus='0'><cache id='1' level='3' type='both' size='1'/></cachetune>",
     "Identical vcpus in cachetunes found"),
    ("<cachetune vcpus='0'><cache id='0' level='3' type='both' size='1'/><monitor level='3' vcpus='1'/>"
     "</cachetune>", "Monitor vcpus conflicts with allocation"),
    ("<cachetune vcpus='0'><monitor level='2' vcpus='0'/></cachetune>", "Invalid monitor cache level '2'"),
    ("<cachetune><cache id='0' level='3' type='both' size='1'/></cachetune>", "Missing cachetune attribute 'vcpus'"),
    ("<cachetune vcpus='x'><cache id='0' level='3' type='both' size='1'/></cachetune>",
     "Invalid cachetune attribute 'vcpus' value 'x'"),
    ("<cachetune vcpus='0'><cache level='3' type='both' size='1'/></cachetune>",
     "Missing required attribute 'id' in element 'cache'"),
    ("<memorytune vcpus='0'><node id='0' bandwidth='150'/></memorytune>",
     "Memory Bandwidth value exceeding 100 is invalid."),
    ("<memorytune vcpus='0'><node id='0' bandwidth='10'/><node id='0' bandwidth='20'/></memorytune>",
     "Memory Bandwidth already defined for node 0"),
])
def test_cputune_errors(body: str, msg: str) -> None:
    assert parse_error(f"  <vcpu>4</vcpu>\n  <cputune>{body}</cputune>\n") == msg


NUMA = """  <cpu>
    <numa>
      <cell id='1' cpus='2-3' memory='1' unit='GiB' memAccess='shared'>
        <distances><sibling id='0' value='21'/></distances>
      </cell>
      <cell id='0' cpus='0-1' memory='1048576' discard='yes'/>
    </numa>
  </cpu>
"""


def test_cpu_numa_cells_sorted_and_distances_completed() -> None:
    out = roundtrip("  <vcpu>4</vcpu>\n" + NUMA, "cpu")
    assert out == """  <cpu>
    <numa>
      <cell id='0' cpus='0-1' memory='1048576' unit='KiB' discard='yes'>
        <distances>
          <sibling id='0' value='10'/>
          <sibling id='1' value='21'/>
        </distances>
      </cell>
      <cell id='1' cpus='2-3' memory='1048576' unit='KiB' memAccess='shared'>
        <distances>
          <sibling id='0' value='21'/>
          <sibling id='1' value='10'/>
        </distances>
      </cell>
    </numa>
  </cpu>
"""


def test_numatune() -> None:
    body = ("  <vcpu>4</vcpu>\n" + NUMA +
            "  <numatune>\n    <memnode cellid='1' mode='preferred' nodeset='3'/>\n"
            "    <memnode cellid='0' nodeset='0-1'/>\n    <memory nodeset='0-3'/>\n  </numatune>\n")
    assert roundtrip(body, "numatune") == """  <numatune>
    <memory mode='strict' nodeset='0-3'/>
    <memnode cellid='0' mode='strict' nodeset='0-1'/>
    <memnode cellid='1' mode='preferred' nodeset='3'/>
  </numatune>
"""
    assert roundtrip("  <numatune><memory mode='interleave' placement='auto' nodeset='1'/></numatune>\n",
                     "numatune") == "  <numatune>\n    <memory mode='interleave' placement='auto'/>\n  </numatune>\n"
    # placement auto on the memory switches the vcpus to auto too
    assert roundtrip("  <vcpu>2</vcpu>\n  <numatune><memory placement='auto'/></numatune>\n", "vcpu") == \
        "  <vcpu placement='auto'>2</vcpu>\n"


@pytest.mark.parametrize("body,msg", [
    ("<numatune><memory placement='static'/></numatune>",
     "nodeset for NUMA memory tuning must be set if 'placement' is 'static'"),
    ("<numatune><memory mode='loose' nodeset='0'/></numatune>", "Unsupported NUMA memory tuning mode 'loose'"),
    ("<numatune><memory placement='later'/></numatune>", "Unsupported NUMA memory placement mode 'later'"),
    ("<numatune><memory nodeset='0,^0'/></numatune>", "Invalid value of 'nodeset': 0,^0"),
    ("<numatune><memnode cellid='0' nodeset='0'/></numatune>",
     "Element 'memnode' is invalid without any guest NUMA cells"),
    ("<numatune><memory placement='auto'/><memnode cellid='0' nodeset='0'/></numatune>",
     "Per-node binding is not compatible with automatic NUMA placement."),
    ("<numatune/><numatune/>", "only one numatune is supported"),
])
def test_numatune_errors(body: str, msg: str) -> None:
    assert parse_error("  " + body + "\n") == msg


def test_numa_errors() -> None:
    assert parse_error("  <vcpu>4</vcpu>\n  <cpu><numa><cell id='1' cpus='0' memory='1'/></numa></cpu>\n") == \
        "Exactly one 'cell' element per guest NUMA cell allowed, non-contiguous ranges or ranges not " \
        "starting from 0 are not allowed"
    assert parse_error("  <vcpu>2</vcpu>\n  <cpu><numa><cell id='0' cpus='0-3' memory='1'/></numa></cpu>\n") == \
        "Number of CPUs in <numa> exceeds the <vcpu> count"
    assert parse_error("  <vcpu>2</vcpu>\n  <cpu><numa><cell id='0' cpus='5' memory='1'/></numa></cpu>\n") == \
        "CPU IDs in <numa> exceed the <vcpu> count"
    assert parse_error("  <cpu><numa><cell id='0' cpus='0'/></numa></cpu>\n") == \
        "missing element or attribute './@memory'"
    assert parse_error("  <cpu><numa><cell id='0' cpus='0' memory='1' memAccess='invalid'/></numa></cpu>\n") == \
        "Invalid value for attribute 'memAccess' in element 'cell': 'invalid'."
    assert parse_error("  <cpu><numa/></cpu>\n") == "NUMA topology defined without NUMA cells"
    assert parse_error("  <vcpu>4</vcpu>\n  <cpu><numa><cell cpus='0-1' memory='1'/><cell cpus='1-2' memory='1'/>"
                       "</numa></cpu>\n") == "NUMA cells 1 and 0 have overlapping vCPU ids"
    two = "<cell id='0' cpus='0' memory='1'>{}</cell><cell id='1' cpus='1' memory='1'/>"
    assert parse_error("  <vcpu>2</vcpu>\n  <cpu><numa>" + two.format("<distances/>") + "</numa></cpu>\n") == \
        "NUMA distances defined without siblings"
    for sib, msg in (("<sibling id='2' value='20'/>",
                      "'sibling_id 2' does not refer to a valid cell within NUMA 'cell id 0'"),
                     ("<sibling id='0' value='20'/>", "'value 20' is invalid for 'sibling id 0' under NUMA 'cell id 0'"),
                     ("<sibling id='1' value='10'/>", "'value 10' is invalid for 'sibling id 1' under NUMA 'cell id 0'"),
                     ("<sibling id='1' value='256'/>",
                      "'value 256' is invalid for 'sibling id 1' under NUMA 'cell id 0'")):
        body = "  <vcpu>2</vcpu>\n  <cpu><numa>" + two.format(f"<distances>{sib}</distances>") + "</numa></cpu>\n"
        assert parse_error(body) == msg


def test_numa_cache_interconnects_and_empty_cpus() -> None:
    body = """  <vcpu>2</vcpu>
  <cpu>
    <numa>
      <cell id='0' cpus='0-1' memory='2' unit='MiB'>
        <cache level='1' associativity='direct' policy='writeback'>
          <size value='10' unit='MiB'/>
          <line value='8' unit='KiB'/>
        </cache>
      </cell>
      <cell id='1' cpus='0,^0' memory='1'/>
      <interconnects>
        <bandwidth initiator='0' target='1' type='access' value='1' unit='MiB'/>
        <latency initiator='0' target='0' cache='0' type='read' value='5'/>
      </interconnects>
    </numa>
  </cpu>
"""
    # the cache's @unit is never applied by libvirt (it looks for a <unit> element)
    assert roundtrip(body, "cpu") == """  <cpu>
    <numa>
      <cell id='0' cpus='0-1' memory='2048' unit='KiB'>
        <cache level='1' associativity='direct' policy='writeback'>
          <size value='10' unit='KiB'/>
          <line value='8' unit='B'/>
        </cache>
      </cell>
      <cell id='1' memory='1' unit='KiB'/>
      <interconnects>
        <bandwidth initiator='0' target='1' type='access' value='1024' unit='KiB'/>
        <latency initiator='0' target='0' type='read' value='5'/>
      </interconnects>
    </numa>
  </cpu>
"""


def test_cpu_model_and_topology() -> None:
    body = ("  <cpu match='minimum' check='partial'>\n    <feature name='vmx'/>\n"
            "    <topology sockets='1' cores='2' threads='1'/>\n    <vendor>Intel</vendor>\n"
            "    <model>core2duo</model>\n    <cache mode='emulate' level='3'/>\n"
            "    <maxphysaddr mode='emulate' bits='42'/>\n    <feature policy='disable' name='lahf_lm'/>\n"
            "  </cpu>\n")
    assert roundtrip(body, "cpu") == """  <cpu mode='custom' match='minimum' check='partial'>
    <model fallback='allow'>core2duo</model>
    <vendor>Intel</vendor>
    <topology sockets='1' dies='1' cores='2' threads='1'/>
    <cache level='3' mode='emulate'/>
    <maxphysaddr mode='emulate' bits='42'/>
    <feature policy='require' name='vmx'/>
    <feature policy='disable' name='lahf_lm'/>
  </cpu>
"""
    assert roundtrip("  <cpu mode='host-passthrough' migratable='off'><model>x</model></cpu>\n", "cpu") == \
        "  <cpu mode='host-passthrough' migratable='off'/>\n"
    assert roundtrip("  <cpu><topology sockets='2' cores='1' threads='1'/></cpu>\n", "cpu") == \
        "  <cpu>\n    <topology sockets='2' dies='1' cores='1' threads='1'/>\n  </cpu>\n"
    assert roundtrip("  <cpu mode='host-model'><model fallback='forbid'/></cpu>\n", "cpu") == \
        "  <cpu mode='host-model'/>\n"


@pytest.mark.parametrize("body,msg", [
    ("<cpu mode='guess'/>", "Invalid mode attribute 'guess'"),
    ("<cpu match='loose'><model>x</model></cpu>", "Invalid value for attribute 'match' in element 'cpu': 'loose'."),
    ("<cpu migratable='on'/>", "Attribute migratable is only allowed for 'host-passthrough' / 'maximum' CPU mode"),
    ("<cpu><feature name='vmx'/></cpu>", "Non-empty feature list specified without CPU model"),
    ("<cpu><vendor>Intel</vendor></cpu>", "CPU vendor specified without CPU model"),
    ("<cpu><model vendor_id='short'>x</model></cpu>", "vendor_id must be exactly 12 characters long"),
    ("<cpu><model fallback='maybe'>x</model></cpu>", "Invalid fallback attribute"),
    ("<cpu><model>x</model><feature name='a'/><feature name='a'/></cpu>", "CPU feature 'a' specified more than once"),
    ("<cpu><model>x</model><feature policy='want' name='a'/></cpu>", "Invalid CPU feature policy"),
    ("<cpu><topology sockets='1' cores='1'/></cpu>", "Missing required attribute 'threads' in element 'topology'"),
    ("<cpu><topology sockets='0' cores='1' threads='1'/></cpu>",
     "Invalid value for attribute 'sockets' in element 'topology': Zero is not permitted"),
    ("<cpu><cache level='4' mode='emulate'/></cpu>", "invalid CPU cache level, must be in range [1,3]"),
    ("<cpu><cache mode='fast'/></cpu>", "Invalid value for attribute 'mode' in element 'cache': 'fast'."),
    ("<cpu><cache level='x' mode='emulate'/></cpu>",
     "Invalid value for attribute 'level' in element 'cache': 'x'. Expected integer value"),
    ("<cpu><topology sockets='x' cores='1' threads='1'/></cpu>", "Invalid value for attribute 'sockets' in element 'topology': 'x'. Expected non-negative integer value"),
    ("<cpu><topology sockets='1' dies='d' cores='1' threads='1'/></cpu>",
     "Invalid value for attribute 'dies' in element 'topology': 'd'. Expected non-negative integer value"),
    ("<cpu><maxphysaddr mode='emulate' bits='-2'/></cpu>",
     "Invalid value for attribute 'bits' in element 'maxphysaddr': '-2'. Expected non-negative value"),
    ("<cpu check='most'/>", "Invalid value for attribute 'check' in element 'cpu': 'most'."),
])
def test_cpu_errors(body: str, msg: str) -> None:
    assert parse_error("  " + body + "\n") == msg


def test_resource() -> None:
    body = "  <resource>\n    <fibrechannel appid='app'/>\n    <partition>/machine</partition>\n  </resource>\n"
    assert roundtrip(body, "resource") == \
        "  <resource>\n    <partition>/machine</partition>\n    <fibrechannel appid='app'/>\n  </resource>\n"
