"""Developer tool: bind + format every libvirt-formatted output file of the
corpus (no post-parse) and report where the bytes differ and what the model
ignored.  A formatted libvirt output parsed and formatted again must give
the same bytes, so this measures the model and formatter alone.

    python -m tests.fixpoint_tool [--tag disk] [--show N] [--list]
"""

from __future__ import annotations

import argparse
import collections
import difflib
import glob
import re
import sys

from lxml import etree

from tests.corpus_paths import CORPUS
from virtxml.binding import ParseContext
from virtxml.flags import FormatFlags, ParseFlags
from virtxml.model import Domain


def output_files() -> list[str]:
    """libvirt-formatted outputs: every expected file of the manifest, plus
    the bhyve outputs (which the manifest does not list)."""
    import json

    seen: dict[str, bool] = {}
    for case in json.loads((CORPUS / "manifest.json").read_text()):
        for kind, rel in (case.get("expected") or {}).items():
            if kind == "status":
                continue
            path = str(CORPUS / rel)
            seen[path] = seen.get(path, False) or kind == "active"
    for p in sorted(glob.glob(str(CORPUS / "bhyvexml2xmloutdata/*.xml"))):
        seen.setdefault(p, False)
    _ACTIVE.update(seen)
    return sorted(seen)


_ACTIVE: dict[str, bool] = {}


def roundtrip(path: str) -> tuple[str, str, ParseContext]:
    data = open(path, "rb").read()
    root = etree.fromstring(data)
    active = _ACTIVE.get(path, False) or root.get("id") is not None
    pflags = ParseFlags.NONE if active else ParseFlags.INACTIVE
    fflags = FormatFlags.SECURE | (FormatFlags.NONE if root.get("id") is not None else FormatFlags.INACTIVE)
    ctx = ParseContext(pflags, path)
    dom = Domain._xml_parse(root, ctx)
    out: list[str] = []
    dom.xml_format(out, "", int(fflags))
    return data.decode(), "".join(out), ctx


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--tag", action="append", default=[], help="only report diffs/ignores touching these tags")
    ap.add_argument("--show", type=int, default=3, help="show N diffs")
    ap.add_argument("--list", action="store_true", help="list failing files")
    a = ap.parse_args(argv)
    ok = 0
    files = output_files()
    ignored: collections.Counter[str] = collections.Counter()
    shown = 0
    failing = []
    for f in files:
        try:
            exp, got, ctx = roundtrip(f)
        except Exception as e:  # noqa: BLE001
            failing.append(f)
            print(f"ERROR {f}: {type(e).__name__}: {e}")
            continue
        for _line, path, what in ctx.ignored:
            key = re.sub(r"\[\d+\]", "", path) + ("" if what == "element" else "/" + what)
            if not a.tag or any(("/" + t) in key for t in a.tag):
                ignored[key] += 1
        if exp == got:
            ok += 1
            continue
        diff = list(difflib.unified_diff(exp.splitlines(), got.splitlines(), "expected", "got", lineterm="", n=1))
        rel = [d for d in diff if d[:1] in "+-" and not d.startswith(("+++", "---"))]
        if a.tag and not any(re.search(r"<\/?(%s)\b" % "|".join(map(re.escape, a.tag)), d) for d in rel):
            continue
        failing.append(f)
        if shown < a.show:
            shown += 1
            print("=" * 20, f)
            print("\n".join(diff[:40]))
    print(f"fixpoint: {ok}/{len(files)} byte-identical")
    if ignored:
        print("ignored by the model (path: count):")
        for k, v in ignored.most_common(60):
            print(f"  {v:5d} {k}")
    if a.list:
        print("\n".join(failing))
    return 0


if __name__ == "__main__":
    sys.exit(main())
