"""Small helpers for the oracle-derived unit tests: each case is a small
hand-written domain whose expected result (output XML or libvirt's error
text) was recorded from real libvirt 9.0 (test driver unless said)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.oracle_diff_tool import TestDriverDefine
from virtxml.conformance import error_matches
from virtxml.errors import VirtXMLError
from virtxml.flags import FormatFlags

DEFINE = TestDriverDefine()


def domain(body: str, os: str = "<os><type>hvm</type></os>", devices: str = "",
           dtype: str = "test", name: str = "a", extra_attrs: str = "") -> str:
    return (f"<domain type='{dtype}'{extra_attrs}><name>{name}</name>"
            "<uuid>00000000-0000-0000-0000-000000000001</uuid><memory>1024</memory>"
            f"{os}{body}<devices>{devices}</devices></domain>")


def define(xml: str) -> Any:
    return DEFINE.define(xml.encode(), "test.xml")


def inactive(xml: str, flags: int = 0) -> str:
    return DEFINE.format(define(xml), int(FormatFlags.INACTIVE) | flags)


def assert_error(xml: str, want: str) -> None:
    with pytest.raises(VirtXMLError) as exc:
        define(xml)
    assert error_matches(want, exc.value.message), (want, exc.value.message)


def assert_ok(xml: str) -> None:
    define(xml)
