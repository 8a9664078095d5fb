"""Every script in examples/ runs; the q35 example passes lint with the QEMU
driver and the QEMU 7.2 x86_64 capabilities of the corpus."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.corpus_paths import CORPUS, corpus_available, need_corpus
from virtxml.lint import LintOptions, lint_bytes

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "examples").glob("*.py"))
CAPS = CORPUS / "qemucapabilitiesdata" / "caps_7.2.0.x86_64.xml"


_need_corpus = need_corpus


@pytest.mark.parametrize("script", EXAMPLES, ids=[p.name for p in EXAMPLES])
def test_example_runs(script: Path) -> None:
    _need_corpus()
    p = subprocess.run([sys.executable, str(script), str(CAPS)], capture_output=True, text=True,
                       timeout=120, cwd=ROOT)
    assert p.returncode == 0, p.stderr
    assert p.stdout.strip()


def test_q35_example_is_short_and_lints_clean() -> None:
    _need_corpus()
    script = ROOT / "examples" / "q35_guest.py"
    assert len(script.read_text().splitlines()) < 25
    out = subprocess.run([sys.executable, str(script), str(CAPS)], capture_output=True, timeout=120,
                         check=True).stdout
    assert b"machine='pc-q35-7.2'" in out and b"<graphics type='vnc'" in out
    assert b"bus='virtio'" in out and b"<console type='pty'>" in out
    opts = LintOptions(driver="qemu", options={"qemu_caps": [f"/usr/bin/qemu-system-x86_64={CAPS}"]})
    assert lint_bytes(out, "q35.xml", opts) == []
