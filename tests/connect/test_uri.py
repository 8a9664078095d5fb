"""URI parsing and validation (virConnectOpenInternal's checks and texts)."""

from __future__ import annotations

import pytest

import virtxml.connect as vc
from virtxml.connect.errors import ConnectError

from .helpers import PARSE_DRIVER, TEST_OPTIONS, embed_uri


@pytest.mark.parametrize("uri, code, text", [
    ("qemu:///embed", "VIR_ERR_INVALID_ARG", "Missing URI parameter 'root'"),
    ("qemu:///embed?rot=/tmp/x", "VIR_ERR_INVALID_ARG", "Missing URI parameter 'root'"),
    ("secret:///embed", "VIR_ERR_INVALID_ARG", "Missing URI parameter 'root'"),
    ("qemu:///embed?root=relative/path", "VIR_ERR_CONFIG_UNSUPPORTED",
     "root path must be absolute"),
    ("qemu:///embed?root=", "VIR_ERR_CONFIG_UNSUPPORTED", "root path must be absolute"),
    ("qemu:///embed?root=./x", "VIR_ERR_CONFIG_UNSUPPORTED", "root path must be absolute"),
    ("QEMU:///embed?root=/tmp/x", "VIR_ERR_NO_CONNECT",
     "URI scheme 'QEMU' for embedded driver is not valid"),
    ("qemu2:///embed?root=/tmp/x", "VIR_ERR_NO_CONNECT",
     "URI scheme 'qemu2' for embedded driver is not valid"),
    # libvirt skips non-embeddable drivers and the remote driver: nobody accepts
    ("test:///embed?root=/tmp/x", "VIR_ERR_NO_CONNECT", "test:///embed?root=/tmp/x"),
    ("lxc:///embed?root=/tmp/x", "VIR_ERR_NO_CONNECT", "lxc:///embed?root=/tmp/x"),
    ("nosuch:///embed?root=/tmp/x", "VIR_ERR_NO_CONNECT", "nosuch:///embed?root=/tmp/x"),
    # a host part: qemu is local-only, so no driver takes it
    ("qemu://host/embed?root=/tmp/x", "VIR_ERR_NO_CONNECT", "qemu://host/embed?root=/tmp/x"),
    ("qemu://system", "VIR_ERR_INTERNAL_ERROR",
     "invalid URI qemu://system (maybe you want qemu:///system)"),
    ("/embed?root=/tmp/x", "VIR_ERR_NO_CONNECT",
     "URI '/embed?root=/tmp/x' does not include a driver name"),
    ("qemu:///embed?root=/tmp/a b", "VIR_ERR_INTERNAL_ERROR",
     "Unable to parse URI qemu:///embed?root=/tmp/a b"),
    ("qemu:///embed?root=/tmp/%zz", "VIR_ERR_INTERNAL_ERROR",
     "Unable to parse URI qemu:///embed?root=/tmp/%zz"),
    ("test:///", "VIR_ERR_INVALID_ARG", "testOpen: supply a path or use test:///default"),
])
def test_bad_uri(uri: str, code: str, text: str) -> None:
    with pytest.raises(ConnectError) as info:
        vc.open(uri)
    assert info.value.code == code
    assert info.value.message == text


def test_libvirt_message_prefixes() -> None:
    with pytest.raises(ConnectError) as info:
        vc.open("qemu:///embed")
    assert info.value.libvirt_message == "invalid argument: Missing URI parameter 'root'"
    with pytest.raises(ConnectError) as info:
        vc.open("QEMU:///embed?root=/x")
    assert info.value.libvirt_message == (
        "no connection driver available for URI scheme 'QEMU' for embedded driver is not valid")


def test_root_is_url_decoded(tmp_path) -> None:
    root = tmp_path / "with space"
    conn = vc.open(f"qemu:///embed?root={str(root).replace(' ', '%20')}",
                   parse_driver=PARSE_DRIVER, options=TEST_OPTIONS)
    try:
        assert conn.root == str(root)
        assert (root / "run" / "qemu" / "driver.pid").is_file()
    finally:
        conn.close()


def test_one_root_per_driver_and_process(tmp_path) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    conn = vc.open(embed_uri(a), parse_driver=PARSE_DRIVER, options=TEST_OPTIONS)
    try:
        with pytest.raises(ConnectError) as info:
            vc.open(embed_uri(b), parse_driver=PARSE_DRIVER, options=TEST_OPTIONS)
        assert info.value.message == (f"Cannot open embedded driver at path '{b}', "
                                      f"already open with path '{a}'")
        assert not b.exists()
        # the same root again shares the driver
        again = vc.open(embed_uri(a))
        again.close()
        assert conn.is_alive()
        # a non-embed qemu URI while the embedded driver is up (qemuConnectOpen)
        with pytest.raises(ConnectError) as info:
            vc.open("qemu:///system")
        assert info.value.message == "Missing URI parameter 'root'"
        with pytest.raises(ConnectError) as info:
            vc.open(f"qemu:///system?root={a}")
        assert info.value.message == "URI must be qemu:///embed"
    finally:
        conn.close()
    # once closed, another root may be opened
    conn = vc.open(embed_uri(b), parse_driver=PARSE_DRIVER, options=TEST_OPTIONS)
    conn.close()


def test_secret_and_qemu_may_share_a_root(tmp_path) -> None:
    q = vc.open(embed_uri(tmp_path), parse_driver=PARSE_DRIVER, options=TEST_OPTIONS)
    s = vc.open(embed_uri(tmp_path, "secret"))
    try:
        assert (tmp_path / "run" / "qemu" / "driver.pid").is_file()
        assert (tmp_path / "run" / "secrets" / "driver.pid").is_file()
        assert (tmp_path / "etc" / "secrets").is_dir()
    finally:
        s.close()
        q.close()
    # a clean close releases and removes the pid files, as virPidFileRelease
    assert not (tmp_path / "run" / "qemu" / "driver.pid").exists()
    assert not (tmp_path / "run" / "secrets" / "driver.pid").exists()


def test_unwritable_root(tmp_path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    root = blocker / "root"
    with pytest.raises(ConnectError) as info:
        vc.open(embed_uri(root), parse_driver=PARSE_DRIVER, options=TEST_OPTIONS)
    assert info.value.message == (f"Failed to create state dir {root}/run/qemu: "
                                  "Not a directory")
    with pytest.raises(ConnectError) as info:
        vc.open(embed_uri(root, "secret"))
    assert info.value.message == (f"cannot create config directory '{root}/etc/secrets': "
                                  "Not a directory")


def test_unwritable_root_permissions(tmp_path) -> None:
    import os

    if os.geteuid() == 0:
        pytest.skip("root ignores folder permissions")
    root = tmp_path / "ro"
    root.mkdir(mode=0o500)
    with pytest.raises(ConnectError) as info:
        vc.open(embed_uri(root), parse_driver=PARSE_DRIVER, options=TEST_OPTIONS)
    assert info.value.message == (f"Failed to create state dir {root}/run/qemu: "
                                  "Permission denied")


def test_no_daemon_uris() -> None:
    for uri in ("qemu:///system", "qemu:///session", "secret:///system"):
        with pytest.raises(ConnectError) as info:
            vc.open(uri)
        assert info.value.code == "VIR_ERR_NO_CONNECT"
