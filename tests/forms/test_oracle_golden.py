"""virtxml's inactive, migratable, live and live-migratable XML equal real
libvirt 9.0's (recorded by the oracle, testdata/oracle) byte for byte; so
does the destination's inactive XML after a migration round trip
(``*_roundtrip``: libvirt's migratable XML defined again)."""

from __future__ import annotations

import os

import pytest

from virtxml.errors import VirtXMLError

from .oracle_cases import ROOT, error_cases, golden, golden_cases, make_form, options, define

CASES = golden_cases()


def test_suite_covers_every_form() -> None:
    forms = {c[2] for c in CASES}
    assert forms == {"inactive", "migratable", "live", "live_migratable", "migratable_roundtrip",
                     "live_migratable_roundtrip"}
    assert len({c[0] for c in CASES}) == 5


@pytest.mark.parametrize("variant,name,form", CASES, ids=["/".join(c) for c in CASES])
def test_golden(variant: str, name: str, form: str) -> None:
    assert make_form(variant, name, form) == golden(variant, name, form)


@pytest.mark.parametrize("variant,name", error_cases(), ids=["/".join(c) for c in error_cases()])
def test_golden_errors(variant: str, name: str) -> None:
    from virtxml import forms

    with open(os.path.join(ROOT, "golden", variant, f"{name}.error.txt")) as fh:
        kind, _, want = fh.read().rstrip("\n").partition(": ")
    prefixes = ("unsupported configuration: ", "internal error: ", "operation failed: ")
    for p in prefixes:
        want = want.removeprefix(p)
    opts = options(variant)
    with pytest.raises(VirtXMLError) as exc:
        dom = define(name, opts)
        assert kind == "start", "define succeeded"
        forms.prepare_live(dom, "qemu", opts, domain_id=1)
    assert exc.value.message == want
