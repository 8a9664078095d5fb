"""Every example in docs/ runs; the CLI reference names every option; the
committed JSON Schema and conformance page are what their generators write.

Runnable blocks of docs/*.md (in document order, one temporary folder per
document, so a block may use files an earlier block wrote):

* ```python blocks: run with ``python`` (each block is a whole script);
* ```sh blocks whose first command starts with ``virtxml`` or ``python``:
  run with ``bash -e`` (every command must succeed);
* ```console blocks whose first command starts with ``$ virtxml`` or
  ``$ python``: each ``$ `` line is a command, the lines up to the next
  ``$ `` line are its expected output (stdout and stderr); a line ``...``
  matches any number of lines.

Other fences (```text, ```yaml, ```json, ...) are not run.  The blocks run
in a temporary folder holding links to the repository's ``testdata``,
``examples`` and ``docs`` folders; ``$CORPUS`` is libvirt's test data
(an environment variable: Python blocks use ``os.path.expandvars``).
A document naming ``$CORPUS`` is skipped without the corpus unless
``CI=true``."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from tests.corpus_paths import CORPUS, corpus_available, need_corpus

ROOT = Path(__file__).resolve().parent.parent
DOCS = sorted((ROOT / "docs").glob("*.md"))
FENCE = re.compile(r"^```([\w-]*)[^\n]*\n(.*?)^```[ \t]*$", re.S | re.M)


def blocks(path: Path) -> list[tuple[str, int, str]]:
    """(language, line number, text) of every runnable block of ``path``."""
    text = path.read_text()
    out = []
    for m in FENCE.finditer(text):
        lang, body = m.group(1), m.group(2)
        line = text.count("\n", 0, m.start()) + 1
        if lang == "python":
            out.append((lang, line, body))
        elif lang in ("sh", "console"):
            cmds = [ln.strip() for ln in body.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]
            first = cmds[0] if cmds else ""
            if lang == "console":
                first = first[2:] if first.startswith("$ ") else ""
            if first.startswith(("virtxml", "python")):
                out.append((lang, line, body))
    return out


_need_corpus = need_corpus


def _workdir(tmp_path: Path) -> dict[str, str]:
    for name in ("testdata", "examples", "docs"):
        (tmp_path / name).symlink_to(ROOT / name)
    bindir = tmp_path / ".bin"
    bindir.mkdir()
    for name, cmd in (("virtxml", f"{shlex.quote(sys.executable)} -m virtxml"),
                      ("python", shlex.quote(sys.executable)), ("python3", shlex.quote(sys.executable))):
        exe = bindir / name
        exe.write_text(f'#!/bin/sh\nexec {cmd} "$@"\n')
        exe.chmod(0o755)
    env = dict(os.environ)
    env["PATH"] = f"{bindir}{os.pathsep}{env.get('PATH', '')}"
    env["PYTHONPATH"] = str(ROOT) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    env["CORPUS"] = str(CORPUS)
    env.pop("VIRTXML_CORPUS", None)
    env["COLUMNS"] = "80"
    return env


def _run(args: list[str], cwd: Path, env: dict[str, str], what: str, stdin: str | None = None) -> str:
    p = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=300, input=stdin)
    assert p.returncode == 0, f"{what} failed (exit {p.returncode}):\n{p.stdout}\n{p.stderr}"
    return p.stdout


def _match(expected: list[str], actual: list[str]) -> bool:
    """Lines equal, ``...`` matching any run of lines."""
    if not expected:
        return not actual
    if expected[0] == "...":
        return any(_match(expected[1:], actual[i:]) for i in range(len(actual) + 1))
    return bool(actual) and actual[0].rstrip() == expected[0].rstrip() and _match(expected[1:], actual[1:])


def _console(body: str) -> list[tuple[str, list[str]]]:
    steps: list[tuple[str, list[str]]] = []
    for ln in body.splitlines():
        if ln.startswith("$ "):
            steps.append((ln[2:], []))
        elif steps:
            steps[-1][1].append(ln)
    return steps


def run_console(body: str, cwd: Path, env: dict[str, str], where: str) -> None:
    steps = _console(body)
    marker = "@@virtxml-docs-step@@"
    # the marker line must not change $?: keep each command's status for the next one
    script = "exec 2>&1\n__rc=0\n" + "".join(f"echo {marker}\n(exit $__rc)\n{cmd}\n__rc=$?\n"
                                                for cmd, _ in steps)
    out = _run(["bash", "-c", script], cwd, env, where)
    parts = out.split(marker + "\n")[1:]
    assert len(parts) == len(steps), f"{where}: the block stopped early:\n{out}"
    for (cmd, expected), got in zip(steps, parts):
        exp = list(expected)
        while exp and not exp[-1].strip():
            exp.pop()
        if not exp:
            continue
        lines = got.splitlines()
        while lines and not lines[-1].strip():
            lines.pop()
        assert _match(exp, lines), f"{where}: `{cmd}` printed\n{got}\nexpected\n" + "\n".join(exp)


@pytest.mark.parametrize("doc", DOCS, ids=[p.name for p in DOCS])
def test_doc_examples_run(doc: Path, tmp_path: Path) -> None:
    """Without the corpus, blocks naming $CORPUS are skipped (a failure in
    CI); a later block that then fails may depend on them, so it skips too."""
    runnable = blocks(doc)
    if not runnable:
        pytest.skip("no runnable block")
    env = _workdir(tmp_path)
    skipped: list[str] = []
    for lang, line, body in runnable:
        where = f"{doc.name}:{line} ({lang})"
        if "$CORPUS" in body and not corpus_available():
            if os.environ.get("CI") == "true":
                pytest.fail(f"{where}: corpus missing in CI")
            skipped.append(where)
            continue
        try:
            if lang == "python":
                _run([sys.executable, "-"], tmp_path, env, where, stdin=body)
            elif lang == "sh":
                _run(["bash", "-e", "-c", body], tmp_path, env, where)
            else:
                run_console(body, tmp_path, env, where)
        except AssertionError:
            if skipped:
                pytest.skip(f"{where} failed after the corpus blocks {skipped} were skipped")
            raise
    if skipped:
        pytest.skip(f"corpus not available: skipped {skipped}")


# ------------------------------------------------------------ the runner itself

def test_block_extraction_and_matching(tmp_path: Path) -> None:
    doc = tmp_path / "x.md"
    doc.write_text("```python\nprint(1)\n```\n```sh\n# c\nvirtxml lint a\n```\n```sh\npip install x\n```\n"
                   "```console\n$ python -V\nPython 3\n```\n```text\nvirtxml lint a\n```\n")
    assert [(lang, line) for lang, line, _ in blocks(doc)] == [("python", 1), ("sh", 4), ("console", 11)]
    assert _match(["a", "...", "d"], ["a", "b", "c", "d"])
    assert not _match(["a", "d"], ["a", "b", "d"])
    env = _workdir(tmp_path)
    run_console("$ echo hi\nhi\n$ false\n$ echo $?\n1\n$ echo $?\n0\n", tmp_path, env, "t")
    with pytest.raises(AssertionError):
        run_console("$ echo hi\nho\n", tmp_path, env, "t")


def test_docs_have_runnable_examples() -> None:
    names = {p.name for p in DOCS}
    for name in ("tutorial.md", "cli.md", "api.md", "json.md", "strategies.md"):
        assert name in names
        assert blocks(ROOT / "docs" / name), f"{name} has no runnable example"


# ------------------------------------------------------------ CLI reference

HELP = [["virtxml", "--help"], ["virtxml", "lint", "--help"], ["virtxml", "convert", "--help"],
        ["virtxml", "diff", "--help"], ["virtxml", "caps", "probe", "--help"],
        ["virtxml.conformance", "--help"]]


def _help(args: list[str]) -> str:
    env = dict(os.environ, COLUMNS="200", PYTHONPATH=str(ROOT))
    return subprocess.run([sys.executable, "-m", *args], capture_output=True, text=True,
                          env=env, timeout=60, check=True, cwd=ROOT).stdout


def help_options(out: str) -> set[str]:
    """Every option string a --help text names."""
    return set(re.findall(r"(?<![\w-])(--[a-z][a-z0-9-]*|-[a-zA-Z])\b", out)) - {"-h", "--help"}


@pytest.mark.parametrize("args", HELP, ids=[" ".join(a[:-1]) for a in HELP])
def test_cli_reference_names_every_option(args: list[str]) -> None:
    text = (ROOT / "docs" / "cli.md").read_text()
    out = _help(args)
    opts = help_options(out)
    assert len(opts) >= 3, out
    missing = sorted(o for o in opts if not re.search(r"`[^`]*" + re.escape(o) + r"(?![\w-])", text))
    assert not missing, f"docs/cli.md does not name {missing} of `python -m {' '.join(args)}`"
    for choices in re.findall(r"\{([\w,-]+)\}", out):
        for c in choices.split(","):
            assert f"`{c}`" in text or re.search(r"`[^`]*\b" + re.escape(c) + r"\b", text), \
                f"docs/cli.md does not name the choice {c!r}"


def test_cli_reference_names_every_connect_verb() -> None:
    from virtxml.connect.cli import _parser

    text = (ROOT / "docs" / "cli.md").read_text()
    p = _parser()
    sub = next(a for a in p._actions if a.__class__.__name__ == "_SubParsersAction")
    for verb, vp in sub.choices.items():  # type: ignore[attr-defined]
        assert f"`{verb}" in text, f"docs/cli.md does not name the --connect verb {verb}"
        for a in vp._actions:
            for o in a.option_strings:
                if o not in ("-h", "--help"):
                    assert o in text, f"docs/cli.md does not name {verb} {o}"


# ------------------------------------------------------------ generated files

def test_json_schema_file_is_generated() -> None:
    from virtxml.jsonschema_gen import schema_bytes

    committed = (ROOT / "docs" / "domain-json-schema.json").read_bytes()
    assert committed == schema_bytes(), (
        "docs/domain-json-schema.json is stale: python -m virtxml.jsonschema_gen > docs/domain-json-schema.json")


def test_json_schema_accepts_to_json_output() -> None:
    import orjson

    jsonschema = pytest.importorskip("jsonschema")
    from virtxml import builder as b
    from virtxml.jsonio import to_data

    schema = orjson.loads((ROOT / "docs" / "domain-json-schema.json").read_bytes())
    dom = b.new_domain("web01", memory_mib=1024, vcpus=2, machine="q35")
    b.add_device(dom, b.disk_file("/img/a.qcow2", "vda"))
    b.add_device(dom, b.network_interface("default"))
    jsonschema.validate(to_data(dom), schema)
    bad = to_data(dom)
    bad["memory"]["value"] = "lots"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, schema)


def test_conformance_report_renders_records() -> None:
    from virtxml.conformance_report import records_from_jsonl, render

    recs = records_from_jsonl(b'{"suite":"s1","name":"a","status":"pass","detail":""}\n'
                              b'{"suite":"s1","name":"b|x","status":"fail","detail":"line 3:\\n- x\\n+ y"}\n'
                              b'{"suite":"s2","name":"c","status":"error","detail":"Boom"}\n')
    page = render(recs)
    assert "| s1 | 2 | 1 | 1 | 0 | 0 |" in page
    assert "| s2 | 1 | 0 | 0 | 1 | 0 |" in page
    assert "| **total** | 3 | 1 | 1 | 1 | 0 |" in page
    assert "| b\\|x | fail | line 3: - x + y |" in page
    assert "| a |" not in page


def test_conformance_page_matches_its_generator_summary() -> None:
    """The committed page came from the generator: a (cheap) suite's row
    equals a fresh run's row."""
    _need_corpus()
    from virtxml.conformance_report import records_from_run, render

    page = (ROOT / "docs" / "conformance.md").read_text()
    assert "generated by `python -m virtxml.conformance_report`" in page
    fresh = render(records_from_run(str(CORPUS), ["qemustatusxml2xml"]))
    row = next(ln for ln in fresh.splitlines() if ln.startswith("| qemustatusxml2xml |"))
    assert row in page


