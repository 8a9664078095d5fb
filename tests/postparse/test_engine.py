"""The engine: libvirt's order of callbacks and the non-fatal failure of
behaviour §3."""

from __future__ import annotations

from typing import Any

import pytest

from postparse import Driver, Feature, PostParseContext, post_parse, rerun_post_parse
from virtxml.errors import PostParseError, PostParseTolerableError
from virtxml.flags import ParseFlags

from .helpers import doc, parse


class Recorder(Driver):
    name = "recorder"
    features = Feature.INDIVIDUAL_VCPUS

    def __init__(self) -> None:
        self.calls: list[str] = []

    def basic(self, dom: Any, ctx: PostParseContext) -> None:
        self.calls.append("basic")

    def data_alloc(self, dom: Any, ctx: PostParseContext) -> Any:
        self.calls.append("data_alloc")
        return {"caps": 1}

    def domain(self, dom: Any, ctx: PostParseContext) -> None:
        assert ctx.data == {"caps": 1}
        self.calls.append("domain")

    def device(self, dom: Any, dev: Any, ctx: PostParseContext) -> None:
        self.calls.append("device:" + type(dev).__xml_tag__)

    def assign_addresses(self, dom: Any, ctx: PostParseContext) -> None:
        self.calls.append("addresses")

    def validate(self, dom: Any, ctx: PostParseContext) -> None:
        self.calls.append("validate")


class Failing(Driver):
    """A driver whose domain callback cannot find what it needs
    (libvirt's callbacks returning 1)."""

    name = "failing"
    features = Feature.INDIVIDUAL_VCPUS

    def __init__(self, where: str = "domain") -> None:
        self.where = where
        self.after: list[str] = []

    def _maybe(self, step: str) -> None:
        if step == self.where:
            raise PostParseTolerableError("No emulator found for arch 'x86_64'")
        self.after.append(step)

    def basic(self, dom: Any, ctx: PostParseContext) -> None:
        self._maybe("basic")

    def domain(self, dom: Any, ctx: PostParseContext) -> None:
        self._maybe("domain")

    def assign_addresses(self, dom: Any, ctx: PostParseContext) -> None:
        self._maybe("addresses")


DOC = doc("    <memballoon model='none'/>\n    <controller type='usb' index='0'/>")


def test_callback_order() -> None:
    drv = Recorder()
    parse(DOC, driver=drv)
    assert drv.calls[:3] == ["basic", "data_alloc", "domain"]
    devs = [c for c in drv.calls if c.startswith("device:")]
    # controllers come before the memballoon in libvirt's iteration order
    assert devs == ["device:controller", "device:memballoon"]
    assert drv.calls.index("addresses") > drv.calls.index("device:memballoon")
    assert drv.calls[-1] == "validate"


def test_data_given_skips_alloc() -> None:
    drv = Recorder()
    dom = parse(DOC, driver="generic")
    ctx = post_parse(dom, drv, 0, data={"caps": 1})
    assert "data_alloc" not in drv.calls
    assert ctx.data == {"caps": 1}


@pytest.mark.parametrize("where", ["basic", "domain", "addresses"])
def test_tolerable_failure_kept_with_flag(where: str) -> None:
    drv = Failing(where)
    dom = parse(DOC, driver=drv, flags=ParseFlags.ALLOW_POST_PARSE_FAIL | ParseFlags.SKIP_VALIDATE)
    assert dom.post_parse_failed is True
    assert isinstance(dom.post_parse_error, PostParseTolerableError)
    assert dom.post_parse_error.message == "No emulator found for arch 'x86_64'"
    # the pipeline went on after the failing callback
    assert "addresses" in drv.after or where == "addresses"


@pytest.mark.parametrize("where", ["basic", "domain", "addresses"])
def test_tolerable_failure_fatal_without_flag(where: str) -> None:
    with pytest.raises(PostParseTolerableError, match="No emulator found"):
        parse(DOC, driver=Failing(where))


def test_generic_steps_run_after_tolerated_failure() -> None:
    # the implicit <boot dev='hd'/> is a generic step: it still happens
    dom = parse(doc("", boot=""), driver=Failing("domain"),
                flags=ParseFlags.ALLOW_POST_PARSE_FAIL)
    assert dom.post_parse_failed
    assert [b.dev for b in dom.os.boot] == ["hd"]


def test_rerun_post_parse_is_fatal() -> None:
    drv = Failing("domain")
    dom = parse(DOC, driver=drv, flags=ParseFlags.ALLOW_POST_PARSE_FAIL)
    assert dom.post_parse_failed
    with pytest.raises(PostParseTolerableError):
        rerun_post_parse(dom, drv)


def test_rerun_post_parse_clears_flag_when_it_works() -> None:
    drv = Failing("domain")
    dom = parse(DOC, driver=drv, flags=ParseFlags.ALLOW_POST_PARSE_FAIL)
    assert dom.post_parse_failed
    drv.where = "nowhere"
    rerun_post_parse(dom, drv)
    assert dom.post_parse_failed is False
    assert dom.post_parse_error is None


def test_fatal_error_is_not_tolerated() -> None:
    class Fatal(Driver):
        features = Feature.INDIVIDUAL_VCPUS

        def domain(self, dom: Any, ctx: PostParseContext) -> None:
            raise PostParseError("bootloader is not supported by QEMU")

    with pytest.raises(PostParseError, match="bootloader is not supported"):
        parse(DOC, driver=Fatal(), flags=ParseFlags.ALLOW_POST_PARSE_FAIL)


def test_device_callback_tolerable_failure_does_not_stop_generic_step() -> None:
    class DevFail(Driver):
        features = Feature.INDIVIDUAL_VCPUS

        def device(self, dom: Any, dev: Any, ctx: PostParseContext) -> None:
            raise PostParseTolerableError("device data missing")

    dom = parse(doc("    <graphics type='vnc'/>\n    <video><model type='vga'/></video>"), driver=DevFail())
    # the generic video step still filled in vram
    assert dom.devices.videos[0].model.vram == 16384
    assert dom.post_parse_failed is False


def test_skip_validate() -> None:
    drv = Recorder()
    parse(DOC, driver=drv, flags=ParseFlags.SKIP_VALIDATE)
    assert "validate" not in drv.calls
