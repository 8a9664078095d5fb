"""Bad input is normal input: each kind gets a clear error naming the file,
the line and the offending element or attribute — never a traceback, never
file or network access from inside a document."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

import virtxml
from virtxml.errors import VirtXMLError, XMLSecurityError, XMLSyntaxError
from virtxml.lint import LintOptions, lint_bytes

from .hostile_inputs import MINIMAL_DOMAIN as MINIMAL, billion_laughs


def _parse_error(text: str) -> VirtXMLError:
    with pytest.raises(VirtXMLError) as ei:
        virtxml.parse(text.encode(), driver="test", file="bad.xml")
    return ei.value


def _lint(text: str) -> list:
    return lint_bytes(text.encode(), "bad.xml", LintOptions())


def test_not_well_formed_names_file_and_line():
    err = _parse_error("<domain type='qemu'>\n  <name>g</name>\n  <memory>1</memor>\n</domain>\n")
    assert isinstance(err, XMLSyntaxError)
    assert err.file == "bad.xml" and err.line == 3
    assert "memor" in err.message


def test_wrong_root_element_has_libvirt_text():
    err = _parse_error("<network><name>x</name></network>")
    assert err.message == "expecting root element of 'domain', not 'network'"
    assert err.line == 1


def test_unknown_element_is_reported_by_lint_with_line():
    findings = _lint(MINIMAL.format(extra="<frobnicate/>"))
    assert findings, "an unknown element must be reported"
    assert any(f.line == 7 and "frobnicate" in f.message for f in findings), findings


def test_bad_enum_value_libvirt_text():
    err = _parse_error(MINIMAL.format(extra="<devices><disk type='file' device='floppy-drive'>"
                                      "<source file='/a'/><target dev='fda'/></disk></devices>"))
    assert err.message == "Invalid value for attribute 'device' in element 'disk': 'floppy-drive'."
    assert err.line == 7


def test_missing_required_attribute_libvirt_text():
    err = _parse_error(MINIMAL.format(extra="<devices><graphics type='vnc'><listen/></graphics></devices>"))
    assert err.message == "Missing required attribute 'type' in element 'listen'"
    assert err.line == 7


def test_non_numeric_number():
    err = _parse_error(MINIMAL.format(extra="<vcpu>two</vcpu>"))
    assert err.message == "maximum vcpus count must be an integer"
    assert err.line == 7


def test_memory_unknown_unit():
    err = _parse_error(MINIMAL.replace("unit='KiB'", "unit='lightyears'").format(extra=""))
    assert err.message == "unknown suffix 'lightyears'"
    assert err.line == 3


def test_billion_laughs_refused_fast():
    bomb = billion_laughs()
    t0 = time.monotonic()
    with pytest.raises(XMLSecurityError):
        virtxml.parse(bomb.encode())
    assert time.monotonic() - t0 < 2


@pytest.mark.parametrize("system_id", ["file:///etc/passwd", "http://127.0.0.1:9/x.dtd"])
def test_external_entities_refused_without_access(system_id, tmp_path):
    doc = (f'<?xml version="1.0"?>\n<!DOCTYPE domain [<!ENTITY x SYSTEM "{system_id}">]>\n'
           "<domain type='qemu'><name>&x;</name></domain>\n")
    with pytest.raises(XMLSecurityError) as ei:
        virtxml.parse(doc.encode())
    assert ei.value.line == 2
    assert "root:" not in str(ei.value)


def test_external_dtd_reference_refused():
    doc = '<?xml version="1.0"?>\n<!DOCTYPE domain SYSTEM "http://127.0.0.1:9/d.dtd">\n<domain/>'
    with pytest.raises(XMLSecurityError):
        virtxml.parse(doc.encode())


def test_fifty_megabyte_document_refused_quickly():
    big = b"<domain type='qemu'><name>g</name><description>" + b"a" * (50 * 1024 * 1024) + b"</description></domain>"
    t0 = time.monotonic()
    with pytest.raises(XMLSecurityError) as ei:
        virtxml.parse(big)
    assert "too large" in ei.value.message
    assert time.monotonic() - t0 < 5


def test_cli_never_prints_a_traceback(tmp_path: Path):
    cases = {
        "malformed.xml": "<domain><name>",
        "root.xml": "<network/>",
        "bomb.xml": '<!DOCTYPE d [<!ENTITY a "aaaa">]><domain>&a;</domain>',
        "binary.xml": "\x00\x01\x02garbage",
        "enum.xml": MINIMAL.format(extra="<on_crash>explode</on_crash>"),
    }
    for name, text in cases.items():
        (tmp_path / name).write_text(text)
    for cmd in (["lint"], ["convert"]):
        for name in cases:
            p = subprocess.run([sys.executable, "-m", "virtxml", *cmd, str(tmp_path / name)],
                               capture_output=True, text=True, timeout=60)
            assert "Traceback" not in p.stderr + p.stdout, (cmd, name, p.stderr)
            assert p.returncode in (1, 2), (cmd, name, p.returncode, p.stderr)
            assert name in (p.stdout + p.stderr), (cmd, name, p.stdout, p.stderr)
    p = subprocess.run([sys.executable, "-m", "virtxml", "lint", str(tmp_path / "missing.xml")],
                       capture_output=True, text=True, timeout=60)
    assert p.returncode == 2 and "Traceback" not in p.stderr
