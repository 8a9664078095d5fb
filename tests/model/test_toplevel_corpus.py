"""The top-level (non-device) areas over libvirt's own test data:

* every libvirt-formatted output binds and formats back to the same bytes
  outside <devices> (a fixpoint), with nothing ignored outside <devices>;
* every input of the suites binds with nothing ignored outside <devices>.
"""

from __future__ import annotations

import glob
import json
import os
import re

import attrs
import pytest
from lxml import etree

from tests.corpus_paths import CORPUS, corpus_available
from virtxml.binding import ParseContext
from virtxml.flags import FormatFlags, ParseFlags
from virtxml.model import Devices, Domain

pytestmark = pytest.mark.skipif(not corpus_available() and os.environ.get("CI") != "true",
                                reason="libvirt corpus not available")

OUTPUT_GLOBS = ("qemuxml2xmloutdata/*.xml", "genericxml2xmloutdata/*.xml", "lxcxml2xmloutdata/*.xml",
                "bhyvexml2xmloutdata/*.xml", "lxcxml2xmldata/*.xml")


def _outside_devices(text: str) -> list[str]:
    out: list[str] = []
    skip = False
    for ln in text.splitlines():
        if ln.startswith("  <devices>"):
            skip = True
            continue
        if ln.startswith("  </devices>") or ln == "  <devices/>":
            skip = False
            continue
        if not skip:
            out.append(ln)
    return out


def _non_device_ignored(ctx: ParseContext) -> list[str]:
    bad = []
    for _line, path, what in ctx.ignored:
        key = re.sub(r"\[\d+\]", "", path) + ("" if what == "element" else "/" + what)
        if not key.startswith("/domain/devices"):
            bad.append(key)
    return bad


def _outputs() -> list[str]:
    files: list[str] = []
    for pat in OUTPUT_GLOBS:
        files += sorted(glob.glob(str(CORPUS / pat)))
    return files


def test_outputs_are_fixpoints_outside_devices() -> None:
    files = _outputs()
    assert files
    failures = []
    for path in files:
        data = open(path, "rb").read()
        root = etree.fromstring(data)
        active = "-active" in path or root.get("id") is not None
        ctx = ParseContext(ParseFlags.NONE if active else ParseFlags.INACTIVE, path)
        dom = Domain._xml_parse(root, ctx)
        fflags = FormatFlags.SECURE | (FormatFlags.NONE if root.get("id") is not None else FormatFlags.INACTIVE)
        # devices are another area: format an empty <devices> instead
        dom = attrs.evolve(dom, devices=Devices())
        out: list[str] = []
        dom.xml_format(out, "", int(fflags))
        got, exp = _outside_devices("".join(out)), _outside_devices(data.decode())
        if got != exp:
            failures.append(os.path.basename(path))
        ignored = _non_device_ignored(ctx)
        if ignored:
            failures.append(f"{os.path.basename(path)}: ignored {ignored}")
    assert failures == []


def _manifest_cases() -> list[dict]:
    return [c for c in json.loads((CORPUS / "manifest.json").read_text()) if not c.get("expect")]


def test_inputs_bind_with_nothing_ignored_outside_devices() -> None:
    problems = []
    n = 0
    for case in _manifest_cases():
        root = etree.parse(str(CORPUS / case["input"])).getroot()
        if root.tag != "domain":
            root = root.find("domain")
            if root is None:
                continue
        expected = case.get("expected", {})
        flag_list = []
        if "inactive" in expected:
            flag_list.append(ParseFlags.INACTIVE)
        if "active" in expected or not flag_list:
            flag_list.append(ParseFlags.NONE)
        for flags in flag_list:
            ctx = ParseContext(flags, case["input"])
            Domain._xml_parse(root, ctx)
            n += 1
            ignored = _non_device_ignored(ctx)
            if ignored:
                problems.append((case["name"], ignored))
    assert n > 500
    assert problems == []


def test_status_xml_domains_are_fixpoints_outside_devices() -> None:
    """The <domain> inside libvirt's status XML (parsed with the flags of a
    status load, formatted with those of virDomainObjSave)."""
    files = sorted(glob.glob(str(CORPUS / "qemustatusxml2xmldata" / "*-out.xml")))
    assert files
    failures = []
    for path in files:
        text = open(path, encoding="utf-8").read()
        dom_el = etree.fromstring(text.encode()).find("domain")
        if dom_el is None:
            continue
        dom = Domain._xml_parse(dom_el, ParseContext(ParseFlags.LOAD_STATUS, path))
        dom = attrs.evolve(dom, devices=Devices())
        out: list[str] = []
        dom.xml_format(out, "  ", int(FormatFlags.STATUS_FILE))
        start = text.index("\n  <domain ") + 1
        end = text.index("\n  </domain>\n") + len("\n  </domain>\n")
        exp = [ln[2:] if ln.startswith("  ") else ln for ln in text[start:end].splitlines()]
        got = [ln[2:] if ln.startswith("  ") else ln for ln in "".join(out).splitlines()]
        if _outside_devices("\n".join(got)) != _outside_devices("\n".join(exp)):
            failures.append(os.path.basename(path))
    assert failures == []
