"""Schema checking against schemas/domain.xsd.

The fast path is lxml's XMLSchema (libxml2, C): valid or not.  Only for a
document that fails are the findings collected (path, line, reason): from
libxml2's error log, or on request from xmlschema."""

from __future__ import annotations

import threading
from typing import Any

from lxml import etree

from .errors import SchemaError

_lock = threading.Lock()
_lxml_schemas: dict[str, Any] = {}
_xs_schemas: dict[str, Any] = {}


def _schema_path(kind: str = "domain") -> str:
    from schemas import DOMAIN_XSD, STATUS_XSD

    return str(STATUS_XSD if kind == "domstatus" else DOMAIN_XSD)


def _kind(root: Any) -> str:
    # a document is checked as what it is used for: a <domain> definition.
    # Status XML (<domstatus>) has its own schema, used explicitly (kind=).
    return "domain"


def lxml_schema(kind: str = "domain") -> Any:
    """The compiled schema for root ``domain`` (or ``domstatus``), once per process."""
    sch = _lxml_schemas.get(kind)
    if sch is None:
        with _lock:
            sch = _lxml_schemas.get(kind)
            if sch is None:
                parser = etree.XMLParser(resolve_entities=False, no_network=True)
                doc = etree.parse(_schema_path(kind), parser)
                sch = _lxml_schemas[kind] = etree.XMLSchema(doc)
    return sch


def xmlschema_schema(kind: str = "domain") -> Any:
    sch = _xs_schemas.get(kind)
    if sch is None:
        with _lock:
            sch = _xs_schemas.get(kind)
            if sch is None:
                import xmlschema

                sch = _xs_schemas[kind] = xmlschema.XMLSchema10(_schema_path(kind))
    return sch


def is_valid(root: Any, kind: str | None = None) -> bool:
    return bool(lxml_schema(kind or _kind(root)).validate(root))


def explain(root: Any, file: str | None = None, *, engine: str = "libxml2") -> list[SchemaError]:
    """All schema findings of a document (the slow path, for a document
    :func:`is_valid` refused).

    ``engine="libxml2"`` (the default) gives libxml2's own messages, the
    ones ``xmllint``/``virt-xml-validate`` users know, with line and path:
    no second schema engine to load.  ``engine="xmlschema"`` asks xmlschema
    for its reasons instead (it loads the schema once per process, about a
    second, and costs milliseconds per document)."""
    out: list[SchemaError] = []
    if engine == "xmlschema":
        out = _explain_xmlschema(root, file)
    elif engine != "libxml2":
        raise ValueError(f"unknown schema engine {engine!r}")
    if not out:
        sch = lxml_schema(_kind(root))
        sch.validate(root)
        for e in sch.error_log:
            if _LIBXML2_NOISE in e.message:
                continue  # follows a real finding on the same value; says nothing more
            out.append(SchemaError(e.message, file=file, line=e.line, column=e.column or None,
                                   path=e.path, rule="schema"))
    return out


#: libxml2's note after a value it could not type (always after the real error)
_LIBXML2_NOISE = "No precomputed value available"


def _explain_xmlschema(root: Any, file: str | None) -> list[SchemaError]:
    out: list[SchemaError] = []
    try:
        schema = xmlschema_schema(_kind(root))
        for err in schema.iter_errors(root):
            elem = getattr(err, "invalid_child", None)
            if elem is None:
                elem = getattr(err, "elem", None)
            line = getattr(elem, "sourceline", None) if elem is not None else None
            path = None
            if elem is not None and hasattr(elem, "getroottree"):
                try:
                    path = elem.getroottree().getpath(elem)
                except ValueError:
                    path = None
            path = path or getattr(err, "path", None)
            reason = err.reason or str(err.message)
            tag = getattr(elem, "tag", None)
            if isinstance(tag, str) and not reason.startswith(("element", "Element")):
                local = tag.rpartition("}")[2]
                reason = f"element '{local}': {reason}"
            out.append(SchemaError(reason, file=file, line=line, path=path, rule="schema"))
    except Exception:  # noqa: BLE001 - pragma: no cover - the caller falls back on libxml2's text
        return []
    return out


def check(root: Any, file: str | None = None) -> None:
    """Raise the first SchemaError of an invalid document."""
    if not is_valid(root):
        errs = explain(root, file)
        raise errs[0] if errs else SchemaError("document does not match the domain schema", file=file)

