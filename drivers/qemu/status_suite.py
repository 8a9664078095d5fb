"""Conformance suite ``qemustatusxml2xml`` (libvirt's qemustatusxml2xmltest):
parse ``<name>-in.xml`` with STATUS|ACTUAL_NET|PCI_ORIG_STATES|SKIP_VALIDATE|
ALLOW_POST_PARSE_FAIL and compare virDomainObjFormat with SECURE|STATUS|
ACTUAL_NET|PCI_ORIG_STATES|CLOCK_ADJUST against ``expected.status``.

Registered with :mod:`virtxml.conformance` on import (the QEMU driver's
``conformance_suites`` imports this module)."""

from __future__ import annotations

from virtxml import conformance as conf
from virtxml.conformance import FAIL, PASS, Case, Result, register_suite
from virtxml.errors import VirtXMLError


@register_suite("qemustatusxml2xml")
def qemustatusxml2xml(case: Case) -> Result:
    from virtxml import forms

    from .conformance_suites import case_options

    opts, _extra = case_options(case)
    inp = case.get("input")
    expected = (case.get("expected") or {}).get("status")
    if not inp or not expected:
        return Result(conf.ERROR, "case needs input and expected.status")
    try:
        st = forms.parse_status(case.read(inp), driver="qemu", options=opts, file=case.path(inp))
    except VirtXMLError as err:
        return Result(FAIL, f"refused: {conf.error_text(err)}")
    out = forms.format_status(st)
    want = case.read(expected).decode("utf-8")
    if out != want:
        return Result(FAIL, conf.first_diff(want, out))
    return Result(PASS, "status")
