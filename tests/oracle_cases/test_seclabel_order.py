"""libvirt parses the domain's <seclabel>s early (after name, uuid, type,
os type and title; before memory, vcpus, devices): their errors win over
those of later elements, and lose to the earlier ones."""

from __future__ import annotations

from .helpers import assert_error

LABELS = "<seclabel type='none' relabel='no'/><seclabel type='dynamic' model='dac' relabel='yes'/>"
MISSING_MODEL = "XML error: missing security model when using multiple labels"


def test_seclabel_error_before_device_error() -> None:
    assert_error("<domain type='test'><name>a</name><memory>1024</memory><os><type>hvm</type></os>"
                 "<devices><disk type='file'><source file='/a'/><target dev='vda' bus='bogus'/></disk>"
                 "</devices>" + LABELS + "</domain>", MISSING_MODEL)


def test_seclabel_error_before_vcpu_error() -> None:
    assert_error("<domain type='test'><name>a</name><memory>1024</memory><vcpu current='5'>2</vcpu>"
                 "<os><type>hvm</type></os>" + LABELS + "</domain>", MISSING_MODEL)


def test_duplicate_model_before_numatune_error() -> None:
    assert_error("<domain type='test'><name>a</name><memory>1024</memory><os><type>hvm</type></os>"
                 "<seclabel type='dynamic' model='selinux'/><seclabel type='dynamic' model='selinux'/>"
                 "<numatune><memory mode='bogus'/></numatune></domain>",
                 "seclabel for model selinux is already provided")


def test_missing_name_before_seclabel_error() -> None:
    assert_error("<domain type='test'><memory>1024</memory><os><type>hvm</type></os>" + LABELS
                 + "</domain>", "missing name information")


def test_unknown_os_type_before_seclabel_error() -> None:
    assert_error("<domain type='test'><name>a</name><memory>1024</memory><os><type>bogus</type></os>"
                 + LABELS + "</domain>", "unknown OS type 'bogus'")
