"""Checking documents: every finding of a document in one pass.

Order: well-formedness and safety → schema (all schema findings) → binding
with libvirt's parse-time rules → post-parse → validation, with the chosen
driver.  A schema failure does not stop the semantic checks when the
document can still be bound.

The verdict is libvirt's define-time verdict: ``virsh define`` does not run
the schema unless asked (``--validate``), so schema findings are warnings
unless ``schema_errors`` is set (``virtxml lint --validate``) or only the
schema is checked (``--schema-only``)."""

from __future__ import annotations

from typing import Any

import attrs

from .api import _pipeline as _api_pipeline
from .api import bind
from .errors import VirtXMLError
from .findings import Finding, from_error
from .flags import ParseFlags
from .safexml import parse_bytes, read_source


@attrs.define(kw_only=True)
class LintOptions:
    driver: Any = None  # driver name or object; None → no host-specific checks
    schema: bool = True
    schema_only: bool = False
    #: schema findings are errors (virsh define --validate), not warnings
    schema_errors: bool = False
    options: dict[str, Any] = attrs.field(factory=dict)
    #: parse flags; define parses with PARSE_INACTIVE
    flags: int = ParseFlags.INACTIVE
    #: who words schema findings: "libxml2" (fast) or "xmlschema" (see schema.explain)
    schema_messages: str = "libxml2"
    #: (options, driver, driver object, prepared options) of this run, made once
    _run: Any = attrs.field(default=None, init=False, eq=False, repr=False)


def lint_bytes(data: bytes, display_name: str, opts: LintOptions) -> list[Finding]:
    findings: list[Finding] = []
    try:
        root = parse_bytes(data, display_name)
    except VirtXMLError as e:
        return [from_error(e, display_name)]
    if opts.schema or opts.schema_only:
        from . import schema

        try:
            valid = schema.is_valid(root)
        except Exception as e:  # noqa: BLE001 - a broken schema is a tool error
            raise VirtXMLError(f"cannot load the domain schema: {e}", rule="internal") from None
        if not valid:
            sev = "error" if (opts.schema_only or opts.schema_errors) else "warning"
            for err in schema.explain(root, display_name, engine=opts.schema_messages):
                findings.append(from_error(err, display_name, severity=sev))
    if opts.schema_only:
        return _with_columns(findings, data)
    try:
        api_parse_root(root, display_name, opts)
    except VirtXMLError as e:
        findings.append(from_error(e, display_name))
    return _with_columns(findings, data)


def _with_columns(findings: list[Finding], data: bytes) -> list[Finding]:
    """lxml knows lines but not columns of elements: find the element's
    start tag on its line (1-based column) where the path names it."""
    if not any(f.column == 0 and f.line > 0 and f.path for f in findings):
        return findings
    lines = data.split(b"\n")
    out = []
    for f in findings:
        if f.column == 0 and 0 < f.line <= len(lines) and f.path:
            tag = f.path.rsplit("/", 1)[-1].split("[", 1)[0].rpartition(":")[2].encode()
            col = lines[f.line - 1].find(b"<" + tag)
            if col < 0:
                col = lines[f.line - 1].find(b"<")
            if col >= 0:
                f = attrs.evolve(f, column=col + 1)
        out.append(f)
    return out


_SKIP_VALIDATE = int(ParseFlags.SKIP_VALIDATE)
def _pipeline() -> tuple[Any, Any, Any]:
    """(get_driver, post-parse engine, bind): the pipeline ``virtxml.api``
    imports on first use."""
    get_driver, engine = _api_pipeline()
    return get_driver, engine, bind


def prepare(opts: LintOptions) -> None:
    """Do once what every document of a run needs: import the pipeline,
    compile the schema, resolve the driver's options (its capability
    source).  Called before worker processes fork, so that they share it."""
    get_driver, _engine, _bind = _pipeline()
    if opts.schema or opts.schema_only:
        from . import schema

        schema.lxml_schema()
    if not opts.schema_only:
        _resolved(opts, get_driver)


def _resolved(opts: LintOptions, get_driver: Any) -> tuple[Any, dict[str, Any]]:
    """(driver, options prepared by it), once per LintOptions and options."""
    run = opts._run
    if run is None or run[0] is not opts.options or run[1] != opts.driver:
        driver = opts.driver if opts.driver is not None else "test"
        drv = get_driver(driver) if isinstance(driver, str) else driver
        run = opts._run = (opts.options, opts.driver, drv, drv.prepare_options(opts.options))
    return run[2], run[3]


def api_parse_root(root: Any, file: str, opts: LintOptions) -> Any:
    get_driver, engine, bind = _pipeline()
    drv, options = _resolved(opts, get_driver)
    dom = bind(root, flags=opts.flags, file=file, parser_config=drv)
    pctx = engine.post_parse(dom, drv, opts.flags, options)
    if not int(opts.flags) & _SKIP_VALIDATE:
        engine.validate(dom, drv, pctx)
    return dom


def read_input(name: str) -> bytes:
    """The bytes of a file named on a command line, or standard input for
    ``-``; InputError (rule 'io') when it cannot be read."""
    import os
    import sys

    from .errors import InputError
    from .safexml import MAX_DOCUMENT_BYTES

    if name == "-":
        return sys.stdin.buffer.read(MAX_DOCUMENT_BYTES + 1)
    if not os.path.exists(name):
        raise InputError("cannot read file: No such file or directory", file=name)
    if os.path.isdir(name):
        raise InputError("cannot read file: Is a directory", file=name)
    # a name that looks like a document is still a file name here
    data, _ = read_source(name if not name.lstrip().startswith("<") else "./" + name)
    return data


def lint_file(path: str, opts: LintOptions) -> list[Finding]:
    """Lint one file (``-``: standard input).  Raises InputError (rule
    'io') when it cannot be read."""
    return lint_bytes(read_input(path), path, opts)
