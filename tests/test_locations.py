"""Post-parse and validation errors point at the element they concern
(virtxml.locations): a device's error at the device, any other at <domain>."""

from __future__ import annotations

import pytest

import virtxml
from virtxml.lint import LintOptions, lint_bytes

DOC = """<domain type='test'>
  <name>loc</name>
  <memory unit='KiB'>1024</memory>
  <os>
    <type arch='i686'>hvm</type>
  </os>
  <devices>
    <disk type='file' device='disk'>
      <source file='/a.img'/>
      <target dev='hda' bus='ide'/>
    </disk>
{extra}  </devices>
</domain>
"""


def _finding(extra: str):
    (f,) = [f for f in lint_bytes(DOC.format(extra=extra).encode(), "loc.xml", LintOptions(driver="test"))
            if f.severity == "error"]
    return f


def test_device_error_points_at_the_device() -> None:
    f = _finding("    <input type='tablet' bus='ps2'/>\n")
    assert f.message == "ps2 bus does not support tablet input device"
    assert (f.line, f.column, f.path) == (12, 5, "/domain/devices/input")
    with pytest.raises(virtxml.ValidationError) as ei:
        virtxml.parse(DOC.format(extra="    <input type='tablet' bus='ps2'/>\n"), file="loc.xml")
    assert str(ei.value) == "loc.xml:12:0: ps2 bus does not support tablet input device"


def test_second_of_two_devices_is_named_by_its_position() -> None:
    extra = "    <input type='mouse' bus='ps2'/>\n    <input type='tablet' bus='ps2'/>\n"
    f = _finding(extra)
    assert (f.line, f.path) == (13, "/domain/devices/input[2]")


def test_domain_level_error_points_at_the_domain() -> None:
    extra = ("    <disk type='file' device='disk'>\n      <source file='/b.img'/>\n"
             "      <target dev='hda' bus='ide'/>\n    </disk>\n")
    f = _finding(extra)
    assert f.message.startswith("target 'hda' duplicated for disk sources")
    assert (f.line, f.column, f.path) == (1, 1, "/domain")


def test_a_parse_error_keeps_its_own_place() -> None:
    doc = DOC.format(extra="").replace("<memory unit='KiB'>1024", "<memory unit='parsecs'>1024")
    (err,) = lint_bytes(doc.encode(), "loc.xml", LintOptions(driver="test", schema=False))
    assert (err.rule, err.line, err.path) == ("parse", 3, "/domain/memory")


def test_implicit_device_error_points_at_the_domain() -> None:
    """A device post-parse added has no element: its error points at <domain>."""
    from virtxml.locations import element_of

    dom = virtxml.parse(DOC.format(extra=""), file="loc.xml")
    added = [c for c in dom.devices.controllers if element_of(dom, c) is None]
    assert added, "the test driver adds the IDE controller the disk needs"
    assert element_of(dom, dom.devices.disks[0]).tag == "disk"
    assert element_of(dom, dom).tag == "domain"


def test_error_about_a_part_points_at_it() -> None:
    """Code that knows what an error concerns names it with ``about``."""
    from postparse.driver import Driver
    from virtxml.errors import PostParseError

    class Picky(Driver):
        name = "picky"

        def domain(self, dom, ctx):  # noqa: ANN001, ANN201 - test double
            raise PostParseError("no such OS here").about(dom.os)

    with pytest.raises(PostParseError) as ei:
        virtxml.parse(DOC.format(extra=""), driver=Picky(), file="loc.xml")
    assert (ei.value.line, ei.value.path) == (4, "/domain/os")


def test_tolerated_failure_is_located_too() -> None:
    """Under ALLOW_POST_PARSE_FAIL the recorded failure carries the place."""
    from postparse.driver import Driver
    from virtxml.errors import PostParseTolerableError
    from virtxml.flags import ParseFlags

    class Lenient(Driver):
        name = "lenient"

        def device(self, dom, dev, ctx):  # noqa: ANN001, ANN201 - test double
            if getattr(dev, "device", None) == "disk":
                raise PostParseTolerableError("cannot look at this disk now")

    from postparse import engine

    root, name = virtxml.load_tree(DOC.format(extra=""), file="loc.xml")
    dom = virtxml.bind(root, flags=ParseFlags.ALLOW_POST_PARSE_FAIL, file=name)
    ctx = engine.post_parse(dom, Lenient(), ParseFlags.ALLOW_POST_PARSE_FAIL)
    (err,) = ctx.failures
    assert (err.line, err.path) == (8, "/domain/devices/disk")


def test_a_located_domain_still_pickles() -> None:
    import pickle

    dom = virtxml.parse(DOC.format(extra=""), file="loc.xml")
    back = pickle.loads(pickle.dumps(dom))
    assert back == dom and back.source_elements == {}
