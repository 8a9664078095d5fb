"""Capability readers, sources, probe and the libvirt-test profile."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.corpus_paths import CORPUS, corpus_available
from virtxml.caps import (CapsError, CapsSource, cache_file_name, caps_probe_main, format_qemu_caps,
                          order_machines, parse_domain_caps, parse_host_caps, parse_qemu_caps,
                          probe, profile)
from virtxml.caps.probe import parse_machine_help
from virtxml.caps.qemucaps import MachineType

TESTDATA = Path(__file__).resolve().parents[2] / "testdata" / "caps"
needs_corpus = pytest.mark.skipif(not corpus_available() and os.environ.get("CI") != "true",
                                  reason="corpus not available")


@needs_corpus
def test_every_corpus_qemu_caps_file_round_trips() -> None:
    files = sorted((CORPUS / "qemucapabilitiesdata").glob("caps_*.xml"))
    assert len(files) >= 29
    for f in files:
        caps = parse_qemu_caps(str(f))
        assert caps.arch and caps.version > 0 and caps.has("tcg")
        assert caps.machines("qemu"), f
        assert format_qemu_caps(caps) == f.read_text(), f


@needs_corpus
def test_machine_queries_on_real_caps() -> None:
    caps = parse_qemu_caps(str(CORPUS / "qemucapabilitiesdata" / "caps_7.2.0.x86_64.xml"))
    assert caps.preferred_machine("kvm") == "pc-i440fx-7.2"
    assert caps.canonical_machine("kvm", "q35") == "pc-q35-7.2"
    assert caps.canonical_machine("kvm", "pc-q35-2.7") == "pc-q35-2.7"
    assert caps.canonical_machine("kvm", "nonsense") == "nonsense"
    assert caps.is_machine_supported("kvm", "pc-q35-7.2")
    assert not caps.is_machine_supported("kvm", "q35")  # aliases are not accepted
    assert caps.machine_max_cpus("kvm", "q35") == 288
    assert caps.is_arch_supported("i686") and not caps.is_arch_supported("aarch64")


@needs_corpus
def test_host_and_domain_caps() -> None:
    host = parse_host_caps(str(CORPUS / "capabilityschemadata" / "caps-qemu-kvm.xml"))
    assert host.host_arch == "x86_64"
    g = host.lookup(os_type="hvm", arch="i686", virt_type="kvm")
    assert g is not None and g.emulator_for("kvm") == "/usr/bin/qemu-system-i386"
    assert any(m.canonical == "pc-0.11" and m.name == "pc" for m in g.machines)
    assert host.lookup(os_type="hvm", arch="nonexistent") is None
    assert HostCapsMsg() == "could not find capabilities for arch=sparc domaintype=kvm "
    for f in (CORPUS / "vircaps2xmldata").glob("*.xml"):
        assert parse_host_caps(str(f)).host_arch
    dc = parse_domain_caps(str(CORPUS / "domaincapsdata" / "qemu_8.0.0-q35.x86_64.xml"))
    assert dc.path == "/usr/bin/qemu-system-x86_64" and dc.machine == "pc-q35-8.0"
    assert dc.vcpu_max == 288
    assert "virtio" in dc.device_enum("disk", "bus")
    assert dc.cpu_mode("host-passthrough") is not None and dc.feature_supported("genid")
    for f in (CORPUS / "domaincapsdata").glob("*.xml"):
        parse_domain_caps(str(f))


def HostCapsMsg() -> str:
    from virtxml.caps.hostcaps import HostCaps

    return HostCaps.lookup_error(os_type="hvm", arch="sparc", virt_type="kvm")


def test_wrong_root_is_refused() -> None:
    with pytest.raises(CapsError):
        parse_qemu_caps("<capabilities/>")


def test_source_by_emulator_explicit_and_folder(tmp_path: Path) -> None:
    src = CapsSource(files=[str(TESTDATA / "custom-aarch64.xml")])
    caps = src.for_binary("/home/user/qemu/bin/qemu-system-aarch64")
    assert caps is not None and caps.preferred_machine("qemu") == "virt-8.1"
    assert src.for_binary("/usr/bin/qemu-system-aarch64") is None
    # explicit binary for a file
    src.add(f"/somewhere/else/qemu={TESTDATA / 'custom-x86_64.xml'}")
    assert src.for_binary("/somewhere/else/qemu").arch == "x86_64"
    # folder named as libvirt names cache files
    d = tmp_path / "capabilities"
    d.mkdir()
    shutil.copy(TESTDATA / "custom-x86_64.xml", d / cache_file_name("/opt/qemu/bin/qemu-system-x86_64"))
    src2 = CapsSource(dirs=[str(d)])
    c2 = src2.for_binary("/opt/qemu/bin/qemu-system-x86_64")
    assert c2 is not None and c2.preferred_machine("kvm") == "pc-q35-6.0"
    assert src2.for_binary("/usr/bin/qemu-system-x86_64") is None


def test_cache_file_name_is_sha256_of_path() -> None:
    import hashlib

    assert cache_file_name("/usr/bin/qemu-system-x86_64") == (
        hashlib.sha256(b"/usr/bin/qemu-system-x86_64").hexdigest() + ".xml")


def test_preferred_machine_ordering() -> None:
    ms = [MachineType(name="none"), MachineType(name="microvm"),
          MachineType(name="pc-i440fx-7.2", alias="pc", default=True),
          MachineType(name="pc-q35-7.2", alias="q35")]
    assert [m.name for m in order_machines(ms, "x86_64")] == ["pc-i440fx-7.2", "microvm", "pc-q35-7.2"]
    ms = [MachineType(name="a"), MachineType(name="b", default=True)]
    assert [m.name for m in order_machines(ms, "aarch64")] == ["b", "a"]
    assert [m.name for m in order_machines(ms[:1], "aarch64")] == ["a"]


def test_machine_help_parsing() -> None:
    text = ("Supported machines are:\nmicrovm              microvm (i386)\n"
            "pc                   Standard PC (i440FX + PIIX, 1996) (alias of pc-i440fx-7.2)\n"
            "pc-i440fx-7.2        Standard PC (i440FX + PIIX, 1996) (default)\n"
            "q35                  Standard PC (Q35 + ICH9, 2009) (alias of pc-q35-7.2)\n"
            "pc-q35-7.2           Standard PC (Q35 + ICH9, 2009)\nnone                 empty machine\n")
    ms = {m.name: m for m in parse_machine_help(text)}
    assert ms["pc-i440fx-7.2"].alias == "pc" and ms["pc-i440fx-7.2"].default
    assert ms["pc-q35-7.2"].alias == "q35"
    assert order_machines(list(ms.values()), "x86_64")[0].name == "pc-i440fx-7.2"


@needs_corpus
def test_libvirt_test_profile() -> None:
    p = profile("libvirt-test")
    src = p.for_case({"kind": "none"})
    arm = src.for_binary("/usr/bin/qemu-system-arm")
    assert arm.arch == "armv7l" and [m.name for m in arm.machines("kvm")] == ["vexpress-a9", "virt"]
    assert arm.has("kvm") and arm.has("tcg") and not arm.has("gpex-pcihost")
    assert src.default_emulator("i686") == "/usr/bin/qemu-system-i386"
    assert src.default_emulator("ppc64le") is None
    fl = p.for_case({"kind": "flags", "flags": ["QEMU_CAPS_OBJECT_GPEX"]})
    assert fl.for_binary("/usr/bin/qemu-system-aarch64").has("gpex-pcihost")
    real = p.for_case({"kind": "real", "arch": "x86_64", "version": "latest",
                       "file": "qemucapabilitiesdata/caps_8.0.0.x86_64.xml"})
    x86 = real.for_binary("/usr/bin/qemu-system-x86_64")
    assert x86.canonical_machine("kvm", "pc") == "pc"  # aliases stripped for latest
    assert x86.find_machine("kvm", "pc").default_cpu == "qemu64-x86_64-cpu"
    assert not real.for_binary("/usr/bin/qemu-system-aarch64").has_machines()
    ver = p.for_case({"kind": "real", "arch": "x86_64", "version": "7.0.0",
                      "file": "qemucapabilitiesdata/caps_7.0.0.x86_64.xml"})
    assert ver.for_binary("/usr/bin/qemu-system-x86_64").canonical_machine("kvm", "pc") == "pc-i440fx-7.0"
    ppc = p.for_case({"kind": "real", "arch": "ppc64", "version": "latest",
                      "file": "qemucapabilitiesdata/caps_7.1.0.ppc64.xml"})
    assert ppc.for_binary("/usr/bin/qemu-system-ppc64").arch == "ppc64"
    gic = p.for_case({"kind": "full"}, ["\"\"", "WHEN_BOTH", "ARG_GIC", "GIC_V3", "ARG_END"])
    assert [g.version for g in gic.for_binary("/usr/bin/qemu-system-aarch64").gic] == [3]


def test_profile_unavailable_without_facts(tmp_path: Path) -> None:
    from virtxml.caps.profile import LibvirtTestProfile

    with pytest.raises(CapsError, match="unavailable"):
        LibvirtTestProfile(str(tmp_path))


QEMU = "/usr/bin/qemu-system-x86_64"
needs_qemu = pytest.mark.skipif(not os.access(QEMU, os.X_OK) and os.environ.get("CI") != "true",
                                reason="no QEMU installed")


@needs_qemu
def test_probe_matches_what_the_binary_reports(tmp_path: Path) -> None:
    caps = probe(QEMU, cache_dir=str(tmp_path))
    out = subprocess.run([QEMU, "-machine", "help"], capture_output=True, text=True, check=True).stdout
    reported = {m.name: m for m in parse_machine_help(out)}
    names = {m.name for m in caps.machines("qemu")}
    assert names == set(reported) - {"none"}
    qdefault = next(m.name for m in reported.values() if m.default)
    assert next(m.name for m in caps.machines("qemu") if m.default) == qdefault
    for m in caps.machines("qemu"):
        assert m.alias == reported[m.name].alias
    # libvirt's preferred x86 machine ('pc') comes first
    assert caps.machines("qemu")[0].alias == "pc"
    ver = subprocess.run([QEMU, "-version"], capture_output=True, text=True, check=True).stdout
    major, minor = ver.split("version ")[1].split(".")[:2]
    assert caps.version // 1000 == int(major) * 1000 + int(minor)
    # cached: the file exists and is reused; a changed ctime invalidates it
    cached = tmp_path / cache_file_name(QEMU)
    assert cached.exists()
    again = probe(QEMU, cache_dir=str(tmp_path))
    assert again.origin == str(cached)
    text = cached.read_text().replace(f"<qemuctime>{caps.qemuctime}<", "<qemuctime>1<")
    cached.write_text(text)
    third = probe(QEMU, cache_dir=str(tmp_path))
    assert third.origin.startswith("probe:") and third.qemuctime == caps.qemuctime


@needs_qemu
def test_caps_probe_main(tmp_path: Path) -> None:
    out = tmp_path / "x.xml"
    assert caps_probe_main([QEMU, "-o", str(out), "--cache-dir", str(tmp_path / "c")]) == 0
    assert parse_qemu_caps(str(out)).emulator == QEMU
    assert caps_probe_main(["/nonexistent/qemu", "--cache-dir", str(tmp_path)]) == 2


def test_cli_helpers(tmp_path: Path, capsys) -> None:
    import argparse

    from virtxml.caps.cli import add_arguments, caps_main, driver_options, parse_flags

    ap = argparse.ArgumentParser()
    add_arguments(ap)
    ns = ap.parse_args(["--qemu-caps", str(TESTDATA / "custom-x86_64.xml"), "--no-probe",
                        "--allow-post-parse-fail"])
    opts = driver_options(ns)
    assert opts["caps_source"].for_binary("/opt/qemu/bin/qemu-system-x86_64").arch == "x86_64"
    assert parse_flags(ns) == 1 << 11
    assert caps_main(["show", str(TESTDATA / "custom-x86_64.xml")]) == 0
    out = capsys.readouterr().out
    assert "pc-q35-6.0  (preferred, alias q35)" in out and "version: 6.0.0" in out
    assert caps_main(["bogus"]) == 2


def test_qapi_schema_paths() -> None:
    """libvirt's QAPI path notation: members, +variant, ^enum value, $feature."""
    from virtxml.caps.probe import qapi_has

    schema = [
        {"name": "blockdev-snapshot", "meta-type": "command", "arg-type": "1",
         "features": ["allow-write-only-overlay"]},
        {"name": "screendump", "meta-type": "command", "arg-type": "2"},
        {"name": "2", "meta-type": "object", "members": [{"name": "format", "type": "3"}]},
        {"name": "3", "meta-type": "enum", "values": ["ppm", "png"]},
        {"name": "query-display-options", "meta-type": "command", "ret-type": "4"},
        {"name": "4", "meta-type": "object", "members": [{"name": "type", "type": "5"}],
         "tag": "type", "variants": [{"case": "sdl", "type": "6"}]},
        {"name": "6", "meta-type": "object", "members": []},
    ]
    assert qapi_has(schema, "blockdev-snapshot/$allow-write-only-overlay")
    assert not qapi_has(schema, "blockdev-snapshot/$other")
    assert qapi_has(schema, "screendump/arg-type/format/^png")
    assert not qapi_has(schema, "screendump/arg-type/format/^jpeg")
    assert qapi_has(schema, "query-display-options/ret-type/+sdl")
    assert not qapi_has(schema, "query-display-options/ret-type/+gtk")
