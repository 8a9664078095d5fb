"""Round trip over the corpus inputs that libvirt's schema accepts.

For every input with ``libvirt_rng_valid: true`` in the manifest:

* parse it with the test driver (``virtxml.parse(driver="test",
  flags=SKIP_VALIDATE)``) in the "active" mode (no more flags; skipped for
  the inputs libvirt's suite only parses inactive) and in the "inactive"
  mode (plus INACTIVE), format it with SECURE (pass 1), parse and format
  that again (pass 2) and once more (pass 3): passes 2 and 3 must be
  byte-equal;
* nothing of the input may be silently lost: every (path, item, value) of
  the input must be in the pass-1 output, except what one of libvirt's own
  normalisations explains (``virtxml/normalisations.py``, the only place
  that lists them).

Inputs that libvirt itself refuses (manifest: ``expect: parse-error``) and
that virtxml refuses too are skipped, with the reason.

The normalisation table is itself checked against libvirt: every item that
libvirt 9.0 loses between a corpus input and its expected output must be
explained by the table.

``python -m tests.test_roundtrip`` prints a report: how many inputs pass,
and the unexplained losses grouped by path (what the model still lacks).
"""

from __future__ import annotations

import collections
import json
import os
import sys
from functools import lru_cache
from typing import Any

import pytest
from lxml import etree

from tests.corpus_paths import CORPUS, corpus_available
from virtxml import normalisations as N

pytestmark = pytest.mark.skipif(not corpus_available() and os.environ.get("CI") != "true",
                                reason="corpus not available")


def _manifest() -> list[dict[str, Any]]:
    if not corpus_available():
        return []
    return json.load(open(CORPUS / "manifest.json"))  # type: ignore[no-any-return]


MODES = ("active", "inactive")


def cases() -> list[tuple[str, str, bool]]:
    """(input relative to the corpus, parse mode, libvirt refuses it in that
    mode) for every schema-valid input: the inactive mode always, the active
    one unless libvirt's suite parses the input inactive only."""
    refused: dict[tuple[str, str], bool] = {}
    for c in _manifest():
        if not c.get("libvirt_rng_valid"):
            continue
        rel = c["input"]
        # libvirt's suite checks a refusal in one mode ("when"); the checks
        # behind them do not depend on it, so both modes count as refused
        ref = c.get("expect") == "parse-error"
        for mode in MODES:
            refused[(rel, mode)] = refused.get((rel, mode), False) or ref
    only = inactive_only()
    return sorted((rel, mode, ref) for (rel, mode), ref in refused.items()
                  if not (mode == "active" and rel in only))


@lru_cache(maxsize=None)
def inactive_only() -> frozenset[str]:
    """Inputs libvirt's suite only parses with PARSE_INACTIVE (its expected
    outputs are all 'inactive' ones): they are parsed that way here too."""
    modes: dict[str, set[str]] = {}
    for c in _manifest():
        exp = c.get("expected") or {}
        if isinstance(exp, dict) and exp:
            modes.setdefault(c["input"], set()).update(exp)
    return frozenset(k for k, v in modes.items() if v == {"inactive"})


def expected_pairs() -> list[tuple[str, str]]:
    """(input, libvirt's expected output) of every schema-valid case."""
    out: set[tuple[str, str]] = set()
    for c in _manifest():
        if not c.get("libvirt_rng_valid"):
            continue
        for v in (c.get("expected") or {}).values():
            if isinstance(v, str) and v.endswith(".xml"):
                out.add((c["input"], v))
    return sorted(out)


class Refused(Exception):
    pass


def _parse(data: bytes | str, name: str, inactive: bool = False) -> Any:
    import virtxml
    from virtxml.flags import ParseFlags

    if isinstance(data, str):
        data = data.encode()
    flags = ParseFlags.SKIP_VALIDATE | (ParseFlags.INACTIVE if inactive else ParseFlags.NONE)
    return virtxml.parse(data, driver="test", flags=flags, file=name)


def _format(dom: Any) -> str:
    import virtxml
    from virtxml.flags import FormatFlags

    return virtxml.format(dom, FormatFlags.SECURE)


