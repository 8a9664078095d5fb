"""qemu.conf reader."""

from __future__ import annotations

import pytest

from virtxml.qemuconf import QemuConf, QemuConfError, load_qemu_conf, parse_conf

SAMPLE = """\
# comment line
vnc_listen = "0.0.0.0"    # trailing comment
spice_listen = '::1'
vnc_auto_unix_socket = 1
spice_tls = 0
remote_display_port_min = 6000
remote_display_port_max = 6100
security_driver = [ "selinux",
   # inside a list
   "dac", ]
nvram_dir = "/srv/nvram"; vnc_tls = 1
"""


def test_defaults() -> None:
    cfg = QemuConf()
    assert cfg.vnc_listen == cfg.spice_listen == "127.0.0.1"
    assert (cfg.remote_display_port_min, cfg.remote_display_port_max) == (5900, 65535)
    assert (cfg.websocket_port_min, cfg.websocket_port_max) == (5700, 65535)
    assert cfg.lib_dir == "/var/lib/libvirt/qemu"
    assert cfg.channel_target_dir == "/var/lib/libvirt/qemu/channel/target"
    emb = QemuConf.for_root("/r")
    assert emb.lib_dir == "/r/lib/qemu" and emb.caps_cache_dir == "/r/cache/qemu/capabilities"


def test_sample() -> None:
    cfg = load_qemu_conf(text=SAMPLE)
    assert cfg.vnc_listen == "0.0.0.0" and cfg.spice_listen == "::1"
    assert cfg.vnc_auto_unix_socket and not cfg.spice_auto_unix_socket and cfg.vnc_tls
    assert (cfg.remote_display_port_min, cfg.remote_display_port_max) == (6000, 6100)
    assert cfg.security_driver == ["selinux", "dac"]
    assert cfg.nvram_dir == "/srv/nvram"


def test_file(tmp_path) -> None:
    p = tmp_path / "qemu.conf"
    p.write_text("spice_auto_unix_socket = 1\n")
    assert load_qemu_conf(p).spice_auto_unix_socket


@pytest.mark.parametrize("text,line,msg", [
    ('vnc_listen = "0.0.0.0\n', 1, "unterminated string"),
    ("\n\nvnc_tls 1\n", 3, "expecting an assignment"),
    ("a = [ 1 2 ]\n", 1, "expecting a separator in list"),
    ("x = \n", 1, "expecting a value"),
    ("= 1\n", 1, "expecting a name"),
])
def test_syntax_errors_have_line_numbers(text: str, line: int, msg: str) -> None:
    with pytest.raises(QemuConfError) as ei:
        parse_conf(text, "qemu.conf")
    assert ei.value.line == line
    assert str(ei.value.message) == f"configuration file syntax error: qemu.conf:{line}: {msg}"


def test_type_errors() -> None:
    with pytest.raises(QemuConfError, match="vnc_tls"):
        load_qemu_conf(text='vnc_tls = "yes"\n')
    with pytest.raises(QemuConfError, match="0 or 1"):
        load_qemu_conf(text="vnc_tls = 2\n")
    with pytest.raises(QemuConfError, match="vnc_listen"):
        load_qemu_conf(text="vnc_listen = 1\n")
    with pytest.raises(QemuConfError, match="remote_display_port_min"):
        load_qemu_conf(text="remote_display_port_min = 100\n")
    with pytest.raises(QemuConfError, match="min port"):
        load_qemu_conf(text="remote_display_port_min = 7000\nremote_display_port_max = 6000\n")
