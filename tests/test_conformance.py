"""The conformance runner on libvirt's corpus, and on small synthetic
corpora (so that the runner's own logic is checked without the corpus)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import orjson
import pytest

from tests.corpus_paths import need_corpus

from virtxml import conformance

from .corpus_paths import CORPUS, ROOT, corpus_available


_need_corpus = need_corpus


@pytest.mark.corpus
def test_genericxml2xml_all_pass() -> None:
    _need_corpus()
    results = conformance.run(str(CORPUS), ["genericxml2xml"])
    assert results, "no genericxml2xml case in the manifest"
    bad = [(c.name, r.status, r.detail) for c, r in results if r.status != conformance.PASS]
    assert not bad, "\n".join(f"{n}: {s}: {d}" for n, s, d in bad)


MINI = """<domain type='qemu'>
  <name>{name}</name>
  <uuid>c7a5fdbd-edaf-9455-926a-d65c16db1809</uuid>
  <memory unit='KiB'>219136</memory>
  <currentMemory unit='KiB'>219136</currentMemory>
  <vcpu placement='static'>1</vcpu>
  <os>
    <type arch='i686' machine='pc'>hvm</type>
    <boot dev='hd'/>
  </os>
  <on_poweroff>destroy</on_poweroff>
  <on_reboot>restart</on_reboot>
  <on_crash>destroy</on_crash>
  <devices>
  </devices>
</domain>
"""


def _make_corpus(tmp_path: Path) -> Path:
    """A corpus with the same layout: one good case, one wrong expected
    output, one refused input (with and without an error file), one case
    of an unknown suite.  The names are deliberately misleading: the
    runner must judge by manifest fields and files only."""
    (tmp_path / "in").mkdir()
    (tmp_path / "out").mkdir()
    good = MINI.format(name="vm")
    (tmp_path / "in" / "a.xml").write_text(good)
    from virtxml import api

    dom = api.parse(good, driver="generic")
    (tmp_path / "out" / "a.xml").write_text(api.format(dom, 1))
    (tmp_path / "out" / "wrong.xml").write_text(api.format(dom, 1).replace("vm", "other"))
    (tmp_path / "in" / "slash.xml").write_text(MINI.format(name="a/b"))
    (tmp_path / "in" / "slash.err").write_text("XML error: name a/b cannot contain '/'\n")
    (tmp_path / "in" / "slash-bad.err").write_text("XML error: something else\n")
    manifest = [
        {"suite": "genericxml2xml", "name": "fail-me", "input": "in/a.xml",
         "expected": {"active": "out/a.xml"}},
        {"suite": "genericxml2xml", "name": "pass-me", "input": "in/a.xml",
         "expected": {"active": "out/wrong.xml"}},
        {"suite": "genericxml2xml", "name": "ok", "input": "in/slash.xml", "expected": {},
         "expect": "parse-error", "when": "active", "error": "in/slash.err"},
        {"suite": "genericxml2xml", "name": "ok2", "input": "in/slash.xml", "expected": {},
         "expect": "parse-error", "when": "active", "error": "in/slash-bad.err"},
        {"suite": "genericxml2xml", "name": "ok3", "input": "in/a.xml", "expected": {},
         "expect": "parse-error", "when": "inactive"},
        {"suite": "nosuchsuite", "name": "x", "input": "in/a.xml", "expected": {"active": "out/a.xml"}},
    ]
    (tmp_path / "manifest.json").write_bytes(orjson.dumps(manifest))
    return tmp_path


def test_runner_judges_by_files_not_names(tmp_path: Path) -> None:
    root = _make_corpus(tmp_path)
    res = {c.name: r.status for c, r in conformance.run(str(root))}
    assert res == {"fail-me": "pass", "pass-me": "fail", "ok": "pass", "ok2": "fail", "ok3": "fail",
                   "x": "unsupported"}


def test_runner_cli_json_and_summary(tmp_path: Path) -> None:
    root = _make_corpus(tmp_path)
    proc = subprocess.run([sys.executable, "-m", "virtxml.conformance", str(root), "--json"],
                          capture_output=True, cwd=ROOT, timeout=300)
    assert proc.returncode == 0, proc.stderr
    lines = [json.loads(x) for x in proc.stdout.decode().splitlines()]
    assert {tuple(sorted(x)) for x in lines} == {("detail", "name", "status", "suite")}
    assert len(lines) == 6
    summary = proc.stderr.decode().splitlines()
    assert "genericxml2xml: 2/5 passed (3 fail)" in summary
    assert "nosuchsuite: 0/1 passed (1 unsupported)" in summary


def test_runner_cli_suite_filter(tmp_path: Path) -> None:
    root = _make_corpus(tmp_path)
    proc = subprocess.run([sys.executable, "-m", "virtxml.conformance", str(root), "--suite", "nosuchsuite"],
                          capture_output=True, cwd=ROOT, timeout=300)
    assert proc.returncode == 0
    assert proc.stdout.decode().splitlines() == ["nosuchsuite: 0/1 passed (1 unsupported)"]


def test_runner_bad_manifest(tmp_path: Path) -> None:
    assert conformance.main([str(tmp_path)]) == 2


def test_error_matches_prefixes() -> None:
    assert conformance.error_matches("XML error: boom\n", "boom")
    assert conformance.error_matches("boom", "boom")
    assert conformance.error_matches("unsupported configuration: a: b", "a: b")
    assert not conformance.error_matches("XML error: boom", "boo")


def test_register_suite_is_one_function(tmp_path: Path) -> None:
    root = _make_corpus(tmp_path)

    @conformance.register_suite("nosuchsuite")
    def _h(case: conformance.Case) -> conformance.Result:
        return conformance.Result(conformance.PASS, case.get("input"))

    try:
        res = {c.name: r.status for c, r in conformance.run(str(root), ["nosuchsuite"])}
        assert res == {"x": "pass"}
    finally:
        del conformance.SUITES["nosuchsuite"]


def test_plugins_register_driver_suites() -> None:
    import importlib.util

    conformance.load_plugins()
    for name in __import__("drivers").list_drivers():
        mod = f"drivers.{name}.conformance_suites"
        try:
            found = importlib.util.find_spec(mod) is not None
        except ModuleNotFoundError:
            found = False
        if found:
            assert any(fn.__module__ == mod for fn in conformance.SUITES.values()), mod


@pytest.mark.corpus
def test_rerun_post_parse_is_a_no_op_on_genericxml2xml() -> None:
    """Re-running post-parse (what libvirt does before starting a guest
    whose post-parse failed) changes nothing on a completed definition."""
    _need_corpus()
    from drivers import get_driver
    from postparse import rerun_post_parse
    from virtxml import api

    drv = get_driver("generic")
    parse = conformance.make_parse(drv, ctx_data={"host_arch": "x86_64"})
    n = 0
    for case in conformance.load_manifest(str(CORPUS)):
        if case.suite != "genericxml2xml" or case.get("expect"):
            continue
        dom = parse(case.read(case.get("input")), 0, case.path(case.get("input")))
        before = api.format(dom, 1)
        rerun_post_parse(dom, drv)
        assert api.format(dom, 1) == before, case.get("input")
        n += 1
    assert n > 0
