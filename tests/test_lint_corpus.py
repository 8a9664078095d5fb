"""Lint verdicts over the corpus.

* ``virtxml lint --schema-only``: no input libvirt's schema accepts is
  refused; at least 95% of those it refuses are refused (foundation issue).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from tests.corpus_paths import CORPUS, corpus_available


def _need_corpus() -> None:
    if not corpus_available():
        if os.environ.get("CI") == "true":
            pytest.fail(f"corpus missing at {CORPUS}")
        pytest.skip("corpus not available")


@pytest.mark.corpus
def test_schema_only_verdicts_match_libvirts_schema(tmp_path) -> None:
    _need_corpus()
    manifest = json.loads((CORPUS / "manifest.json").read_text())
    verdict: dict[str, bool] = {}
    for case in manifest:
        if "libvirt_rng_valid" in case:
            verdict[str(CORPUS / case["input"])] = case["libvirt_rng_valid"]
    files = sorted(verdict)
    listing = tmp_path / "files"
    p = subprocess.run([sys.executable, "-m", "virtxml", "lint", "--schema-only", "--quiet",
                        "--format", "json", "--jobs", "2", *files],
                       capture_output=True, text=True, timeout=900)
    assert p.returncode in (0, 1), p.stderr
    doc = json.loads(p.stdout)
    refused = {f["file"] for f in doc["findings"] if f["severity"] == "error"}
    wrongly_refused = sorted(f for f in files if verdict[f] and f in refused)
    assert not wrongly_refused, wrongly_refused
    invalid = [f for f in files if not verdict[f]]
    caught = [f for f in invalid if f in refused]
    assert len(caught) >= 0.95 * len(invalid), sorted(set(invalid) - set(caught))
    del listing
