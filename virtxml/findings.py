"""Findings: what lint reports, one object per problem, with location."""

from __future__ import annotations

from typing import Any

import attrs

from .errors import VirtXMLError

SEVERITIES = ("note", "warning", "error")


@attrs.frozen(kw_only=True)
class Finding:
    file: str
    line: int
    column: int
    rule: str
    severity: str
    message: str
    path: str = ""
    hint: str | None = None

    def as_dict(self) -> dict[str, Any]:
        d = {"file": self.file, "line": self.line, "column": self.column, "path": self.path,
             "rule": self.rule, "severity": self.severity, "message": self.message}
        if self.hint:
            d["hint"] = self.hint
        return d

    def text(self) -> str:
        return f"{self.file}:{self.line}:{self.column}: {self.severity}: {self.message}"


def from_error(err: VirtXMLError, file: str, severity: str = "error") -> Finding:
    return Finding(file=file, line=err.line or 0, column=err.column or 0, rule=err.rule,
                   severity=severity, message=err.message, path=err.path or "", hint=err.hint)
