"""The libvirt-test profile shares the per-emulator capabilities of equal
(flags, gic, host) keys; the shared objects must equal a fresh build and
linting must not change them."""

import copy
import os

import pytest

from tests.corpus_paths import CORPUS, corpus_available

needs_corpus = pytest.mark.skipif(not corpus_available() and os.environ.get("CI") != "true",
                                  reason="libvirt corpus not available")


def _caps(src):
    return {b: src.for_binary(b) for b in sorted(src._caps)}


@needs_corpus
def test_shared_caps_equal_fresh_build():
    from virtxml.caps.profile import LibvirtTestProfile

    prof = LibvirtTestProfile(str(CORPUS))
    flags = ["QEMU_CAPS_DEVICE_VIRTIO_MMIO"] if "QEMU_CAPS_DEVICE_VIRTIO_MMIO" in prof.flag_names else []
    a = prof.source_for_flags(flags, gic=2)
    b = prof.source_for_flags(flags, gic=2)
    assert a is not b
    ca, cb = _caps(a), _caps(b)
    assert all(ca[k] is cb[k] for k in ca)  # shared, not copied again
    fresh = _caps(LibvirtTestProfile(str(CORPUS)).source_for_flags(flags, gic=2))
    assert ca == fresh
    other = _caps(prof.source_for_flags(flags, gic=1))
    assert any(ca[k] != other[k] for k in ca)  # the key includes gic


@needs_corpus
def test_lint_does_not_mutate_shared_caps():
    from virtxml.caps.profile import profile
    from virtxml.lint import LintOptions, lint_bytes

    src = profile("libvirt-test", str(CORPUS)).default_source()
    before = copy.deepcopy(_caps(src))
    opts = LintOptions(driver="qemu", options={"caps_profile": "libvirt-test"})
    inputs = sorted((CORPUS / "qemuxml2argvdata").glob("*.xml"))[:40] if (CORPUS / "qemuxml2argvdata").is_dir() else []
    for p in inputs:
        lint_bytes(p.read_bytes(), str(p), opts)
    assert _caps(src) == before
