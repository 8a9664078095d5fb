"""QemuDriver.prepare_options resolves what depends only on the options
once for a run of many documents (lint, bench), and leaves what it cannot
resolve for each document to report, as before."""

from __future__ import annotations

from pathlib import Path

from drivers import get_driver
from virtxml.lint import LintOptions, lint_bytes
from virtxml.qemuconf import QemuConf

ROOT = Path(__file__).resolve().parents[2]
CAPS = f"/usr/bin/qemu-system-x86_64={ROOT / 'testdata/oracle/caps/qemu-system-x86_64.xml'}"
GUEST = (ROOT / "testdata/examples/guest.xml").read_bytes()


def test_caps_source_and_qemu_conf_resolved_once() -> None:
    given = {"qemu_caps": [CAPS]}
    prepared = get_driver("qemu").prepare_options(given)
    assert given == {"qemu_caps": [CAPS]}  # the caller's dict is not touched
    src = prepared["caps_source"]
    assert src.for_binary("/usr/bin/qemu-system-x86_64") is not None
    assert isinstance(prepared["qemu_conf"], QemuConf)


def test_documents_of_one_run_share_the_source() -> None:
    opts = LintOptions(driver="qemu", options={"qemu_caps": [CAPS]})
    assert lint_bytes(GUEST, "a.xml", opts) == []
    src = opts._run[3]["caps_source"]
    assert lint_bytes(GUEST, "b.xml", opts) == []
    assert opts._run[3]["caps_source"] is src


def test_unreadable_files_are_left_for_each_document() -> None:
    prepared = get_driver("qemu").prepare_options({"qemu_caps": ["/nonexistent.xml"], "qemu_conf": "/nonexistent"})
    assert "caps_source" not in prepared and prepared["qemu_conf"] == "/nonexistent"
    (f,) = lint_bytes(GUEST, "a.xml", LintOptions(driver="qemu", options={"qemu_caps": ["/nonexistent.xml"]}))
    assert f.message == "cannot read file: No such file or directory"
