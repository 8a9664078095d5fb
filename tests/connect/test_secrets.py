"""The embedded secret store (secret:///embed?root=PATH)."""

from __future__ import annotations

import base64

import pytest

import virtxml.connect as vc
from virtxml.connect.errors import ConnectError, OperationError

from .helpers import embed_uri

S1 = "aaaaaaaa-1111-4111-8111-111111111111"
S2 = "bbbbbbbb-2222-4222-8222-222222222222"


def _secret(uuid: str | None, usage: str = "<usage type='volume'><volume>/var/lib/a.img</volume>"
            "</usage>", attrs: str = "") -> str:
    u = f"<uuid>{uuid}</uuid>" if uuid else ""
    return f"<secret{attrs}>{u}<description>disk &amp; co</description>{usage}</secret>"


def test_define_list_get_undefine_and_persistence(tmp_path) -> None:
    conn = vc.open(embed_uri(tmp_path, "secret"))
    try:
        s = conn.define_xml(_secret(S1))
        assert s.uuid == S1
        assert s.xml_desc() == (
            "<secret ephemeral='no' private='no'>\n"
            f"  <uuid>{S1}</uuid>\n"
            "  <description>disk &amp; co</description>\n"
            "  <usage type='volume'>\n"
            "    <volume>/var/lib/a.img</volume>\n"
            "  </usage>\n"
            "</secret>\n")
        s.set_value(b"s3cret\x00bytes")
        t = conn.define_xml(_secret(S2, "<usage type='ceph'><name>client.admin</name></usage>",
                                    " private='yes'"))
        t.set_value("hidden")
        assert conn.list_secrets() == [S1, S2]
        cfg = tmp_path / "etc" / "secrets"
        assert (cfg / f"{S1}.xml").read_text() == s.xml_desc()
        assert (cfg / f"{S1}.base64").read_bytes() == base64.b64encode(b"s3cret\x00bytes")
        assert (cfg / f"{S1}.xml").stat().st_mode & 0o777 == 0o600
        assert conn.lookup_by_usage("ceph", "client.admin").uuid == S2
    finally:
        conn.close()
    conn = vc.open(embed_uri(tmp_path, "secret"))
    try:
        assert conn.load_errors == []
        assert conn.list_secrets() == [S1, S2]
        assert conn.lookup_by_uuid(S1).get_value() == b"s3cret\x00bytes"
        with pytest.raises(OperationError) as info:
            conn.lookup_by_uuid(S2).get_value()
        assert info.value.message == "secret is private"
        assert conn.lookup_by_uuid(S2).get_value(internal=True) == b"hidden"
        conn.undefine(S1)
        assert conn.list_secrets() == [S2]
        assert not (tmp_path / "etc" / "secrets" / f"{S1}.xml").exists()
        assert not (tmp_path / "etc" / "secrets" / f"{S1}.base64").exists()
        with pytest.raises(OperationError) as info:
            conn.lookup_by_uuid(S1)
        assert info.value.message == f"no secret with matching uuid '{S1}'"
        assert info.value.libvirt_message == f"Secret not found: no secret with matching uuid '{S1}'"
    finally:
        conn.close()


def test_secret_rules(tmp_path) -> None:
    conn = vc.open(embed_uri(tmp_path, "secret"))
    try:
        conn.define_xml(_secret(S1))
        with pytest.raises(OperationError) as info:
            conn.define_xml(_secret(S2))  # same usage, other uuid
        assert info.value.message == (f"a secret with UUID {S1} already defined for use with "
                                      "/var/lib/a.img")
        with pytest.raises(OperationError) as info:
            conn.define_xml(_secret(S1, "<usage type='volume'><volume>/b.img</volume></usage>"))
        assert info.value.message == (f"a secret with UUID {S1} is already defined for use with "
                                      "/var/lib/a.img")
        with pytest.raises(OperationError) as info:
            conn.lookup_by_uuid(S1).get_value()
        assert info.value.message == f"secret '{S1}' does not have a value"
        generated = conn.define_xml(_secret(None, "<usage type='iscsi'><target>iqn.x</target>"
                                                  "</usage>"))
        assert len(generated.uuid) == 36
        eph = conn.define_xml(_secret(S2, "<usage type='tls'><name>t</name></usage>",
                                      " ephemeral='yes'"))
        eph.set_value(b"x")
        assert not (tmp_path / "etc" / "secrets" / f"{S2}.xml").exists()
        assert not (tmp_path / "etc" / "secrets" / f"{S2}.base64").exists()
    finally:
        conn.close()


