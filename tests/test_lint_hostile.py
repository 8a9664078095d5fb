"""Hostile and broken inputs through ``virtxml lint``: one error finding
each (libvirt's verdict), never a crash, in bounded time."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

from .hostile_inputs import MINIMAL_DOMAIN as BASE, billion_laughs


HOSTILE = {
    "malformed.xml": "<domain type='qemu'>\n  <name>g</name>\n  <memory>1</memor>\n</domain>\n",
    "wrong-root.xml": "<network><name>x</name></network>\n",
    "non-numeric.xml": BASE.format(extra="<vcpu>two</vcpu>"),
    "bad-enum.xml": BASE.format(extra="<on_crash>explode</on_crash>"),
    "missing-attr.xml": BASE.format(extra="<devices><graphics type='vnc'><listen/></graphics></devices>"),
    "bad-unit.xml": BASE.replace("unit='KiB'", "unit='parsecs'").format(extra=""),
    "bomb.xml": billion_laughs(),
    "xxe-file.xml": '<?xml version="1.0"?>\n<!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n'
                    "<domain type='qemu'><name>&x;</name></domain>\n",
    "xxe-http.xml": '<?xml version="1.0"?>\n<!DOCTYPE d [<!ENTITY x SYSTEM "http://127.0.0.1:9/x">]>\n'
                    "<domain type='qemu'><name>&x;</name></domain>\n",
    "binary.xml": "\x00\x01\x02\x03 not xml at all",
}


def test_hostile_inputs_one_error_each(tmp_path: Path) -> None:
    for name, text in HOSTILE.items():
        (tmp_path / name).write_text(text)
    big = tmp_path / "huge.xml"
    with open(big, "wb") as fh:
        fh.write(b"<domain type='qemu'><name>g</name><description>")
        fh.write(b"a" * (50 * 1024 * 1024))
        fh.write(b"</description></domain>")
    t0 = time.monotonic()
    p = subprocess.run([sys.executable, "-m", "virtxml", "lint", "--quiet", "--format", "json",
                        "--jobs", "2", str(tmp_path)], capture_output=True, text=True, timeout=300)
    elapsed = time.monotonic() - t0
    assert p.returncode == 1, p.stderr
    assert "Traceback" not in p.stderr
    doc = json.loads(p.stdout)
    errors: dict[str, list[dict]] = {}
    for f in doc["findings"]:
        assert f["rule"] != "internal", f
        if f["severity"] == "error":
            errors.setdefault(Path(f["file"]).name, []).append(f)
    expected = set(HOSTILE) | {"huge.xml"}
    assert set(errors) == expected, sorted(expected - set(errors))
    for name, errs in errors.items():
        assert len(errs) == 1, (name, errs)
        assert errs[0]["message"] and errs[0]["line"] >= 0
    assert "too large" in errors["huge.xml"][0]["message"]
    assert errors["wrong-root.xml"][0]["message"] == "expecting root element of 'domain', not 'network'"
    assert elapsed < 120


def test_unknown_element_is_one_schema_warning(tmp_path: Path) -> None:
    """libvirt's define ignores unknown elements; lint says so once, as a warning
    (an error with --validate, as virsh define --validate refuses it)."""
    f = tmp_path / "unknown.xml"
    f.write_text(BASE.format(extra="<frobnicate/>"))
    for extra, severity, rc in (([], "warning", 0), (["--validate"], "error", 1)):
        p = subprocess.run([sys.executable, "-m", "virtxml", "lint", "--quiet", "--format", "json", *extra,
                            str(f)], capture_output=True, text=True, timeout=120)
        assert p.returncode == rc, p.stderr
        findings = json.loads(p.stdout)["findings"]
        assert [(x["severity"], x["line"]) for x in findings] == [(severity, 7)], findings
        assert "frobnicate" in findings[0]["message"]
