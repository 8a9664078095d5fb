"""Conformance runner: run libvirt's own test cases through virtxml.

Usage::

    python -m virtxml.conformance CORPUS_DIR [--suite NAME]... [--json]

``CORPUS_DIR`` holds ``manifest.json`` (layout: the corpus README): a list
of cases, each with ``suite``, ``name``, ``input`` and either ``expected``
(``{"active"|"inactive"|"status": path}``) or ``expect: parse-error``
(with ``when`` and/or ``error``).  Every case of every selected suite is run
by that suite's handler; cases of suites with no handler are reported as
``unsupported``.

Output: one line per suite, ``SUITE: P/T passed`` (plus counts of failures,
errors and unsupported cases when there are any).  With ``--json``, one
JSON object per case is written to stdout first::

    {"suite": ..., "name": ..., "status": "pass"|"fail"|"error"|"unsupported", "detail": ...}

and the summary lines go to stderr.

Exit status: **0 whenever the run completed**, whatever the results
(failures are reported in the output, not through the exit status); 2 for
a usage error or an unreadable manifest.

The runner never looks at a case's name to decide anything: a case is
judged only by its manifest fields and files, so it runs unchanged on any
folder with the same layout.

Adding a suite is one function::

    @register_suite("lxcxml2xml")
    def _lxc(case: Case) -> Result:
        return run_xml2xml(case, make_parse(get_driver("lxc")))

Suite handlers may live outside this module: before running, the runner
imports ``drivers.<name>.conformance_suites`` for every known driver that
has one, and loads every entry point of the ``virtxml.conformance`` group
(a module or a callable); registering is done by ``register_suite``.
"""

from __future__ import annotations

import argparse
import os
import sys
import traceback
from typing import Any, Callable, Iterable

import attrs
import orjson

from .errors import VirtXMLError
from .flags import FormatFlags, ParseFlags

PASS, FAIL, ERROR, UNSUPPORTED = "pass", "fail", "error", "unsupported"

#: libvirt's error-code prefixes (virErrorMsg) that ``.err`` files carry
#: in front of the message text
LIBVIRT_ERROR_PREFIXES: tuple[str, ...] = (
    "XML error:", "unsupported configuration:", "internal error:", "invalid argument:",
    "Requested operation is not valid:", "operation failed:", "operation forbidden:",
    "this function is not supported by the connection driver:",
    "XML document failed to validate against schema:", "configuration file syntax error:",
    "argument unsupported:", "invalid file:", "error from service:", "numerical overflow:",
)


class Unsupported(Exception):
    """Raised by a handler for a case it cannot run (e.g. a capability kind
    the project does not model yet)."""


@attrs.define
class Case:
    """One manifest entry, with the corpus folder it lives in."""

    root: str
    raw: dict[str, Any]

    @property
    def suite(self) -> str:
        return str(self.raw.get("suite", ""))

    @property
    def name(self) -> str:
        return str(self.raw.get("name", ""))

    def path(self, rel: str) -> str:
        return os.path.join(self.root, rel)

    def read(self, rel: str) -> bytes:
        with open(self.path(rel), "rb") as fh:
            return fh.read()

    def get(self, key: str, default: Any = None) -> Any:
        return self.raw.get(key, default)


@attrs.define
class Result:
    status: str
    detail: str = ""


Handler = Callable[[Case], Result]

#: suite name -> handler
SUITES: dict[str, Handler] = {}


def register_suite(name: str) -> Callable[[Handler], Handler]:
    """Decorator: register ``fn(case) -> Result`` as the handler of ``name``."""

    def deco(fn: Handler) -> Handler:
        SUITES[name] = fn
        return fn

    return deco


#: functions ``fn(root) -> list[Case]`` that add cases found from a corpus
#: folder's layout (suites the manifest does not list, e.g. bhyvexml2xml)
CASE_SOURCES: list[Callable[[str], list["Case"]]] = []


def register_case_source(fn: Callable[[str], list["Case"]]) -> Callable[[str], list["Case"]]:
    """Decorator: ``fn(root)`` returns extra cases discovered in ``root``;
    they are run after the manifest's (a case whose suite and name the
    manifest already has is not added again)."""
    CASE_SOURCES.append(fn)
    return fn


# --------------------------------------------------------------------------
# helpers shared by the suite handlers


def error_text(err: BaseException) -> str:
    return getattr(err, "message", None) or str(err)


def error_matches(expected: str, message: str) -> bool:
    """Does ``message`` (virtxml's bare text) match an ``.err`` file's text
    (libvirt's text, with its error-code prefix)?"""
    expected = expected.rstrip("\n")
    message = message.rstrip("\n")
    if expected == message:
        return True
    for prefix in LIBVIRT_ERROR_PREFIXES:
        if expected.startswith(prefix) and expected[len(prefix):].lstrip(" ") == message:
            return True
    return False


