"""Per-element fixpoint over the corpus for the storage/host device
elements (disk, controller, lease, filesystem, hostdev, redirdev,
redirfilter, smartcard, hub): every element of a libvirt-formatted output
file is bound alone and formatted again; the bytes must be libvirt's.
Input files are bound too: nothing in these elements may be ignored.

    python -m tests.model.storage_corpus_check [--tag disk] [--show N]
"""

from __future__ import annotations

import argparse
import collections
import difflib
import glob
import re
import sys
from typing import Any, Iterator

from lxml import etree

from tests.corpus_paths import CORPUS
from virtxml.binding import ParseContext
from virtxml.flags import FormatFlags, ParseFlags

TAGS = ("disk", "controller", "lease", "filesystem", "hostdev", "redirdev", "redirfilter", "smartcard", "hub")

OUTPUT_DIRS = ("qemuxml2xmloutdata", "genericxml2xmloutdata", "lxcxml2xmloutdata", "bhyvexml2xmloutdata",
               "qemustatusxml2xmldata")
INPUT_DIRS = ("qemuxml2argvdata", "genericxml2xmlindata", "lxcxml2xmldata", "bhyvexml2argvdata",
              "qemustatusxml2xmldata")


def model_class(tag: str) -> Any:
    from virtxml.model import devices as D

    return {"disk": D.Disk, "controller": D.Controller, "lease": D.Lease, "filesystem": D.Filesystem,
            "hostdev": D.Hostdev, "redirdev": D.Redirdev, "redirfilter": D.RedirFilter,
            "smartcard": D.Smartcard, "hub": D.Hub}[tag]


def files(dirs: tuple[str, ...], status: str = "*-out.xml") -> list[str]:
    out: list[str] = []
    for d in dirs:
        pat = status if d == "qemustatusxml2xmldata" else "*.xml"
        out += sorted(glob.glob(str(CORPUS / d / pat)))
    return out


_MODES: dict[str, set[str]] | None = None


def expected_modes() -> dict[str, set[str]]:
    """output file -> {"active", "inactive"} from manifest.json."""
    global _MODES
    if _MODES is None:
        import json

        _MODES = collections.defaultdict(set)
        for case in json.loads((CORPUS / "manifest.json").read_text()):
            for mode, rel in (case.get("expected") or {}).items():
                if isinstance(rel, str) and mode in ("active", "inactive"):
                    _MODES[str(CORPUS / rel)].add(mode)
    return _MODES


def flag_sets(path: str, root: Any) -> list[tuple[int, int]]:
    """Every (parse flags, format flags) the file is an expected output of."""
    modes = expected_modes().get(path)
    if not modes or root.tag == "domstatus":
        return [flags_for(path, root)]
    dom = root if root.tag == "domain" else root.find("domain")
    has_id = dom is not None and dom.get("id") is not None
    out = []
    for m in sorted(modes):
        pflags = ParseFlags.INACTIVE if m == "inactive" else ParseFlags.NONE
        fflags = FormatFlags.SECURE | (FormatFlags.INACTIVE if m == "inactive" or not has_id else FormatFlags.NONE)
        out.append((int(pflags), int(fflags)))
    return out


def flags_for(path: str, root: Any) -> tuple[int, int]:
    dom = root if root.tag == "domain" else root.find("domain")
    has_id = dom is not None and dom.get("id") is not None
    if root.tag == "domstatus":
        return (int(ParseFlags.STATUS | ParseFlags.ACTUAL_NET | ParseFlags.PCI_ORIG_STATES),
                int(FormatFlags.STATUS_FILE))
    active = "-active" in path or has_id
    pflags = ParseFlags.NONE if active else ParseFlags.INACTIVE
    fflags = FormatFlags.SECURE | (FormatFlags.NONE if has_id else FormatFlags.INACTIVE)
    return int(pflags), int(fflags)


def elements_of(root: Any, tags: tuple[str, ...]) -> Iterator[Any]:
    for devs in root.iter("devices"):
        for el in devs:
            if el.tag in tags:
                yield el


def element_text(lines: list[str], el: Any) -> str:
    """The element's lines as written in the file (libvirt's layout)."""
    start = el.sourceline - 1
    first = lines[start]
    ind = first[: len(first) - len(first.lstrip())]
    if first.rstrip().endswith("/>") and first.lstrip().startswith("<" + el.tag):
        if len(el) == 0:
            return first + "\n"
    close = ind + "</" + el.tag + ">"
    for i in range(start + 1, len(lines)):
        if lines[i] == close:
            return "\n".join(lines[start:i + 1]) + "\n"
    return first + "\n"


def check(tags: tuple[str, ...], show: int = 3, verbose: bool = True) -> dict[str, Any]:
    res: dict[str, Any] = {"elements": 0, "identical": 0, "diffs": [], "ignored": collections.Counter(),
                           "errors": [], "input_elements": 0, "input_ignored": collections.Counter(),
                           "input_errors": []}
    for path in files(OUTPUT_DIRS):
        data = open(path, encoding="utf-8").read()
        root = etree.fromstring(data.encode())
        lines = data.split("\n")
        for pf, ff in flag_sets(path, root):
            _check_file(path, root, lines, pf, ff, tags, res, show, verbose)
    _check_inputs(tags, res)
    return res


