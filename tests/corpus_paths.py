"""Where the shared corpus lives, for tests and developer tools."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = Path(os.environ.get("VIRTXML_CORPUS", ROOT.parent / "shared" / "corpus" / "libvirt-9.0.0"))


def corpus_available() -> bool:
    return (CORPUS / "manifest.json").is_file()


def need_corpus() -> None:
    """Skip a test without the corpus — but in CI (CI=true) a missing corpus
    is a failure, never a skip."""
    import pytest

    if not corpus_available():
        if os.environ.get("CI") == "true":
            pytest.fail(f"corpus missing at {CORPUS}")
        pytest.skip("corpus not available")
