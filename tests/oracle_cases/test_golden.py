"""virtxml gives real libvirt 9.0's bytes (or error text) for the
hand-written inputs of testdata/oracle-generic/<driver>/ (recorded by
tests/oracle_cases/record_golden.py with libvirt's test driver)."""

from __future__ import annotations

import glob
import os

import pytest

from virtxml.conformance import error_matches
from virtxml.errors import VirtXMLError

from ..oracle_diff_tool import FORMS, TestDriverDefine

ROOT = os.path.join(os.path.dirname(__file__), "..", "..", "testdata", "oracle-generic")
SUFFIX = {"inactive": ".inactive.xml", "migratable": ".migratable.xml", "secure_inactive": ".secure.xml"}


def cases() -> list[str]:
    out = []
    for f in sorted(glob.glob(os.path.join(ROOT, "test", "*.xml"))):
        name = os.path.basename(f)
        if name.count(".") == 1:
            out.append(name[:-4])
    return out


def test_there_are_cases() -> None:
    assert len(cases()) >= 5


@pytest.mark.parametrize("name", cases())
def test_golden(name: str) -> None:
    base = os.path.join(ROOT, "test", name)
    with open(base + ".xml", "rb") as fh:
        data = fh.read()
    drv = TestDriverDefine()
    if os.path.exists(base + ".error.txt"):
        with open(base + ".error.txt") as fh:
            want = fh.read()
        with pytest.raises(VirtXMLError) as exc:
            drv.define(data, base + ".xml")
        assert error_matches(want, exc.value.message), (want, exc.value.message)
        return
    dom = drv.define(data, base + ".xml")
    with open(base + ".inactive.xml") as fh:
        inactive = fh.read()
    for form, flags in FORMS.items():
        path = base + SUFFIX[form]
        want = inactive
        if os.path.exists(path):
            with open(path) as fh:
                want = fh.read()
        assert drv.format(dom, flags) == want, form