#: libvirt 9.0.0's secret driver (embedded, tools/oracle): full messages
@pytest.mark.parametrize("xml, full", [
    ("<secrets/>", "XML error: expecting root element of 'secret', not 'secrets'"),
    ("<secret ephemeral='maybe'/>", "XML error: invalid value of 'ephemeral'"),
    ("<secret private='1'/>", "XML error: invalid value of 'private'"),
    ("<secret><uuid>not-a-uuid</uuid></secret>", "internal error: malformed uuid element"),
    ("<secret><usage/></secret>", "XML error: unknown secret usage type"),
    ("<secret><usage type='disk'/></secret>",
     "unsupported configuration: unknown secret usage type disk"),
    ("<secret><usage type='volume'/></secret>",
     "internal error: volume usage specified, but volume path is missing"),
    ("<secret><usage type='ceph'/></secret>",
     "internal error: Ceph usage specified, but name is missing"),
    ("<secret><usage type='iscsi'/></secret>",
     "internal error: iSCSI usage specified, but target is missing"),
    ("<secret><usage type='tls'/></secret>",
     "internal error: TLS usage specified, but name is missing"),
    ("<secret><usage type='vtpm'/></secret>",
     "internal error: vTPM usage specified, but name is missing"),
])
def test_bad_secret_xml(tmp_path, xml: str, full: str) -> None:
    conn = vc.open(embed_uri(tmp_path, "secret"))
    try:
        with pytest.raises(ConnectError) as info:
            conn.define_xml(xml)
        assert info.value.libvirt_message == full
        assert conn.list_secrets() == []
    finally:
        conn.close()


def test_corrupt_secret_files_skipped(tmp_path) -> None:
    conn = vc.open(embed_uri(tmp_path, "secret"))
    conn.define_xml(_secret(S1)).set_value(b"v")
    conn.close()
    cfg = tmp_path / "etc" / "secrets"
    (cfg / f"{S2}.xml").write_text(_secret(S1).replace(S1, "cccccccc-3333-4333-8333-333333333333")
                                   .replace("a.img", "b.img"))
    (cfg / "garbage.xml").write_text("<secret")
    bad_value = "dddddddd-4444-4444-8444-444444444444"
    (cfg / f"{bad_value}.xml").write_text(_secret(bad_value, "<usage type='tls'><name>n</name>"
                                                             "</usage>"))
    (cfg / f"{bad_value}.base64").write_text("!!not base64!!")
    conn = vc.open(embed_uri(tmp_path, "secret"))
    try:
        assert conn.list_secrets() == [S1]
        msgs = sorted(e.message for e in conn.load_errors)
        assert f"<uuid> does not match secret file name '{cfg / (S2 + '.xml')}'" in msgs
        assert f"invalid base64 in '{cfg / (bad_value + '.base64')}'" in msgs
        assert len(msgs) == 3
        assert conn.lookup_by_uuid(S1).get_value() == b"v"
    finally:
        conn.close()


def test_resolve_domain_secret_references(tmp_path) -> None:
    conn = vc.open(embed_uri(tmp_path, "secret"))
    try:
        conn.define_xml(_secret(S1, "<usage type='ceph'><name>client.admin secret</name></usage>"))
        assert conn.resolve(usage_type="ceph", usage="client.admin secret").uuid == S1
        assert conn.resolve(uuid=S1.upper()).uuid == S1
        with pytest.raises(OperationError) as info:
            conn.resolve(usage_type="iscsi", usage="client.admin secret")
        assert info.value.message == "no secret with matching usage 'client.admin secret'"
        with pytest.raises(ConnectError):
            conn.resolve(usage_type="ceph")
    finally:
        conn.close()


def test_folders_are_private(tmp_path) -> None:
    """secretStateInitialize: g_mkdir_with_parents(..., S_IRWXU) — the
    missing parents get 0700 too."""
    root = tmp_path / "fresh"
    conn = vc.open(embed_uri(root, "secret"))
    conn.close()
    for sub in ("etc", "etc/secrets", "run", "run/secrets"):
        assert (root / sub).stat().st_mode & 0o777 == 0o700, sub