def run_case_uncached(rel: str, mode: str = "active") -> dict[str, Any]:
    """Parse/format three times in ``mode``; returns the passes and the
    losses, or ``error`` when virtxml refuses the input."""
    from virtxml.errors import VirtXMLError

    path = CORPUS / rel
    data = path.read_bytes()
    inactive = mode == "inactive"
    try:
        out1 = _format(_parse(data, str(path), inactive))
    except VirtXMLError as e:
        return {"error": f"{type(e).__name__}: {getattr(e, 'message', e)}"}
    except Exception as e:  # noqa: BLE001 - a crash is a gap to report, not a refusal
        return {"crash": f"{type(e).__name__}: {e}"}
    res: dict[str, Any] = {"out1": out1}
    try:
        out2 = _format(_parse(out1, str(path) + "#pass1", inactive))
        out3 = _format(_parse(out2, str(path) + "#pass2", inactive))
    except Exception as e:  # noqa: BLE001
        res["reparse_error"] = f"{type(e).__name__}: {getattr(e, 'message', e)}"
        return res
    res["out2"], res["out3"] = out2, out3
    inp = etree.fromstring(data)
    res["lost"] = N.unexplained_losses(inp, etree.fromstring(out1.encode()))
    return res


run_case = lru_cache(maxsize=None)(run_case_uncached)


def _validation_refusal(rel: str, inactive: bool) -> str | None:
    import virtxml
    from virtxml.errors import VirtXMLError
    from virtxml.flags import ParseFlags

    try:
        virtxml.parse((CORPUS / rel).read_bytes(), driver="test",
                      flags=ParseFlags.INACTIVE if inactive else ParseFlags.NONE)
    except VirtXMLError as e:
        return f"{type(e).__name__}: {e.message}"
    return None

CASES = cases()


@pytest.mark.parametrize("rel, mode, refused", CASES, ids=[f"{c[0]}:{c[1]}" for c in CASES])
def test_roundtrip(rel: str, mode: str, refused: bool) -> None:
    res = run_case(rel, mode)
    assert "crash" not in res, "virtxml crashed: " + res.get("crash", "")
    if "error" in res:
        if refused:
            pytest.skip("libvirt refuses it too: " + res["error"])
        pytest.fail("virtxml refuses an input libvirt accepts: " + res["error"])
    assert "reparse_error" not in res, "formatted output does not parse again: " + res["reparse_error"]
    if refused and res["out2"] != res["out3"]:
        # libvirt refuses it at validation (e.g. two primary videos, which its
        # parser reorders on every pass): so must virtxml when it validates
        err = _validation_refusal(rel, mode == "inactive")
        if err is not None:
            pytest.skip("libvirt refuses it too (validation): " + err)
    assert res["out2"] == res["out3"], "second and third pass differ"
    lost = res["lost"]
    assert not lost, "input items lost without a libvirt normalisation explaining it:\n" + "\n".join(
        f"  {p} {i} {v!r}" for p, i, v in lost[:30])


def test_corpus_has_cases() -> None:
    assert len({c[0] for c in CASES}) > 600
    assert {c[1] for c in CASES} == set(MODES)


def test_normalisations_explain_libvirt() -> None:
    """Every item libvirt itself loses between an input and its expected
    output is one of the listed normalisations."""
    bad: collections.Counter[tuple[str, str]] = collections.Counter()
    for rel, exp in expected_pairs():
        inp = etree.parse(str(CORPUS / rel)).getroot()
        out = etree.parse(str(CORPUS / exp)).getroot()
        for p, i, _v in N.unexplained_losses(inp, out):
            bad[(p, i)] += 1
    assert not bad, "\n".join(f"{n} {p} {i}" for (p, i), n in bad.most_common(30))


def test_normalisation_table_entries_have_reasons() -> None:
    assert N.NORMALISATIONS
    for n in N.NORMALISATIONS:
        assert n.reason and n.kind in ("drop", "canon", "add")
        assert (n.kind == "canon") == (n.canon is not None)


