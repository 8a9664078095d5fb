"""The probe cache is stale when the binary changes (ctime, size) and when
virtxml's own probe code changes (version number in <selfvers>, probe
format in <selfctime>, like libvirt's selfvers/selfctime)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import importlib

from virtxml.caps import cache_file_name, probe
from virtxml.caps.qemucaps import QemuCaps

#: the module (virtxml.caps.probe the name is the function)
probe_mod = importlib.import_module("virtxml.caps.probe")


@pytest.fixture()
def fake(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[str, str, list[int]]:
    binary = tmp_path / "qemu-system-x86_64"
    binary.write_bytes(b"\0" * 64)
    binary.chmod(0o755)
    calls: list[int] = []

    def fake_uncached(path: str, **kw: object) -> QemuCaps:
        # what probe_uncached records about the binary and about virtxml,
        # without running anything
        st = os.stat(path)
        calls.append(1)
        caps = QemuCaps(emulator=path, qemuctime=int(st.st_ctime), origin=f"probe:{path}")
        caps.binary_size = st.st_size
        caps.selfvers = probe_mod.self_version()
        caps.selfctime = probe_mod.PROBE_FORMAT
        caps.version = 7002000
        return caps

    monkeypatch.setattr(probe_mod, "probe_uncached", fake_uncached)
    cdir = str(tmp_path / "cache")
    return str(binary), cdir, calls


def _cache(binary: str, cdir: str) -> Path:
    return Path(cdir) / cache_file_name(binary)


def test_self_version_number(monkeypatch: pytest.MonkeyPatch) -> None:
    import virtxml

    monkeypatch.setattr(virtxml, "__version__", "1.12.3")
    assert probe_mod.self_version() == 1012003
    monkeypatch.setattr(virtxml, "__version__", "0.2")
    assert probe_mod.self_version() == 2000


def test_cache_records_version_and_probe_format(fake: tuple[str, str, list[int]]) -> None:
    binary, cdir, calls = fake
    probe(binary, cache_dir=cdir)
    text = _cache(binary, cdir).read_text()
    assert f"<selfvers>{probe_mod.self_version()}</selfvers>" in text
    assert f"<selfctime>{probe_mod.PROBE_FORMAT}</selfctime>" in text
    again = probe(binary, cache_dir=cdir)
    assert again.origin == str(_cache(binary, cdir)) and len(calls) == 1


@pytest.mark.parametrize("element,value", [("selfvers", 1), ("selfctime", 0)])
def test_file_of_another_virtxml_or_probe_format_is_stale(fake: tuple[str, str, list[int]], element: str,
                                                         value: int) -> None:
    binary, cdir, calls = fake
    probe(binary, cache_dir=cdir)
    path = _cache(binary, cdir)
    cur = probe_mod.self_version() if element == "selfvers" else probe_mod.PROBE_FORMAT
    path.write_text(path.read_text().replace(f"<{element}>{cur}<", f"<{element}>{value}<"))
    fresh = probe(binary, cache_dir=cdir)
    assert fresh.origin.startswith("probe:") and len(calls) == 2
    # and the rewritten file is valid again
    assert probe(binary, cache_dir=cdir).origin == str(path) and len(calls) == 2


def test_probe_format_bump_invalidates(fake: tuple[str, str, list[int]], monkeypatch: pytest.MonkeyPatch) -> None:
    binary, cdir, calls = fake
    probe(binary, cache_dir=cdir)
    monkeypatch.setattr(probe_mod, "PROBE_FORMAT", probe_mod.PROBE_FORMAT + 1)
    assert probe(binary, cache_dir=cdir).origin.startswith("probe:") and len(calls) == 2


def test_binary_size_change_invalidates(fake: tuple[str, str, list[int]]) -> None:
    binary, cdir, calls = fake
    probe(binary, cache_dir=cdir)
    path = _cache(binary, cdir)
    size = os.stat(binary).st_size
    path.write_text(path.read_text().replace(f"<binarySize>{size}<", f"<binarySize>{size + 1}<"))
    assert probe(binary, cache_dir=cdir).origin.startswith("probe:") and len(calls) == 2
