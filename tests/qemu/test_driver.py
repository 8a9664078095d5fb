"""QEMU driver: per-emulator capabilities, machine defaulting, non-fatal
post-parse failure, and conformance thresholds on libvirt's corpus."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from postparse import engine
from tests.corpus_paths import CORPUS, corpus_available
from virtxml import api
from virtxml.caps import CapsSource
from virtxml.errors import PostParseTolerableError, ValidationError
from virtxml.flags import FormatFlags, ParseFlags

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "testdata" / "qemu"
CAPS = ROOT / "testdata" / "caps"
INACTIVE = FormatFlags.SECURE | FormatFlags.INACTIVE


def _source() -> CapsSource:
    return CapsSource(files=[str(CAPS / "custom-aarch64.xml"), str(CAPS / "custom-x86_64.xml")])


def _machine(dom) -> str:
    return dom.os.type.machine


@pytest.mark.parametrize("name", ["custom-aarch64", "custom-x86_64", "custom-x86_64-alias"])
def test_custom_emulator_goldens(name: str) -> None:
    dom = api.parse(str(DATA / f"{name}.xml"), driver="qemu", options={"caps_source": _source()})
    assert api.format(dom, INACTIVE) == (DATA / f"{name}.out.xml").read_text()


def test_machine_comes_from_the_named_binary() -> None:
    src = _source()
    aarch = api.parse(str(DATA / "custom-aarch64.xml"), driver="qemu", options={"caps_source": src})
    assert _machine(aarch) == "virt-8.1"  # first machine of the custom binary's tcg list
    x86 = api.parse(str(DATA / "custom-x86_64.xml"), driver="qemu", options={"caps_source": src})
    assert _machine(x86) == "pc-q35-6.0"  # the custom binary prefers q35, not the host's pc
    alias = api.parse(str(DATA / "custom-x86_64-alias.xml"), driver="qemu", options={"caps_source": src})
    assert _machine(alias) == "pc-i440fx-6.0"  # alias canonicalised with the custom list


def test_missing_caps_is_tolerable_with_allow_post_parse_fail() -> None:
    src = CapsSource()
    flags = ParseFlags.ALLOW_POST_PARSE_FAIL | ParseFlags.SKIP_VALIDATE | ParseFlags.INACTIVE
    dom = api.parse(str(DATA / "custom-aarch64.xml"), driver="qemu", flags=flags,
                    options={"caps_source": src})
    assert dom.post_parse_failed
    assert "Cannot check QEMU binary /home/user/qemu/bin/qemu-system-aarch64" in str(dom.post_parse_error)
    assert _machine(dom) is None  # nothing filled in without capabilities
    # without the flag, the same failure is an error with libvirt's text
    with pytest.raises(PostParseTolerableError) as ei:
        api.parse(str(DATA / "custom-aarch64.xml"), driver="qemu", options={"caps_source": src})
    assert ei.value.message == ("Cannot check QEMU binary /home/user/qemu/bin/qemu-system-aarch64: "
                                "No such file or directory")


def test_rerun_post_parse_makes_the_failure_fatal_then_succeeds_with_caps() -> None:
    from drivers import get_driver

    drv = get_driver("qemu")
    flags = ParseFlags.LOAD_CONFIG
    dom = api.parse(str(DATA / "custom-aarch64.xml"), driver=drv, flags=flags,
                    options={"caps_source": CapsSource()})
    assert dom.post_parse_failed
    with pytest.raises(PostParseTolerableError):
        engine.rerun_post_parse(dom, drv, {"caps_source": CapsSource()})
    engine.rerun_post_parse(dom, drv, {"caps_source": _source()})
    assert not dom.post_parse_failed and _machine(dom) == "virt-8.1"


def test_no_emulator_for_arch_is_tolerable() -> None:
    xml = (DATA / "custom-aarch64.xml").read_text().replace(
        "    <emulator>/home/user/qemu/bin/qemu-system-aarch64</emulator>\n", "").replace(
        "arch='aarch64'", "arch='sparc64'")
    src = CapsSource(existing_binaries=[], search_path=["/usr/bin"])
    with pytest.raises(PostParseTolerableError) as ei:
        api.parse(xml, driver="qemu", options={"caps_source": src})
    assert ei.value.message == "No emulator found for arch 'sparc64'"
    dom = api.parse(xml, driver="qemu", flags=ParseFlags.LOAD_CONFIG, options={"caps_source": src})
    assert dom.post_parse_failed and dom.devices.emulator is None


def test_validation_uses_the_named_binary() -> None:
    xml = (DATA / "custom-x86_64.xml").read_text().replace("<type arch='x86_64'>",
                                                           "<type arch='x86_64' machine='pc-q35-8.0'>")
    with pytest.raises(ValidationError) as ei:
        api.parse(xml, driver="qemu", options={"caps_source": _source()})
    assert ei.value.message == ("Emulator '/opt/qemu/bin/qemu-system-x86_64' does not support machine "
                                "type 'pc-q35-8.0'")
    arm = (DATA / "custom-aarch64.xml").read_text().replace("type='qemu'", "type='kvm'")
    from virtxml.errors import PostParseError

    with pytest.raises(PostParseError) as pe:  # the binary has no kvm machines
        api.parse(arm, driver="qemu", options={"caps_source": _source()})
    assert pe.value.message == ("could not get preferred machine for "
                                "/home/user/qemu/bin/qemu-system-aarch64 type=kvm")
    arm = arm.replace("<type arch='aarch64'>", "<type arch='aarch64' machine='virt-8.0'>")
    with pytest.raises(ValidationError) as ei:
        api.parse(arm, driver="qemu", options={"caps_source": _source()})
    assert ei.value.message == ("Emulator '/home/user/qemu/bin/qemu-system-aarch64' does not support "
                                "virt type 'kvm'")


needs_corpus = pytest.mark.skipif(not corpus_available() and os.environ.get("CI") != "true",
                                  reason="corpus not available")


def _run(suite: str):
    from virtxml import conformance as conf

    import drivers.qemu.conformance_suites  # noqa: F401  (registers the suites)

    cases = [c for c in conf.load_manifest(str(CORPUS)) if c.suite == suite]
    return [(c, conf.run_case(c)) for c in cases]


@needs_corpus
@pytest.mark.corpus
def test_qemuxml2xml_pass_rate() -> None:
    res = _run("qemuxml2xml")
    passed = sum(1 for _c, r in res if r.status == "pass")
    assert res and passed / len(res) >= 0.90, [(c.name, r.detail) for c, r in res if r.status != "pass"]


@needs_corpus
@pytest.mark.corpus
def test_qemuxml2argv_error_parse_errors_refused_with_libvirts_text() -> None:
    res = [(c, r) for c, r in _run("qemuxml2argv-error") if c.get("expect") == "parse-error"]
    passed = sum(1 for _c, r in res if r.status == "pass")
    assert res and passed / len(res) >= 0.85, [(c.name, r.detail) for c, r in res if r.status != "pass"]


def _with_graphics(kind: str | None) -> str:
    xml = (DATA / "custom-x86_64-alias.xml").read_text()
    if kind:
        xml = xml.replace("  </devices>", f"    <graphics type='{kind}'/>\n  </devices>")
    return xml


def _audios(dom) -> list[tuple[int, str, object]]:
    return [(a.id, a.type, a.driver) for a in dom.devices.audios]


def test_default_audio_backends(monkeypatch: pytest.MonkeyPatch) -> None:
    from virtxml.qemuconf import QemuConf

    monkeypatch.delenv("QEMU_AUDIO_DRV", raising=False)
    monkeypatch.delenv("SDL_AUDIODRIVER", raising=False)
    src = _source()
    plain = QemuConf()
    host = QemuConf(vnc_allow_host_audio=True, nogfx_allow_host_audio=True)

    def audios(kind: str | None, cfg: QemuConf):
        return _audios(api.parse(_with_graphics(kind), driver="qemu",
                                 options={"caps_source": src, "qemu_conf": cfg}))

    assert audios("vnc", plain) == [(1, "none", None)]
    assert audios(None, plain) == [(1, "none", None)]
    # passthrough without QEMU_AUDIO_DRV: nothing is added
    assert audios("vnc", host) == []
    assert audios(None, host) == []
    monkeypatch.setenv("QEMU_AUDIO_DRV", "alsa")
    assert audios("vnc", host) == [(1, "alsa", None)]
    assert audios(None, host) == [(1, "alsa", None)]
    monkeypatch.setenv("QEMU_AUDIO_DRV", "sdl")
    monkeypatch.setenv("SDL_AUDIODRIVER", "esd")
    assert audios("sdl", plain) == [(1, "sdl", "esd")]
    # the 'environ' option stands for the daemon's environment
    monkeypatch.delenv("QEMU_AUDIO_DRV", raising=False)
    dom = api.parse(_with_graphics("vnc"), driver="qemu",
                    options={"caps_source": src, "qemu_conf": host,
                             "environ": {"QEMU_AUDIO_DRV": "pa"}})
    assert _audios(dom) == [(1, "pulseaudio", None)]


def _x86(edit) -> str:
    return edit((DATA / "custom-x86_64.xml").read_text())


def test_other_virt_types_use_the_tcg_machines() -> None:
    """virQEMUCapsGetAccel: a virt type QEMU does not run (hyperv, vz...)
    still gets the TCG preferred machine; validation then refuses it."""
    src = _source()
    xml = _x86(lambda s: s.replace("type='kvm'", "type='hyperv'"))
    flags = ParseFlags.SKIP_VALIDATE | ParseFlags.INACTIVE
    dom = api.parse(xml, driver="qemu", flags=flags, options={"caps_source": src})
    assert _machine(dom) == "pc-q35-6.0"
    with pytest.raises(ValidationError) as ei:
        api.parse(xml, driver="qemu", options={"caps_source": src})
    assert ei.value.message.endswith("does not support virt type 'hyperv'")


def test_memory_hotplug_validation() -> None:
    src = _source()
    no_numa = _x86(lambda s: s.replace(
        "  <memory unit='KiB'>", "  <maxMemory slots='4' unit='KiB'>4194304</maxMemory>\n"
        "  <memory unit='KiB'>"))
    with pytest.raises(ValidationError) as ei:
        api.parse(no_numa, driver="qemu", options={"caps_source": src})
    assert ei.value.message == ("At least one numa node has to be configured when enabling "
                                "memory hotplug")
    dimm = _x86(lambda s: s.replace(
        "  </devices>", "    <memory model='dimm'><target><size unit='KiB'>524288</size>"
        "</target></memory>\n  </devices>"))
    with pytest.raises(ValidationError) as ei:
        api.parse(dimm, driver="qemu", options={"caps_source": src})
    assert ei.value.message == ("cannot use/hotplug a memory device when domain 'maxMemory' is "
                                "not defined")


def _x86_source(*flags: str, drop: tuple[str, ...] = ()) -> CapsSource:
    from virtxml.caps.qemucaps import parse_qemu_caps

    caps = parse_qemu_caps(str(CAPS / "custom-x86_64.xml"))
    for f in flags:
        caps.set_flag(f)
    for f in drop:
        caps.clear_flag(f)
    src = CapsSource()
    src.add_caps(caps.emulator, caps)
    return src


def test_nvram_template_only_gets_the_default_path() -> None:
    xml = _x86(lambda s: s.replace("  </os>", "    <loader readonly='yes' type='pflash'>/c.fd</loader>\n"
                                   "    <nvram template='/t.fd'/>\n  </os>"))
    dom = api.parse(xml, driver="qemu", flags=ParseFlags.SKIP_VALIDATE | ParseFlags.INACTIVE,
                    options={"caps_source": _source()})
    assert dom.os.nvram.template == "/t.fd"
    assert dom.os.nvram.path == "/var/lib/libvirt/qemu/nvram/custom-x86_VARS.fd"


def test_mdev_display_default_follows_the_capability() -> None:
    xml = _x86(lambda s: s.replace("  </devices>", (
        "    <hostdev mode='subsystem' type='mdev' model='vfio-pci'><source>"
        "<address uuid='53764d0e-85a0-42b4-af5c-2046b460b1dc'/></source></hostdev>\n  </devices>")))
    flags = ParseFlags.SKIP_VALIDATE | ParseFlags.INACTIVE
    with_cap = api.parse(xml, driver="qemu", flags=flags,
                         options={"caps_source": _x86_source("vfio-pci.display")})
    assert with_cap.devices.hostdevs[0].display is False
    without = api.parse(xml, driver="qemu", flags=flags,
                        options={"caps_source": _x86_source(drop=("vfio-pci.display",))})
    assert without.devices.hostdevs[0].display is None


@pytest.mark.parametrize("edit,flag,message", [
    (lambda s: s.replace("  <devices>", "  <launchSecurity type='sev'><cbitpos>47</cbitpos>"
                         "<reducedPhysBits>1</reducedPhysBits><policy>0x0001</policy>"
                         "</launchSecurity>\n  <devices>"),
     "sev-guest", "SEV launch security is not supported with this QEMU binary"),
])
def test_capability_gated_validation(edit, flag: str, message: str) -> None:
    xml = _x86(edit)
    with pytest.raises(ValidationError) as ei:
        api.parse(xml, driver="qemu", options={"caps_source": _x86_source(drop=(flag,))})
    assert ei.value.message == message
    api.parse(xml, driver="qemu", options={"caps_source": _x86_source(flag)})
