"""Where the shared corpus lives, for tests and developer tools."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = Path(os.environ.get("VIRTXML_CORPUS", ROOT.parent / "shared" / "corpus" / "libvirt-9.0.0"))


def corpus_available() -> bool:
    return (CORPUS / "manifest.json").is_file()