def test_conformance_report_cli(tmp_path: Path) -> None:
    saved = tmp_path / "r.jsonl"
    saved.write_text('{"suite":"s","name":"a","status":"pass","detail":""}\n')
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    p = subprocess.run([sys.executable, "-m", "virtxml.conformance_report", "--from-json", str(saved)],
                       capture_output=True, text=True, env=env, cwd=ROOT, timeout=60)
    assert p.returncode == 0, p.stderr
    assert "| s | 1 | 1 | 0 | 0 | 0 |" in p.stdout
    p = subprocess.run([sys.executable, "-m", "virtxml.conformance_report", str(tmp_path)],
                       capture_output=True, text=True, env=env, cwd=ROOT, timeout=60)
    assert p.returncode == 2 and "manifest.json" in p.stderr


# ------------------------------------------------------------ links and examples

def _slug(heading: str) -> str:
    """GitHub's anchor of a Markdown heading."""
    s = heading.strip().lower()
    s = re.sub(r"[^\w\- ]", "", s)
    return s.replace(" ", "-")


def test_links_between_docs_resolve() -> None:
    anchors = {p.name: {_slug(m) for m in re.findall(r"^#+ (.*)$", p.read_text(), re.M)} for p in DOCS}
    bad = []
    for p in DOCS:
        text = FENCE.sub("", p.read_text())
        for target in re.findall(r"\]\(([^)\s]+)\)", text):
            if re.match(r"[a-z]+:", target):
                continue
            name, _, anchor = target.partition("#")
            path = (p.parent / name) if name else p
            if not path.exists():
                bad.append(f"{p.name}: {target}")
            elif anchor and path.suffix == ".md" and anchor not in anchors.get(path.name, set()):
                bad.append(f"{p.name}: {target} (no such heading)")
    assert not bad, bad