def first_diff(expected: str, actual: str) -> str:
    """A short description of the first differing line."""
    el = expected.splitlines()
    al = actual.splitlines()
    for i in range(max(len(el), len(al))):
        e = el[i] if i < len(el) else "<EOF>"
        a = al[i] if i < len(al) else "<EOF>"
        if e != a:
            return f"line {i + 1}: expected {e.strip()!r}, got {a.strip()!r}"
    return "trailing whitespace/newline differs"


def parse_flags_for(kind: str) -> int:
    return int(ParseFlags.INACTIVE) if kind == "inactive" else 0


def format_flags_for(kind: str) -> int:
    flags = FormatFlags.SECURE
    if kind == "inactive":
        flags |= FormatFlags.INACTIVE
    return int(flags)


ParseFn = Callable[[bytes, int, str], Any]


def make_parse(driver: Any, options: dict[str, Any] | None = None,
               ctx_data: dict[str, Any] | None = None, extra_flags: int = 0) -> ParseFn:
    """A ``parse(data, flags, file)`` function for ``driver``: the whole
    define pipeline (bind, post-parse, validation) of virtxml.api."""
    from . import api
    from .binding import ParseContext

    def _parse(data: bytes, flags: int, file: str) -> Any:
        ctx = ParseContext(flags | extra_flags, file)
        if ctx_data:
            ctx.data.update(ctx_data)
        return api.parse(data, driver=driver, flags=flags | extra_flags, options=options, file=file,
                         ctx=ctx)

    return _parse


def run_xml2xml(case: Case, parse: ParseFn, fmt: Callable[[Any, int], str] | None = None) -> Result:
    """The xml2xml check of libvirt's testCompareDomXML2XMLFiles.

    * ``expect: parse-error``: parsing (with PARSE_INACTIVE when ``when`` is
      ``inactive``) must fail; with an ``error`` file, with that message.
    * otherwise, for each ``expected`` kind (``active``/``inactive``): parse
      with that kind's flags, format with SECURE (+INACTIVE) and compare
      the bytes with the expected file.
    """
    from . import api

    fmt = fmt or api.format
    inp = case.get("input")
    if not inp:
        return Result(ERROR, "case has no input")
    data = case.read(inp)
    file = case.path(inp)
    if case.get("expect") == "parse-error":
        when = case.get("when", "active")
        try:
            parse(data, parse_flags_for(when), file)
        except VirtXMLError as err:
            msg = error_text(err)
            errfile = case.get("error")
            if errfile:
                want = case.read(errfile).decode("utf-8", "replace")
                if not error_matches(want, msg):
                    return Result(FAIL, f"wrong error: expected {want.strip()!r}, got {msg!r}")
            return Result(PASS, msg)
        return Result(FAIL, f"parsed without error ({when})")
    expected = case.get("expected") or {}
    if not expected:
        return Result(ERROR, "case has neither expected outputs nor an expected error")
    details = []
    for kind in ("active", "inactive"):
        rel = expected.get(kind)
        if rel is None:
            continue
        try:
            dom = parse(data, parse_flags_for(kind), file)
        except VirtXMLError as err:
            return Result(FAIL, f"{kind}: refused: {error_text(err)}")
        out = fmt(dom, format_flags_for(kind))
        want = case.read(rel).decode("utf-8")
        if out != want:
            return Result(FAIL, f"{kind}: {first_diff(want, out)}")
        details.append(kind)
    unknown = set(expected) - {"active", "inactive"}
    if unknown:
        raise Unsupported(f"expected output kinds not handled: {sorted(unknown)}")
    return Result(PASS, "+".join(details))


# --------------------------------------------------------------------------
# suites


def _generic_driver() -> Any:
    from drivers import get_driver

    return get_driver("generic")


@register_suite("genericxml2xml")
def _genericxml2xml(case: Case) -> Result:
    """libvirt's genericxml2xmltest: the bare parser config of testutils.c
    (feature INDIVIDUAL_VCPUS only, no callbacks) on libvirt's fake x86_64
    test host."""
    return run_xml2xml(case, make_parse(_generic_driver(), ctx_data={"host_arch": "x86_64"}))


# --------------------------------------------------------------------------
# runner


def load_manifest(root: str) -> list[Case]:
    with open(os.path.join(root, "manifest.json"), "rb") as fh:
        raw = orjson.loads(fh.read())
    if not isinstance(raw, list):
        raise ValueError("manifest.json must hold a list of cases")
    return [Case(root, c) for c in raw if isinstance(c, dict)]


