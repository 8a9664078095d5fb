"""Safe XML reading: no DTD loading, no entity expansion, no network, no
file access from inside a document, and a size bound."""

from __future__ import annotations

import os
from typing import Any

from lxml import etree

from .errors import InputError, XMLSecurityError, XMLSyntaxError

#: the largest document accepted (bytes); libvirt itself caps XML at 10 MiB
#: for files it reads (VIR_DOMAIN_XML_MAX / virFileReadAll limits).
MAX_DOCUMENT_BYTES = 10 * 1024 * 1024


def _make_parser() -> Any:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=False,
        remove_pis=False,
        collect_ids=False,
    )


_PARSER = _make_parser()


def read_source(source: str | bytes | os.PathLike[str], max_bytes: int = MAX_DOCUMENT_BYTES) -> tuple[bytes, str | None]:
    """Return (data, filename) for a path, str document or bytes document."""
    if isinstance(source, bytes):
        return source, None
    if isinstance(source, str) and source.lstrip().startswith("<"):
        return source.encode("utf-8"), None
    path = os.fspath(source)
    try:
        with open(path, "rb") as fh:
            data = fh.read(max_bytes + 1)
    except OSError as e:
        raise InputError(f"cannot read file: {e.strerror}", file=str(path)) from None
    return data, str(path)


def parse_bytes(data: bytes, filename: str | None = None, max_bytes: int = MAX_DOCUMENT_BYTES) -> Any:
    """Parse ``data`` into an lxml element, refusing anything unsafe."""
    if len(data) > max_bytes:
        raise XMLSecurityError(
            f"document too large: more than {max_bytes} bytes", file=filename, line=1, column=1,
            rule="xml-too-large")
    head = data[:4096]
    if b"<!DOCTYPE" in head or b"<!ENTITY" in data:
        # libvirt's virXMLParse refuses no DTDs, but it never expands external
        # entities either; a domain document has no use for a DTD at all.
        line = data[: data.find(b"<!")].count(b"\n") + 1 if b"<!" in data else 1
        raise XMLSecurityError(
            "DTDs and entity declarations are not allowed in domain XML", file=filename, line=line,
            column=1, rule="xml-dtd")
    try:
        root = etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError as e:
        line, col = (e.position if getattr(e, "position", None) else (e.lineno or 0, 0))
        msg = e.msg or str(e)
        raise XMLSyntaxError(msg, file=filename, line=line, column=col, rule="xml-syntax") from None
    except ValueError as e:  # e.g. unicode strings with encoding declaration
        raise XMLSyntaxError(str(e), file=filename, line=1, column=1) from None
    if root is None:
        raise XMLSyntaxError("empty document", file=filename, line=1, column=1)
    return root
