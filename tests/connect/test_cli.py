"""``virtxml --connect URI verb ...`` as connect_main (exit 0/1/2)."""

from __future__ import annotations

import io

from virtxml.connect import connection
from virtxml.connect.cli import connect_main

from .helpers import PARSE_DRIVER, TEST_OPTIONS, embed_uri, guest_xml, run_python

U1 = "11111111-1111-4111-8111-111111111111"


def _run(uri: str, *argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    rc = connect_main(uri, list(argv), stdout=out, stderr=err)
    return rc, out.getvalue(), err.getvalue()


def test_verbs_on_test_driver(tmp_path) -> None:
    f = tmp_path / "g.xml"
    f.write_text(guest_xml("g", U1))
    # each call is its own connection: test:///default starts over every time
    rc, out, err = _run("test:///default", "list")
    assert (rc, err) == (0, "")
    assert out == " Id   Name   State\n----------------------\n 1    test   running\n\n"
    rc, out, err = _run("test:///default", "define", str(f))
    assert (rc, out, err) == (0, f"Domain 'g' defined from {f}\n\n", "")
    rc, out, err = _run("test:///default", "dumpxml", "test")
    assert rc == 0 and out.startswith("<domain type='test' id='1'>\n")
    rc, out, err = _run("test:///default", "dumpxml", "1")
    assert rc == 0 and out.startswith("<domain type='test' id='1'>\n")
    rc, out, err = _run("test:///default", "destroy", "test")
    assert (rc, out) == (0, "Domain 'test' destroyed\n\n")
    rc, out, err = _run("test:///default", "start", "test")
    assert rc == 1
    assert err == ("error: Failed to start domain 'test'\n"
                   "error: internal error: Domain 'test' is already running\n")
    assert connection._registry == {}


def test_verbs_on_embedded_root(tmp_path) -> None:
    import virtxml.connect as vc

    uri = embed_uri(tmp_path)
    f = tmp_path / "g.xml"
    f.write_text(guest_xml("g", U1))
    # keep the driver open in this process so that the CLI calls use the
    # parse driver chosen here (the qemu driver once it exists)
    keep = vc.open(uri, parse_driver=PARSE_DRIVER, options=TEST_OPTIONS)
    try:
        assert _run(uri, "define", str(f))[0] == 0
        rc, out, _ = _run(uri, "list")
        assert out == " Id   Name   State\n-----------------------\n -    g      shut off\n\n"
        assert _run(uri, "start", "g") == (0, "Domain 'g' started\n\n", "")
        rc, out, _ = _run(uri, "list", "--name")
        assert out == "g\n\n"
        rc, live, _ = _run(uri, "dumpxml", "g")
        assert "<domain type='kvm' id='1'>" in live
        rc, inactive, _ = _run(uri, "dumpxml", "--inactive", "g")
        assert "<domain type='kvm'>" in inactive
        rc, mig, _ = _run(uri, "dumpxml", "--migratable", U1)
        assert rc == 0 and "id=" not in mig.split("\n")[0]
        assert _run(uri, "destroy", "g") == (0, "Domain 'g' destroyed\n\n", "")
        assert _run(uri, "undefine", "g") == (0, "Domain 'g' has been undefined\n\n", "")
        rc, out, err = _run(uri, "undefine", "g")
        assert (rc, err) == (1, "error: failed to get domain 'g'\n")
        bad = tmp_path / "bad.xml"
        bad.write_text("<domain type='kvm'><name>x</name>")
        rc, out, err = _run(uri, "define", str(bad))
        assert rc == 1 and err.startswith(f"error: Failed to define domain from {bad}\nerror: ")
        assert "Traceback" not in err
        rc, out, err = _run(uri, "define", str(tmp_path / "missing.xml"))
        assert rc == 1 and "Failed to read file" in err
    finally:
        keep.close()


def test_usage_and_connect_errors(tmp_path) -> None:
    assert _run("test:///default", "frobnicate")[0] == 2
    assert _run("test:///default")[0] == 2
    assert _run("test:///default", "dumpxml")[0] == 2
    rc, out, err = _run("qemu:///embed?root=relative", "list")
    assert rc == 1
    assert err == ("error: failed to connect to the hypervisor\n"
                   "error: unsupported configuration: root path must be absolute\n")


def test_locked_root_from_cli_in_other_process(tmp_path) -> None:
    import virtxml.connect as vc

    uri = embed_uri(tmp_path)
    conn = vc.open(uri, parse_driver=PARSE_DRIVER, options=TEST_OPTIONS)
    try:
        res = run_python("import sys; from virtxml.connect.cli import main; "
                         "sys.exit(main(sys.argv[1:]))", uri, "list")
        assert res.returncode == 1
        pid = tmp_path / "run" / "qemu" / "driver.pid"
        if PARSE_DRIVER == "qemu":
            assert res.stderr == ("error: failed to connect to the hypervisor\n"
                                  f"error: Failed to acquire pid file '{pid}': "
                                  "Resource temporarily unavailable\n")
        assert "Traceback" not in res.stderr
    finally:
        conn.close()


def test_secret_verbs(tmp_path) -> None:
    uri = embed_uri(tmp_path, "secret")
    f = tmp_path / "s.xml"
    uuid = "aaaaaaaa-1111-4111-8111-111111111111"
    f.write_text(f"<secret><uuid>{uuid}</uuid><usage type='ceph'><name>admin</name></usage>"
                 "</secret>")
    assert _run(uri, "secret-define", str(f)) == (0, f"Secret {uuid} created\n\n", "")
    rc, out, _ = _run(uri, "secret-list")
    assert out == (" UUID                                   Usage\n"
                   + "-" * (36 + 3 + 10 + 3) + "\n"
                   f" {uuid}   ceph admin\n\n")
    assert _run(uri, "secret-set-value", uuid, "c2VjcmV0") == (0, "Secret value set\n\n", "")
    assert _run(uri, "secret-get-value", uuid) == (0, "c2VjcmV0\n", "")
    rc, out, _ = _run(uri, "secret-dumpxml", uuid)
    assert out.startswith("<secret ephemeral='no' private='no'>\n")
    assert _run(uri, "secret-undefine", uuid) == (0, f"Secret {uuid} deleted\n\n", "")
    assert _run(uri, "secret-get-value", uuid) == (1, "", f"error: failed to get secret '{uuid}'\n")
    # domain verbs on a secret connection and the other way round: usage errors
    assert _run(uri, "list")[0] == 2
    assert _run("test:///default", "secret-list")[0] == 2