def run_case(case: Case) -> Result:
    handler = SUITES.get(case.suite)
    if handler is None:
        return Result(UNSUPPORTED, f"no handler for suite {case.suite!r}")
    try:
        return handler(case)
    except Unsupported as exc:
        return Result(UNSUPPORTED, str(exc))
    except VirtXMLError as exc:
        return Result(FAIL, f"{type(exc).__name__}: {error_text(exc)}")
    except Exception as exc:  # noqa: BLE001 - any bug is reported per case
        tb = traceback.extract_tb(exc.__traceback__)
        where = f" at {tb[-1].filename}:{tb[-1].lineno}" if tb else ""
        return Result(ERROR, f"{type(exc).__name__}: {exc}{where}")


PLUGIN_GROUP = "virtxml.conformance"
_plugins_loaded = False


def load_plugins() -> None:
    """Import the suite handlers that live with the drivers (once)."""
    global _plugins_loaded
    if _plugins_loaded:
        return
    _plugins_loaded = True
    import importlib
    from importlib import metadata

    try:
        from drivers import list_drivers

        names = list_drivers()
    except Exception:  # noqa: BLE001 - no drivers package
        names = []
    for name in names:
        modname = f"drivers.{name}.conformance_suites"
        try:
            importlib.import_module(modname)
        except ModuleNotFoundError as exc:
            if exc.name not in (modname, f"drivers.{name}"):
                raise
    try:
        eps = list(metadata.entry_points(group=PLUGIN_GROUP))
    except Exception:  # noqa: BLE001 - broken metadata
        eps = []
    for ep in eps:
        obj = ep.load()
        if callable(obj):
            obj()


def run(root: str, suites: Iterable[str] | None = None) -> list[tuple[Case, Result]]:
    load_plugins()
    wanted = set(suites) if suites else None
    out = []
    cases = load_manifest(root)
    seen = {(c.suite, c.name) for c in cases}
    for source in CASE_SOURCES:
        for extra in source(root):
            if (extra.suite, extra.name) not in seen:
                seen.add((extra.suite, extra.name))
                cases.append(extra)
    for case in cases:
        if wanted is not None and case.suite not in wanted:
            continue
        out.append((case, run_case(case)))
    return out


def summarize(results: list[tuple[Case, Result]]) -> list[str]:
    order: list[str] = []
    counts: dict[str, dict[str, int]] = {}
    for case, res in results:
        if case.suite not in counts:
            order.append(case.suite)
            counts[case.suite] = {PASS: 0, FAIL: 0, ERROR: 0, UNSUPPORTED: 0}
        counts[case.suite][res.status] += 1
    lines = []
    for suite in order:
        c = counts[suite]
        total = sum(c.values())
        line = f"{suite}: {c[PASS]}/{total} passed"
        extra = [f"{c[k]} {k}" for k in (FAIL, ERROR, UNSUPPORTED) if c[k]]
        if extra:
            line += " (" + ", ".join(extra) + ")"
        lines.append(line)
    return lines


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m virtxml.conformance",
                                 description="Run a libvirt test corpus through virtxml. "
                                             "Exit status 0 when the run completed (results are in the "
                                             "output, not the exit status); 2 on usage/IO errors.")
    ap.add_argument("corpus", help="folder holding manifest.json")
    ap.add_argument("--suite", action="append", default=[], help="run only this suite (repeatable)")
    ap.add_argument("--json", action="store_true", help="one JSON object per case on stdout")
    ap.add_argument("--failures", action="store_true", help="list failing cases with their cause")
    ns = ap.parse_args(argv)
    try:
        results = run(ns.corpus, ns.suite or None)
    except (OSError, ValueError, orjson.JSONDecodeError) as exc:
        print(f"error: cannot read {os.path.join(ns.corpus, 'manifest.json')}: {exc}", file=sys.stderr)
        return 2
    summary_stream = sys.stderr if ns.json else sys.stdout
    if ns.json:
        w = sys.stdout.buffer
        for case, res in results:
            w.write(orjson.dumps({"suite": case.suite, "name": case.name, "status": res.status,
                                  "detail": res.detail}))
            w.write(b"\n")
        w.flush()
    if ns.failures:
        for case, res in results:
            if res.status in (FAIL, ERROR):
                print(f"{case.suite} {case.name}: {res.status}: {res.detail}", file=summary_stream)
    for line in summarize(results):
        print(line, file=summary_stream)
    return 0


if __name__ == "__main__":  # pragma: no cover
    # run the canonical module, so that plugins registering into
    # ``virtxml.conformance`` and this run share one suite table
    from virtxml import conformance as _canonical

    sys.exit(_canonical.main())
