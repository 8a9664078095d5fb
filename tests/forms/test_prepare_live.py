"""prepare_live: re-runs post-parse for a definition whose post-parse
failed (libvirt's qemuProcessInit), leaves the persistent definition alone,
and allocates ports as libvirt does."""

from __future__ import annotations

import pytest

from virtxml import api, forms
from virtxml.errors import PostParseTolerableError, VirtXMLError
from virtxml.flags import ParseFlags

from .oracle_cases import define, input_path, options


def _loaded_without_caps():
    opts = {"qemu_caps": [], "allow_probe": False, "host_arch": "x86_64"}
    dom = api.parse(input_path("vnc-bare"), driver="qemu", options=opts,
                    flags=ParseFlags.INACTIVE | ParseFlags.SKIP_VALIDATE | ParseFlags.ALLOW_POST_PARSE_FAIL)
    assert dom.post_parse_failed
    return dom, opts


def test_failed_post_parse_is_fatal_at_start() -> None:
    dom, opts = _loaded_without_caps()
    with pytest.raises(PostParseTolerableError):
        forms.prepare_live(dom, "qemu", opts)


def test_failed_post_parse_rerun_with_caps_completes_the_definition() -> None:
    dom, _ = _loaded_without_caps()
    opts = options("default")
    live = forms.prepare_live(dom, "qemu", opts)
    assert not dom.post_parse_failed
    assert live.os.type.machine == "pc-i440fx-7.2"
    assert "port='5900' autoport='yes'" in forms.format_live(live)


def test_persistent_definition_unchanged() -> None:
    opts = options("vnc_auto_unix_socket")
    dom = define("vnc-bare", opts)
    before = forms.format_inactive(dom)
    live = forms.prepare_live(dom, "qemu", opts, domain_id=3)
    assert forms.format_inactive(dom) == before
    assert live.id == 3 and dom.id is None
    assert "/domain-3-vnc-bare/vnc.sock" in forms.format_live(live)


def test_ports_skip_used_and_reserved() -> None:
    opts = options("default")
    dom = define("vnc-and-spice", opts)
    xml = forms.format_live(forms.prepare_live(dom, "qemu", opts, used_ports={5900, 5902}))
    assert "<graphics type='vnc' port='5901'" in xml
    assert "<graphics type='spice' port='5903'" in xml
    dom = define("dev-vnc-spice-ports", opts)  # VNC 5900 fixed: SPICE gets 5901
    assert "<graphics type='spice' port='5901'" in forms.format_live(forms.prepare_live(dom, "qemu", opts))


def test_spice_tls_autoport_needs_spice_tls() -> None:
    opts = options("default")
    dom = define("dev-spice-secure-channel", opts)
    with pytest.raises(VirtXMLError) as exc:
        forms.prepare_live(dom, "qemu", opts)
    assert exc.value.message == ("Auto allocation of spice TLS port requested but spice TLS is "
                                 "disabled in qemu.conf")
    from virtxml.qemuconf import load_qemu_conf

    opts["qemu_conf"] = load_qemu_conf(text="spice_tls = 1\n")
    xml = forms.format_live(forms.prepare_live(define("spice-autoport", opts), "qemu", opts))
    assert "<graphics type='spice' port='5900' tlsPort='5901' autoport='yes'" in xml