def test_index_lists_every_example() -> None:
    index = (ROOT / "docs" / "index.md").read_text()
    missing = [p.name for p in sorted((ROOT / "examples").glob("*.py")) if f"`{p.name}`" not in index]
    assert not missing, f"docs/index.md does not list {missing}"


def _public(module: object) -> list[str]:
    names = getattr(module, "__all__", None)
    if names is None:
        names = [n for n, v in vars(module).items() if not n.startswith("_") and callable(v)
                 and getattr(v, "__module__", None) == getattr(module, "__name__", None)]
    return list(names)


@pytest.mark.parametrize("modname", ["virtxml", "virtxml.builder", "virtxml.jsonio", "virtxml.diff",
                                     "virtxml.forms", "virtxml.lint"])
def test_api_reference_names_every_public_name(modname: str) -> None:
    import importlib

    text = (ROOT / "docs" / "api.md").read_text()
    mod = importlib.import_module(modname)
    missing = [n for n in _public(mod) if not re.search(r"(?<!\w)" + re.escape(n) + r"\b", text)]
    assert not missing, f"docs/api.md does not name {missing} of {modname}"


def test_strategies_page_names_every_strategy() -> None:
    from virtxml import strategies

    text = (ROOT / "docs" / "strategies.md").read_text()
    missing = [n for n in strategies.__all__ if f"`{n}(" not in text]
    assert not missing, f"docs/strategies.md does not name {missing}"
