"""<seclabel>, <keywrap>, <launchSecurity>."""

from __future__ import annotations

import pytest

from tests.model.test_toplevel_support import bind, fmt, parse_error, roundtrip, section
from virtxml.flags import FormatFlags, ParseFlags

ACTIVE = ParseFlags.NONE
INACTIVE = ParseFlags.INACTIVE


def seclabels(body: str, flags: int) -> str:
    return "".join(ln for ln in fmt(bind(body, flags=flags)).splitlines(keepends=True)
                   if "label" in ln)


def test_dynamic_label_live_and_inactive() -> None:
    body = ("  <seclabel type='dynamic' model='selinux'>\n    <label>system_u:object_r:svirt_t:s0:c1</label>\n"
            "    <imagelabel>system_u:object_r:svirt_image_t:s0:c1</imagelabel>\n"
            "    <baselabel>system_u:system_r:svirt_t:s0</baselabel>\n  </seclabel>\n")
    assert seclabels(body, ACTIVE) == """  <seclabel type='dynamic' model='selinux' relabel='yes'>
    <label>system_u:object_r:svirt_t:s0:c1</label>
    <imagelabel>system_u:object_r:svirt_image_t:s0:c1</imagelabel>
    <baselabel>system_u:system_r:svirt_t:s0</baselabel>
  </seclabel>
"""
    # INACTIVE: label/imagelabel of a dynamic label are not read
    assert seclabels(body, INACTIVE) == """  <seclabel type='dynamic' model='selinux' relabel='yes'>
    <baselabel>system_u:system_r:svirt_t:s0</baselabel>
  </seclabel>
"""


def test_static_and_none_labels() -> None:
    body = "  <seclabel type='static' model='selinux'>\n    <label>x</label>\n    <imagelabel>y</imagelabel>\n  </seclabel>\n"
    assert seclabels(body, INACTIVE) == \
        "  <seclabel type='static' model='selinux' relabel='no'>\n    <label>x</label>\n  </seclabel>\n"
    assert seclabels("  <seclabel type='static' model='dac' relabel='yes'><label>+0:+0</label>"
                     "<imagelabel>+1:+1</imagelabel></seclabel>\n", ACTIVE) == \
        "  <seclabel type='static' model='dac' relabel='yes'>\n    <label>+0:+0</label>\n" \
        "    <imagelabel>+1:+1</imagelabel>\n  </seclabel>\n"
    assert seclabels("  <seclabel type='none'/>\n", INACTIVE) == "  <seclabel type='none'/>\n"
    # model='none' is forced to type none / relabel no when parsing INACTIVE
    assert seclabels("  <seclabel type='dynamic' model='none' relabel='yes'/>\n", INACTIVE) == \
        "  <seclabel type='none' model='none'/>\n"


def test_implicit_labels_hidden_when_migratable() -> None:
    dom = bind("  <seclabel type='none' model='dac'/>\n")
    dom.seclabels[0].implicit = True
    assert "seclabel" in fmt(dom)
    assert "seclabel" not in fmt(dom, FormatFlags.SECURE | FormatFlags.INACTIVE | FormatFlags.MIGRATABLE)


def test_skip_seclabel_flag() -> None:
    dom = bind("  <seclabel type='none'/>\n", flags=ParseFlags.INACTIVE | ParseFlags.SKIP_SECLABEL)
    assert dom.seclabels == []


@pytest.mark.parametrize("body,flags,msg", [
    ("<seclabel type='dynamic' relabel='no'/>", INACTIVE, "dynamic label type must use resource relabeling"),
    ("<seclabel type='none' relabel='yes'/>", INACTIVE,
     "resource relabeling is not compatible with 'none' label type"),
    ("<seclabel type='static' relabel='maybe'/>", INACTIVE,
     "Invalid value for attribute 'relabel' in element 'seclabel': 'maybe'."),
    ("<seclabel type='static' model='selinux'/>", INACTIVE, "security label is missing"),
    ("<seclabel type='dynamic' model='selinux'/>", ACTIVE, "security label is missing"),
    ("<seclabel type='dynamic' model='selinux'><label>a</label></seclabel>", ACTIVE,
     "security imagelabel is missing"),
    ("<seclabel type='dynamic' model='none'/>", ACTIVE, "unsupported type='dynamic' to model 'none'"),
    ("<seclabel type='default'/>", INACTIVE, "Invalid value for attribute 'type' in element 'seclabel': 'default'."),
    ("<seclabel type='none' model='dac'/><seclabel type='none'/>", INACTIVE,
     "missing security model when using multiple labels"),
    ("<seclabel type='none' model='dac'/><seclabel type='none' model='dac'/>", INACTIVE,
     "seclabel for model dac is already provided"),
])
def test_seclabel_errors(body: str, flags: int, msg: str) -> None:
    assert parse_error("  " + body + "\n", flags=flags) == msg


def test_keywrap() -> None:
    body = "  <keywrap>\n    <cipher name='dea' state='off'/>\n    <cipher name='aes' state='on'/>\n  </keywrap>\n"
    assert roundtrip(body, "keywrap") == \
        "  <keywrap>\n    <cipher name='aes' state='on'/>\n    <cipher name='dea' state='off'/>\n  </keywrap>\n"
    assert parse_error("  <keywrap><cipher name='aes' state='on'/><cipher name='aes' state='off'/></keywrap>\n") == \
        "A domain definition can have no more than one cipher node with name aes"
    assert parse_error("  <keywrap><cipher name='des' state='on'/></keywrap>\n") == \
        "Invalid value for attribute 'name' in element 'cipher': 'des'."


def test_launch_security() -> None:
    body = ("  <launchSecurity type='sev' kernelHashes='yes'>\n    <session>S</session>\n"
            "    <policy>0x1</policy>\n    <reducedPhysBits>1</reducedPhysBits>\n    <cbitpos>47</cbitpos>\n"
            "    <dhCert>D</dhCert>\n  </launchSecurity>\n")
    assert roundtrip(body, "launchSecurity") == """  <launchSecurity type='sev' kernelHashes='yes'>
    <cbitpos>47</cbitpos>
    <reducedPhysBits>1</reducedPhysBits>
    <policy>0x0001</policy>
    <dhCert>D</dhCert>
    <session>S</session>
  </launchSecurity>
"""
    assert roundtrip("  <launchSecurity type='s390-pv'/>\n", "launchSecurity") == \
        "  <launchSecurity type='s390-pv'/>\n"
    assert parse_error("  <launchSecurity type='sev'/>\n") == "failed to get launch security policy"
    assert parse_error("  <launchSecurity type='sev'><policy>0x1</policy><cbitpos>x</cbitpos></launchSecurity>\n") \
        == "Invalid format for launch security cbitpos"
    assert parse_error("  <launchSecurity type='tdx'/>\n") == \
        "Invalid value for attribute 'type' in element 'launchSecurity': 'tdx'."
