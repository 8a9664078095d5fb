"""virDomainDefOSValidate (libvirt 9.0, generic): loader / nvram /
firmware autoselection rules, as libvirt's test driver reports them."""

from __future__ import annotations

import pytest

from .helpers import assert_error, assert_ok, domain

CASES = [
    ("<type>hvm</type><loader stateless='yes'>/x</loader><nvram>/y</nvram>",
     "NVRAM is not permitted when loader is stateless"),
    ("<type>hvm</type><loader type='rom'>/x</loader><nvram>/y</nvram>", None),
    ("<type>hvm</type><loader type='rom' stateless='no'>/x</loader>", "Only pflash loader type permits NVRAM"),
    ("<type>hvm</type><loader type='pflash' stateless='yes'>/x</loader><nvram template='/t'/>",
     "NVRAM template is not permitted when loader is stateless"),
    ("<type>hvm</type><loader stateless='no'>/x</loader>", "Only pflash loader type permits NVRAM"),
    ("<type>hvm</type><loader>/x</loader><nvram>/y</nvram>", None),
    ("<type>hvm</type><loader stateless='yes'>/x</loader>", None),
    ("<type>hvm</type><nvram>/x</nvram>", "no loader path specified and firmware auto selection disabled"),
    ("<type>hvm</type><nvram template='/t'/>", "no loader path specified and firmware auto selection disabled"),
]
FW_CASES = [
    ("efi", "<type>hvm</type><loader>/x</loader>",
     "loader attribute 'type' cannot be specified when firmware autoselection is enabled"),
    ("efi", "<type>hvm</type><loader stateless='yes'/><nvram>/y</nvram>",
     "NVRAM is not permitted when loader is stateless"),
    ("efi", "<type>hvm</type><loader stateless='no'/>", None),
    ("efi", "<type>hvm</type><nvram template='/t'/>",
     "nvram attribute 'template' cannot be specified when firmware autoselection is enabled"),
    ("efi", "<type>hvm</type><loader secure='yes'/>", None),
    ("efi", "<type>hvm</type><loader type='pflash' readonly='yes'/>",
     "loader attribute 'readonly' cannot be specified when firmware autoselection is enabled"),
    ("efi", "<type>hvm</type><loader secure='no' readonly='yes'/>",
     "loader attribute 'readonly' cannot be specified when firmware autoselection is enabled"),
    ("efi", "<type>hvm</type><loader secure='no' type='pflash'/>",
     "loader attribute 'type' cannot be specified when firmware autoselection is enabled"),
    ("efi", "<type>hvm</type><loader secure='no'/><nvram template='/t'/>",
     "nvram attribute 'template' cannot be specified when firmware autoselection is enabled"),
    ("efi", "<type>hvm</type><loader readonly='no'/>",
     "loader attribute 'readonly' cannot be specified when firmware autoselection is enabled"),
    ("efi", "<type>hvm</type><loader secure='no'/>",
     "loader attribute 'secure' cannot be specified when firmware autoselection is enabled"),
    ("bios", "<type>hvm</type><nvram>/x</nvram>", "firmware type 'bios' does not support nvram"),
    ("bios", "<type>hvm</type><loader secure='no'/><nvram>/x</nvram>",
     "loader attribute 'secure' cannot be specified when firmware autoselection is enabled"),
    ("bios", "<type>hvm</type><loader stateless='yes'/><nvram>/x</nvram>",
     "firmware type 'bios' does not support nvram"),
    ("bios", "<type>hvm</type><loader stateless='no'/>", "Only EFI firmware permits NVRAM"),
    ("bios", "<type>hvm</type><loader stateless='yes'/>", None),
    ("bios", "<type>hvm</type><loader secure='yes'/>", None),
]


@pytest.mark.parametrize("os_body,want", CASES)
def test_loader_without_autoselection(os_body: str, want: str | None) -> None:
    xml = domain("", os=f"<os>{os_body}</os>")
    if want is None:
        assert_ok(xml)
    else:
        assert_error(xml, want)


@pytest.mark.parametrize("fw,os_body,want", FW_CASES)
def test_loader_with_autoselection(fw: str, os_body: str, want: str | None) -> None:
    xml = domain("", os=f"<os firmware='{fw}'>{os_body}</os>")
    if want is None:
        assert_ok(xml)
    else:
        assert_error(xml, want)
