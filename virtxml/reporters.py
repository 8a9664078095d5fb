"""Lint output formats: text, JSON (orjson), SARIF 2.1.0, GitHub workflow
annotations.  Each reporter turns (findings, summary) into bytes."""

from __future__ import annotations

from typing import Any, Iterable

import orjson

from .findings import Finding

TOOL_URI = "https://libvirt.org/formatdomain.html"

#: stable rule ids: id -> (short name, description)
RULES: dict[str, tuple[str, str]] = {
    "io": ("VX001", "The file could not be read."),
    "xml-syntax": ("VX100", "The document is not well-formed XML."),
    "xml-security": ("VX101", "The document uses XML features refused for safety."),
    "xml-dtd": ("VX102", "DTDs and entity declarations are not allowed in domain XML."),
    "xml-too-large": ("VX103", "The document exceeds the size limit."),
    "root-element": ("VX110", "The root element is not <domain>."),
    "schema": ("VX200", "The document does not match libvirt's domain schema."),
    "parse": ("VX300", "libvirt's domain parser refuses the document."),
    "post-parse": ("VX400", "libvirt's post-parse refuses the definition."),
    "post-parse-tolerable": ("VX401", "Post-parse failed in a way libvirt tolerates when loading stored configs."),
    "validate": ("VX500", "libvirt's define-time validation refuses the definition."),
    "skipped": ("VX900", "A check was skipped."),
    "internal": ("VX999", "virtxml failed internally on this document."),
}

_LEVEL = {"error": "error", "warning": "warning", "note": "note"}


def rule_id(rule: str) -> str:
    return RULES.get(rule, ("VX300", ""))[0]


def text(findings: Iterable[Finding], summary: dict[str, Any]) -> bytes:
    lines = [f.text() for f in findings]
    return ("\n".join(lines) + ("\n" if lines else "")).encode()


def json_report(findings: Iterable[Finding], summary: dict[str, Any]) -> bytes:
    doc = {"summary": summary, "findings": [f.as_dict() for f in findings]}
    return orjson.dumps(doc, option=orjson.OPT_INDENT_2) + b"\n"


def sarif(findings: Iterable[Finding], summary: dict[str, Any]) -> bytes:
    from . import __version__

    flist = list(findings)
    used = sorted({f.rule for f in flist} | {"schema", "parse", "post-parse", "validate", "xml-syntax"})
    rules: list[dict[str, Any]] = []
    index: dict[str, int] = {}
    for r in used:
        rid, desc = RULES.get(r, ("VX300", "libvirt refuses the document."))
        index[r] = len(rules)
        rules.append({
            "id": rid,
            "name": r.replace("-", "_"),
            "shortDescription": {"text": desc},
            "helpUri": TOOL_URI,
            "defaultConfiguration": {"level": "error"},
        })
    results = []
    for f in flist:
        region: dict[str, Any] = {"startLine": max(f.line, 1)}
        if f.column > 0:
            region["startColumn"] = f.column
        res: dict[str, Any] = {
            "ruleId": RULES.get(f.rule, ("VX300", ""))[0],
            "ruleIndex": index[f.rule],
            "level": _LEVEL.get(f.severity, "error"),
            "message": {"text": f.message + (f"\nHint: {f.hint}" if f.hint else "")},
            "locations": [{
                "physicalLocation": {
                    "artifactLocation": {"uri": _uri(f.file)},
                    "region": region,
                },
            }],
        }
        if f.path:
            res["locations"][0]["logicalLocations"] = [{"fullyQualifiedName": f.path, "kind": "element"}]
        results.append(res)
    doc = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "virtxml", "version": __version__,
                                "informationUri": "https://libvirt.org/formatdomain.html", "rules": rules}},
            "results": results,
            "invocations": [{"executionSuccessful": True,
                             "properties": {"summary": summary}}],
        }],
    }
    return orjson.dumps(doc, option=orjson.OPT_INDENT_2) + b"\n"


def _uri(path: str) -> str:
    if path == "-":
        return "stdin"
    from urllib.parse import quote

    return quote(path.replace("\\", "/"))


def _gh_escape_data(s: str) -> str:
    return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _gh_escape_prop(s: str) -> str:
    return _gh_escape_data(s).replace(":", "%3A").replace(",", "%2C")


def github(findings: Iterable[Finding], summary: dict[str, Any]) -> bytes:
    """GitHub workflow commands: ``::error file=F,line=L,col=C,title=T::MESSAGE``."""
    out = []
    for f in findings:
        level = {"error": "error", "warning": "warning"}.get(f.severity, "notice")
        props = [f"file={_gh_escape_prop(f.file)}", f"line={max(f.line, 1)}"]
        if f.column > 0:
            props.append(f"col={f.column}")
        props.append(f"title={_gh_escape_prop('virtxml ' + rule_id(f.rule) + ' ' + f.rule)}")
        out.append(f"::{level} {','.join(props)}::{_gh_escape_data(f.message)}")
    return ("\n".join(out) + ("\n" if out else "")).encode()


REPORTERS = {"text": text, "json": json_report, "sarif": sarif, "github": github}
