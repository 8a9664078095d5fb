"""The XSD schemas of libvirt's domain vocabulary (``domain.xsd`` and its
includes).  This package only carries the files; see virtxml.schema."""

from __future__ import annotations

from pathlib import Path

SCHEMA_DIR = Path(__file__).resolve().parent
DOMAIN_XSD = SCHEMA_DIR / "domain.xsd"
STATUS_XSD = SCHEMA_DIR / "domstatus.xsd"
