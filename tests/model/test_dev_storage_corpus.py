"""Corpus check of the storage/host device elements (disk, controller,
lease, filesystem, hostdev, redirdev, redirfilter, smartcard, hub): every
such element of libvirt's formatted outputs binds and formats to the same
bytes, nothing is ignored, and the corpus inputs bind with nothing ignored
(or fail with libvirt's own error text)."""

from __future__ import annotations

import os

import pytest

from tests.corpus_paths import corpus_available

pytestmark = pytest.mark.skipif(not corpus_available() and os.environ.get("CI") != "true",
                                reason="corpus not available")


@pytest.fixture(scope="module")
def result() -> dict:
    from tests.model.storage_corpus_check import TAGS, check

    return check(TAGS, verbose=False)


def test_outputs_are_fixpoints(result: dict) -> None:
    assert result["elements"] > 4000
    assert not result["errors"], result["errors"][:5]
    assert not result["diffs"], result["diffs"][:10]
    assert result["identical"] == result["elements"]


def test_outputs_json_round_trip(result: dict) -> None:
    assert not result.get("json_diffs"), result.get("json_diffs", [])[:5]


def test_outputs_nothing_ignored(result: dict) -> None:
    assert not result["ignored"], result["ignored"].most_common(10)


def test_inputs_bind(result: dict) -> None:
    assert result["input_elements"] > 3000
    assert not result["input_errors"], result["input_errors"][:5]
    assert not result["input_ignored"], result["input_ignored"].most_common(10)
    # libvirt refuses these at parse time; we must too, with its text
    assert len(result["input_expected_errors"]) >= 5
