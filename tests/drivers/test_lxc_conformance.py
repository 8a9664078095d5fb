"""lxcxml2xml on libvirt's corpus: every case passes."""

from __future__ import annotations

import os

import pytest

from tests.corpus_paths import need_corpus

from virtxml import conformance

from ..corpus_paths import CORPUS, corpus_available


_need_corpus = need_corpus


@pytest.mark.corpus
def test_lxcxml2xml_all_pass() -> None:
    _need_corpus()
    results = conformance.run(str(CORPUS), ["lxcxml2xml"])
    assert results, "no lxcxml2xml case in the manifest"
    bad = [(c.name, r.status, r.detail) for c, r in results if r.status != conformance.PASS]
    assert not bad, "\n".join(f"{n}: {s}: {d}" for n, s, d in bad)
