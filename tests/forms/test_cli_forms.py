"""virtxml convert --to live|inactive|migratable|status [--start] with
inactive, live and status XML input."""

from __future__ import annotations

import os

import pytest

from virtxml.cli import main

from .oracle_cases import EMULATOR, ROOT, golden, input_path

CAPS = ["--driver", "qemu", "--qemu-caps",
        f"{EMULATOR}={os.path.join(ROOT, 'caps', 'qemu-system-x86_64.xml')}"]


def _conf(tmp_path, text: str) -> list[str]:
    p = tmp_path / "qemu.conf"
    p.write_text(text)
    return ["--qemu-conf", str(p)]


def run(capsys, argv: list[str]) -> tuple[int, str, str]:
    rc = main(["convert", *argv])
    out = capsys.readouterr()
    return rc, out.out, out.err


@pytest.mark.parametrize("to,form", [("inactive", "inactive"), ("migratable", "migratable")])
def test_inactive_input(capsys, to: str, form: str) -> None:
    rc, out, _ = run(capsys, [*CAPS, "--to", to, input_path("spice-addr-noaddr")])
    assert rc == 0
    assert out == golden("default", "spice-addr-noaddr", form)


def test_start_gives_live_and_live_migratable(capsys, tmp_path) -> None:
    conf = _conf(tmp_path, "spice_auto_unix_socket = 1\n")
    rc, out, _ = run(capsys, [*CAPS, *conf, "--start", "--to", "live", input_path("spice-addr-noaddr")])
    assert rc == 0 and out == golden("spice_auto_unix_socket", "spice-addr-noaddr", "live")
    rc, out, _ = run(capsys, [*CAPS, *conf, "--start", "--to", "migratable", input_path("spice-addr-noaddr")])
    assert rc == 0 and out == golden("spice_auto_unix_socket", "spice-addr-noaddr", "live_migratable")


def test_live_and_status_input(capsys, tmp_path) -> None:
    """Live XML in, status out (made as at start); the status document keeps
    what the live XML cannot say (the configured CPU: libvirt's origCPU),
    so its migratable XML equals libvirt's live-migratable XML."""
    conf = _conf(tmp_path, "vnc_auto_unix_socket = 1\n")
    live = tmp_path / "live.xml"
    live.write_text(golden("vnc_auto_unix_socket", "vnc-bare", "live"))
    rc, status, _ = run(capsys, [*CAPS, *conf, "--to", "status", str(live)])
    assert rc == 0 and status.startswith("<domstatus state='running' reason='booted'")
    assert "\n  <cpu " not in status  # live XML alone does not say what was configured
    rc, status, _ = run(capsys, [*CAPS, *conf, "--start", "--to", "status", input_path("vnc-bare")])
    assert rc == 0 and "\n  <cpu mode='custom' match='exact' check='none'>\n" in status
    st = tmp_path / "status.xml"
    st.write_text(status)
    rc, out, _ = run(capsys, [*CAPS, *conf, "--to", "status", str(st)])
    assert rc == 0 and out == status
    rc, out, _ = run(capsys, [*CAPS, *conf, "--to", "live", str(st)])
    assert rc == 0 and out == golden("vnc_auto_unix_socket", "vnc-bare", "live")
    rc, out, _ = run(capsys, [*CAPS, *conf, "--to", "migratable", str(st)])
    # libvirt does not store that the DAC label was generated (virSecurityLabelDef
    # 'implicit'): once reloaded from status XML it is sent like a configured one
    want = golden("vnc_auto_unix_socket", "vnc-bare", "live_migratable").replace(
        "</devices>\n", "</devices>\n  <seclabel type='dynamic' model='dac' relabel='yes'/>\n")
    assert rc == 0 and out == want


def test_status_without_caps_refused(capsys, tmp_path) -> None:
    rc, status, _ = run(capsys, [*CAPS, "--start", "--to", "status", input_path("vnc-bare")])
    assert rc == 0
    start, end = status.index("  <qemuCaps>\n"), status.index("  </qemuCaps>\n")
    st = tmp_path / "status.xml"
    st.write_text(status[:start] + "  <qemuCaps>\n" + status[end:])
    rc, _, err = run(capsys, [*CAPS, "--to", "live", str(st)])
    assert rc == 1 and "domain 'vnc-bare' has no capabilities recorded" in err


def test_status_needs_a_running_guest(capsys) -> None:
    rc, _, err = run(capsys, [*CAPS, "--to", "status", input_path("vnc-bare")])
    assert rc == 1 and "running guest" in err


def test_start_error_text(capsys) -> None:
    rc, _, err = run(capsys, [*CAPS, "--start", "--to", "live", input_path("vnc-network")])
    assert rc == 1 and "virtnetworkd-sock" in err


def test_json_input(capsys, tmp_path) -> None:
    rc, js, _ = run(capsys, [*CAPS, "--to", "json", input_path("vnc-bare")])
    assert rc == 0
    f = tmp_path / "vnc-bare.json"
    f.write_text(js)
    rc, out, _ = run(capsys, [*CAPS, "--to", "migratable", "--start", str(f)])
    assert rc == 0 and out == golden("default", "vnc-bare", "live_migratable")