def _check_file(path: str, root: Any, lines: list[str], pf: int, ff: int, tags: tuple[str, ...],
                res: dict[str, Any], show: int, verbose: bool) -> None:
        for el in elements_of(root, tags):
            res["elements"] += 1
            exp = element_text(lines, el)
            ind = exp[: len(exp) - len(exp.lstrip())]
            ctx = ParseContext(pf, path)
            try:
                obj = model_class(el.tag)._xml_parse(el, ctx)
                out: list[str] = []
                obj.xml_format(out, ind, ff)
                got = "".join(out)
            except Exception as e:  # noqa: BLE001
                res["errors"].append((path, el.sourceline, f"{type(e).__name__}: {e}"))
                continue
            for _l, p, what in ctx.ignored:
                res["ignored"][re.sub(r"\[\d+\]", "", p) + ("" if what == "element" else "/" + what)] += 1
            try:
                from virtxml.jsonio import from_json, to_json

                again = from_json(type(obj), to_json(obj))
                out2: list[str] = []
                again.xml_format(out2, ind, ff)
                if "".join(out2) != got or again != obj:
                    res.setdefault("json_diffs", []).append((path, el.sourceline))
            except Exception as e:  # noqa: BLE001
                res.setdefault("json_diffs", []).append((path, el.sourceline, f"{type(e).__name__}: {e}"))
            if got == exp:
                res["identical"] += 1
            else:
                res["diffs"].append((path, el.sourceline))
                if verbose and len(res["diffs"]) <= show:
                    print("=" * 10, path, el.sourceline)
                    print("\n".join(difflib.unified_diff(exp.split("\n"), got.split("\n"), "expected", "got",
                                                         lineterm="", n=2)))


def expected_errors() -> dict[str, str]:
    """input file -> libvirt's error text, for inputs libvirt refuses at parse time."""
    import json

    out: dict[str, str] = {}
    for case in json.loads((CORPUS / "manifest.json").read_text()):
        if case.get("expect") == "parse-error" and case.get("error"):
            try:
                out[str(CORPUS / case["input"])] = (CORPUS / case["error"]).read_text().strip()
            except OSError:
                pass
        elif case.get("expect") == "parse-error":
            out[str(CORPUS / case["input"])] = ""
    return out


def _check_inputs(tags: tuple[str, ...], res: dict[str, Any]) -> None:
    expected = expected_errors()
    res["input_expected_errors"] = []
    for path in files(INPUT_DIRS, "*-in.xml"):
        try:
            root = etree.parse(path).getroot()
        except etree.XMLSyntaxError:
            continue
        pf = int(ParseFlags.NONE) if root.tag == "domain" else flags_for(path, root)[0]
        for el in elements_of(root, tags):
            res["input_elements"] += 1
            ctx = ParseContext(pf, path)
            try:
                model_class(el.tag)._xml_parse(el, ctx)
            except Exception as e:  # noqa: BLE001
                msg = getattr(e, "message", str(e))
                err = expected.get(path)
                if err is not None and (err.endswith(msg) or not err):
                    res["input_expected_errors"].append((path, el.sourceline, msg))
                elif err is not None:
                    # libvirt refuses the document too, for an error it meets
                    # earlier in its parse order (outside these elements)
                    res.setdefault("input_refused_earlier", []).append((path, el.sourceline, msg, err))
                else:
                    res["input_errors"].append((path, el.sourceline, f"{type(e).__name__}: {e}",
                                                "libvirt: " + (err or "accepts")))
                if err is not None:
                    break  # libvirt stops at the first error
                continue
            for _l, p, what in ctx.ignored:
                res["input_ignored"][re.sub(r"\[\d+\]", "", p) + ("" if what == "element" else "/" + what)] += 1


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--tag", action="append", default=[])
    ap.add_argument("--show", type=int, default=3)
    ap.add_argument("--errors", type=int, default=10)
    a = ap.parse_args(argv)
    tags = tuple(a.tag) or TAGS
    r = check(tags, a.show)
    print(f"outputs: {r['identical']}/{r['elements']} elements byte-identical, {len(r['diffs'])} diffs, "
          f"{len(r['errors'])} errors, {sum(r['ignored'].values())} ignored, "
          f"{len(r.get('json_diffs', []))} JSON round-trip failures")
    for e in r.get("json_diffs", [])[: a.errors]:
        print("  JSON", *e)
    for e in r["errors"][: a.errors]:
        print("  ERROR", *e)
    for k, v in r["ignored"].most_common(30):
        print(f"  ignored {v:5d} {k}")
    print(f"inputs: {r['input_elements']} elements, {len(r['input_expected_errors'])} libvirt's own errors, "
          f"{len(r['input_errors'])} other errors, "
          f"{sum(r['input_ignored'].values())} ignored")
    for e in r["input_errors"][: a.errors]:
        print("  ERROR", *e)
    for k, v in r["input_ignored"].most_common(40):
        print(f"  ignored {v:5d} {k}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
