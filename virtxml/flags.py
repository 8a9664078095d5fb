"""libvirt's parse and format flags (virDomainDefParseFlags,
virDomainDefFormatFlags), bit for bit."""

from __future__ import annotations

import enum


class ParseFlags(enum.IntFlag):
    NONE = 0
    STATUS = 1 << 0
    INACTIVE = 1 << 1
    ACTUAL_NET = 1 << 2
    PCI_ORIG_STATES = 1 << 3
    ALLOW_ROM = 1 << 4
    ALLOW_BOOT = 1 << 5
    VALIDATE_SCHEMA = 1 << 6
    ABI_UPDATE = 1 << 7
    SKIP_VALIDATE = 1 << 8
    SKIP_SECLABEL = 1 << 9
    ABI_UPDATE_MIGRATION = 1 << 10
    ALLOW_POST_PARSE_FAIL = 1 << 11

    # what libvirt passes when loading stored files
    LOAD_CONFIG = INACTIVE | SKIP_VALIDATE | ALLOW_POST_PARSE_FAIL
    LOAD_STATUS = STATUS | ACTUAL_NET | PCI_ORIG_STATES | SKIP_VALIDATE | ALLOW_POST_PARSE_FAIL


class FormatFlags(enum.IntFlag):
    NONE = 0
    SECURE = 1 << 0
    INACTIVE = 1 << 1
    MIGRATABLE = 1 << 2
    STATUS = 1 << 3
    ACTUAL_NET = 1 << 4
    PCI_ORIG_STATES = 1 << 5
    ALLOW_ROM = 1 << 6
    ALLOW_BOOT = 1 << 7
    CLOCK_ADJUST = 1 << 8

    COMMON = SECURE | INACTIVE | MIGRATABLE
    # virDomainObjSave
    STATUS_FILE = SECURE | STATUS | ACTUAL_NET | PCI_ORIG_STATES | CLOCK_ADJUST


class XMLDescFlags(enum.IntFlag):
    """Public virDomainGetXMLDesc flags."""

    SECURE = 1 << 0
    INACTIVE = 1 << 1
    UPDATE_CPU = 1 << 2
    MIGRATABLE = 1 << 3


def xmldesc_to_format(flags: int) -> FormatFlags:
    """virDomainDefFormatConvertXMLFlags: other bits are dropped."""
    out = FormatFlags.NONE
    if flags & XMLDescFlags.SECURE:
        out |= FormatFlags.SECURE
    if flags & XMLDescFlags.INACTIVE:
        out |= FormatFlags.INACTIVE
    if flags & XMLDescFlags.MIGRATABLE:
        out |= FormatFlags.MIGRATABLE
    return out
