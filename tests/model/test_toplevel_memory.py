"""<maxMemory>, <memory>, <currentMemory>, <blkiotune>, <memtune>, <memoryBacking>."""

from __future__ import annotations

import pytest

from tests.model.test_toplevel_support import bind, fmt, parse_error, roundtrip, section


@pytest.mark.parametrize("src,kib", [
    ("<memory>1024</memory>", 1024),
    ("<memory unit='KiB'>1024</memory>", 1024),
    ("<memory unit='MiB'>2</memory>", 2048),
    ("<memory unit='G'>1</memory>", 1048576),
    ("<memory unit='GB'>1</memory>", 976563),      # 10^9 bytes rounded up to KiB
    ("<memory unit='b'>1</memory>", 1),
    ("<memory unit='bytes'>2048</memory>", 2),
    ("<memory unit='kb'>1</memory>", 1),
])
def test_memory_units(src: str, kib: int) -> None:
    out = roundtrip("  " + src + "\n", "memory")
    assert out == f"  <memory unit='KiB'>{kib}</memory>\n"


def test_memory_dumpcore_and_max_memory() -> None:
    body = ("  <maxMemory unit='GiB' slots='16'>4</maxMemory>\n"
            "  <memory dumpCore='off' unit='MiB'>1</memory>\n  <currentMemory unit='MiB'>1</currentMemory>\n")
    out = fmt(bind(body))
    assert "  <maxMemory slots='16' unit='KiB'>4194304</maxMemory>\n" \
           "  <memory dumpCore='off' unit='KiB'>1024</memory>\n" \
           "  <currentMemory unit='KiB'>1024</currentMemory>\n" in out


@pytest.mark.parametrize("src,msg", [
    ("<memory unit='KiB'>12x</memory>", "Invalid value '12x' for element or attribute './memory[1]'"),
    ("<memory unit='KiB'>-1</memory>", "Invalid value '-1' for element or attribute './memory[1]'"),
    ("<memory unit='furlong'>1</memory>", "unknown suffix 'furlong'"),
    ("<currentMemory unit='EiB'>8</currentMemory>", "value too large: 8EiB"),
    ("<memory unit='b'>9223372036854775000</memory>", "size value too large"),
    ("<maxMemory slots='x' unit='KiB'>1</maxMemory>", "Failed to parse memory slot count"),
    ("<memory dumpCore='maybe'>1</memory>",
     "Invalid value for attribute 'dumpCore' in element 'memory': 'maybe'."),
])
def test_memory_errors(src: str, msg: str) -> None:
    assert parse_error("  " + src + "\n") == msg


def test_blkiotune() -> None:
    body = """  <blkiotune>
    <device><path>/dev/sdb</path><weight>500</weight><read_bytes_sec>10000</read_bytes_sec></device>
    <weight>800</weight>
    <device><path>/dev/sdc</path></device>
  </blkiotune>
"""
    assert roundtrip(body, "blkiotune") == """  <blkiotune>
    <weight>800</weight>
    <device>
      <path>/dev/sdb</path>
      <weight>500</weight>
      <read_bytes_sec>10000</read_bytes_sec>
    </device>
  </blkiotune>
"""


def test_blkiotune_errors_and_lax_weight() -> None:
    assert roundtrip("  <blkiotune><weight>abc</weight></blkiotune>\n", "blkiotune") == ""
    assert parse_error("  <blkiotune><device><weight>1</weight></device></blkiotune>\n") == \
        "missing per-device path"
    assert parse_error("  <blkiotune><device><path>/a</path><read_iops_sec>-</read_iops_sec></device>"
                       "</blkiotune>\n") == "could not parse read iops sec -"
    assert parse_error("  <blkiotune><device><path>/a</path><weight>x</weight></device></blkiotune>\n") == \
        "could not parse weight x"


def test_memtune() -> None:
    body = """  <memtune>
    <swap_hard_limit unit='GiB'>2</swap_hard_limit>
    <min_guarantee>65536</min_guarantee>
    <soft_limit unit='MiB'>128</soft_limit>
    <hard_limit>9007199254740991</hard_limit>
  </memtune>
"""
    # hard_limit at libvirt's "unlimited" value is not written; fixed order
    assert roundtrip(body, "memtune") == """  <memtune>
    <soft_limit unit='KiB'>131072</soft_limit>
    <min_guarantee unit='KiB'>65536</min_guarantee>
    <swap_hard_limit unit='KiB'>2097152</swap_hard_limit>
  </memtune>
"""
    assert parse_error("  <memtune><hard_limit unit='x'>1</hard_limit></memtune>\n") == "unknown suffix 'x'"
    assert parse_error("  <memtune><soft_limit>z</soft_limit></memtune>\n") == \
        "Invalid value 'z' for element or attribute './memtune/soft_limit[1]'"


def test_memory_backing() -> None:
    body = """  <memoryBacking>
    <discard/>
    <allocation mode='immediate' threads='8'/>
    <access mode='shared'/>
    <source type='memfd'/>
    <locked/>
    <nosharepages/>
    <hugepages>
      <page size='1' unit='G' nodeset='0-1,3,2'/>
      <page size='2048'/>
    </hugepages>
  </memoryBacking>
"""
    assert roundtrip(body, "memoryBacking") == """  <memoryBacking>
    <hugepages>
      <page size='1048576' unit='KiB' nodeset='0-3'/>
      <page size='2048' unit='KiB'/>
    </hugepages>
    <nosharepages/>
    <locked/>
    <source type='memfd'/>
    <access mode='shared'/>
    <allocation mode='immediate' threads='8'/>
    <discard/>
  </memoryBacking>
"""
    assert roundtrip("  <memoryBacking><hugepages/></memoryBacking>\n", "memoryBacking") == \
        "  <memoryBacking>\n    <hugepages/>\n  </memoryBacking>\n"


@pytest.mark.parametrize("src,msg", [
    ("<source type='shm'/>", "unknown memoryBacking/source/type 'shm'"),
    ("<access mode='both'/>", "unknown memoryBacking/access/mode 'both'"),
    ("<allocation mode='lazy'/>", "unknown memoryBacking/allocation/mode 'lazy'"),
    ("<allocation threads='many'/>", "Failed to parse memory allocation threads"),
    ("<hugepages><page unit='M'/></hugepages>", "missing element or attribute './@size'"),
    ("<hugepages><page size='0'/></hugepages>", "hugepage size can't be zero"),
    ("<hugepages><page size='2' unit='MB' nodeset='1,^1'/></hugepages>", "Invalid value of 'nodeset': 1,^1"),
])
def test_memory_backing_errors(src: str, msg: str) -> None:
    assert parse_error(f"  <memoryBacking>{src}</memoryBacking>\n") == msg


def test_sections_absent() -> None:
    assert "memoryBacking" not in fmt(bind("  <memoryBacking/>\n  <memtune/>\n  <blkiotune/>\n"))
    out = fmt(bind(""))
    for tag in ("maxMemory", "blkiotune", "memtune", "memoryBacking"):
        assert section(out, tag) == ""