def test_lost_items_detects_a_loss() -> None:
    inp = etree.fromstring("<domain><name>x</name><devices><disk type='file' rawio='yes'/></devices></domain>")
    out = etree.fromstring("<domain><name>x</name><devices><disk type='file'/></devices></domain>")
    assert N.unexplained_losses(inp, out) == [("/domain/devices/disk", "@rawio", "yes")]
    # sizes compare in KiB; addresses canonically
    inp = etree.fromstring("<domain><memory unit='GiB'>1</memory><devices><memballoon model='virtio'>"
                           "<address type='pci' slot='3'/></memballoon></devices></domain>")
    out = etree.fromstring("<domain><memory unit='KiB'>1048576</memory><devices><memballoon model='virtio'>"
                           "<address type='pci' slot='0x03'/></memballoon></devices></domain>")
    assert N.unexplained_losses(inp, out) == []


def test_roundtrip_detects_a_model_gap(monkeypatch: pytest.MonkeyPatch) -> None:
    """The check has teeth: a model that forgets the rng <rate> is caught
    on the corpus inputs that have one."""
    import virtxml.model.devices.rng as rng

    with_rate = [rel for rel, _mode, refused in CASES if not refused and b"<rate " in (CORPUS / rel).read_bytes()
                 and b"<rng " in (CORPUS / rel).read_bytes()]
    assert with_rate
    orig = rng.RNG._xml_parse

    def forgetful(el: Any, ctx: Any) -> Any:
        obj = orig(el, ctx)
        obj.rate = None
        return obj

    monkeypatch.setattr(rng.RNG, "_xml_parse", staticmethod(forgetful))
    res = run_case_uncached(with_rate[0])
    assert ("/domain/devices/rng/rate", "#element", "") in res["lost"]


# ------------------------------------------------------------------ report

def report(out: Any = sys.stdout, top: int = 40) -> dict[str, Any]:
    """Run every case; print pass counts and the gaps grouped by path."""
    npass = 0
    skipped: collections.Counter[str] = collections.Counter()
    errors: collections.Counter[str] = collections.Counter()
    not_fix: list[str] = []
    lost_by: collections.Counter[tuple[str, str]] = collections.Counter()
    files_by: dict[tuple[str, str], set[str]] = collections.defaultdict(set)
    lossy = 0
    for rel, mode, refused in CASES:
        res = run_case(rel, mode)
        rel = f"{rel} ({mode})"
        if "crash" in res:
            errors["crash: " + res["crash"][:140]] += 1
            continue
        if "error" in res:
            (skipped if refused else errors)[res["error"][:150]] += 1
            continue
        if "reparse_error" in res:
            errors["reparse: " + res["reparse_error"][:140]] += 1
            continue
        ok = True
        if res["out2"] != res["out3"]:
            err = _validation_refusal(rel.rsplit(" (", 1)[0], mode == "inactive") if refused else None
            if err is not None:
                skipped["(validation) " + err[:140]] += 1
                continue
            not_fix.append(rel)
            ok = False
        if res["lost"]:
            lossy += 1
            ok = False
            for p, i, _v in res["lost"]:
                lost_by[(p, i)] += 1
                files_by[(p, i)].add(rel)
        npass += ok
    total = len(CASES)
    print(f"round trip: {npass}/{total} (input, mode) cases pass over {len({c[0] for c in CASES})} inputs; "
          f"{sum(skipped.values())} skipped (libvirt refuses them too); "
          f"{sum(errors.values())} refused/failing in virtxml; {len(not_fix)} not a fixpoint; {lossy} lose data",
          file=out)
    if errors:
        print("\nvirtxml errors on inputs libvirt accepts:", file=out)
        for k, v in errors.most_common(top):
            print(f"  {v:4d} {k}", file=out)
    if not_fix:
        print("\nnot a fixpoint (pass 2 != pass 3):", file=out)
        for r in not_fix[:top]:
            print("  " + r, file=out)
    if lost_by:
        print("\nunexplained losses (path item: items, files):", file=out)
        for (p, i), v in lost_by.most_common(top):
            print(f"  {v:5d} {len(files_by[(p, i)]):4d}  {p} {i}   e.g. {sorted(files_by[(p, i)])[0]}", file=out)
    return {"pass": npass, "total": total, "lost_by": lost_by, "errors": errors, "not_fixpoint": not_fix}


if __name__ == "__main__":  # pragma: no cover
    report(top=int(sys.argv[1]) if len(sys.argv) > 1 else 40)
