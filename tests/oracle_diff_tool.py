"""Developer tool: differential test of virtxml against real libvirt 9.0.

Reads the records the oracle (/work/shared/tools/oracle/oracle.py) wrote for
a set of input XML files, runs each input through virtxml the way the
recorded driver's define does, formats the inactive / migratable / secure
XML like the oracle's XMLDesc calls, and compares byte for byte (or the
error texts).  Mismatches are grouped by the first differing line.

    python -m tests.oracle_diff_tool RECORDS_DIR [RECORDS_DIR ...] --driver test
    python -m tests.oracle_diff_tool /tmp/oracle-qemu --driver qemu --qemu-caps DIR
        [--show N] [--list] [--only STEM ...] [--json OUT]

RECORDS_DIR holds ``<stem>.json`` records (a directory of such directories
is searched recursively).  Only values libvirt generates at random are
normalised: the ``<uuid>`` when the input has none, ``<genid>`` when the
input asks for an automatic one, and MAC addresses and virtualport
``instanceid``/``interfaceid`` values that are not in the input.
"""

from __future__ import annotations

import argparse
import collections
import glob
import json
import os
import re
import sys
import traceback
from typing import Any

from virtxml import api
from virtxml.conformance import error_matches
from virtxml.errors import VirtXMLError
from virtxml.flags import FormatFlags, ParseFlags

#: oracle record key -> virtxml format flags (XMLDesc INACTIVE[|MIGRATABLE|SECURE])
FORMS: dict[str, int] = {
    "inactive": int(FormatFlags.INACTIVE),
    "migratable": int(FormatFlags.INACTIVE | FormatFlags.MIGRATABLE),
    "secure_inactive": int(FormatFlags.INACTIVE | FormatFlags.SECURE),
}

_UUID_RE = re.compile(r"<uuid>[0-9a-f-]{36}</uuid>")
_GENID_RE = re.compile(r"<genid>[0-9a-f-]{36}</genid>")
_INSTANCEID_RE = re.compile(r"( (?:instanceid|interfaceid)=')([0-9a-f-]{36})(')")
_MAC_RE = re.compile(r"(<mac address=')([0-9a-f:]{17})(')")


def find_records(paths: list[str]) -> list[str]:
    out: list[str] = []
    for p in paths:
        if os.path.isfile(p):
            out.append(p)
            continue
        for f in sorted(glob.glob(os.path.join(p, "**", "*.json"), recursive=True)):
            if not os.path.basename(f).startswith("_"):
                out.append(f)
    return out


#: the oracle's QEMU driver runs embedded under a random root per worker;
#: virtxml is given this one and the oracle's is renamed to it
EMBED_ROOT = "/EMBED-ROOT"
_ROOT_RE = re.compile(r"/tmp/oracle-qemu-[^/'\"<]+/w\d+-\d+")


def normalise(text: str, source: str) -> str:
    """Blank out what libvirt generates at random."""
    text = _ROOT_RE.sub(EMBED_ROOT, text)
    if "<uuid>" not in source:
        text = _UUID_RE.sub("<uuid>UUID</uuid>", text, count=1)
    if re.search(r"<genid\s*/>|<genid>\s*</genid>", source):
        text = _GENID_RE.sub("<genid>GENID</genid>", text)
    src_lower = source.lower()

    def mac(m: re.Match[str]) -> str:
        if m.group(2).lower() in src_lower:
            return m.group(0)
        return m.group(1) + "MAC" + m.group(3)

    text = _MAC_RE.sub(mac, text)

    def instanceid(m: re.Match[str]) -> str:
        return m.group(0) if m.group(2).lower() in src_lower else m.group(1) + "UUID" + m.group(3)

    return _INSTANCEID_RE.sub(instanceid, text)


class TestDriverDefine:
    """testDomainDefineXMLFlags: parse with PARSE_INACTIVE, refuse a
    newline in the name, then testDomainGenerateIfnames."""

    driver = "test"
    flags = ParseFlags.INACTIVE
    options: dict[str, Any] | None = None

    def define(self, data: bytes, file: str) -> Any:
        dom = api.parse(data, driver=self.driver, flags=self.flags, options=self.options, file=file)
        self.after_parse(dom)
        return dom

    def after_parse(self, dom: Any) -> None:
        if dom.name and "\n" in dom.name:
            raise VirtXMLError("name contains invalid characters")
        generate_ifnames(dom)

    def format(self, dom: Any, flags: int) -> str:
        return api.format(dom, flags)


def generate_ifnames(dom: Any) -> None:
    """testDomainGenerateIfnames: every interface without a target name gets
    the first ``testnetN`` no interface uses yet."""
    devices = getattr(dom, "devices", None)
    nets = list(getattr(devices, "interfaces", None) or []) if devices is not None else []
    if not nets:
        return
    from virtxml.model.devices import interface as _iface

    def ifname(net: Any) -> str | None:
        t = getattr(net, "target", None)
        return getattr(t, "dev", None) if t is not None else None

    for net in nets:
        if ifname(net):
            continue
        used = {ifname(n) for n in nets}
        i = 0
        while f"testnet{i}" in used:
            i += 1
        target = getattr(net, "target", None)
        if target is None:
            net.target = _iface.NetTarget(dev=f"testnet{i}")
        else:
            target.dev = f"testnet{i}"


class QemuDriverDefine(TestDriverDefine):
    """qemuDomainDefineXMLFlags: PARSE_INACTIVE|ABI_UPDATE; XMLDesc with
    MIGRATABLE goes through the QEMU driver's migratable formatting."""

    driver = "qemu"
    flags = ParseFlags.INACTIVE | ParseFlags.ABI_UPDATE

    def __init__(self, options: dict[str, Any]) -> None:
        self.options = options

    def after_parse(self, dom: Any) -> None:
        pass

    def format(self, dom: Any, flags: int) -> str:
        if flags & FormatFlags.MIGRATABLE:
            from virtxml import forms

            return forms.format_migratable(dom, "qemu", self.options)
        return api.format(dom, flags)


def qemu_options(caps_dir: str) -> dict[str, Any]:
    """Options for the QEMU driver from dump_caps.py's output directory:
    its QEMU capability cache files (caps/*.xml) and host capabilities;
    nothing is probed on this machine."""
    caps_sub = os.path.join(caps_dir, "caps")
    opts: dict[str, Any] = {"qemu_caps": [caps_sub if os.path.isdir(caps_sub) else caps_dir],
                            "allow_probe": False}
    from virtxml.qemuconf import QemuConf

    opts["qemu_conf"] = QemuConf.for_root(EMBED_ROOT)
    host = os.path.join(caps_dir, "host-caps.xml")
    if os.path.exists(host):
        opts["host_caps"] = host
    return opts


def first_diff_line(want: str, got: str) -> tuple[int, str, str]:
    wl, gl = want.splitlines(), got.splitlines()
    for i in range(max(len(wl), len(gl))):
        w = wl[i] if i < len(wl) else "<EOF>"
        g = gl[i] if i < len(gl) else "<EOF>"
        if w != g:
            return i, w, g
    return -1, "", ""


def _group_key_line(line: str) -> str:
    """An element line without attribute values, for grouping."""
    s = line.strip()
    s = re.sub(r"='[^']*'", "=…", s)
    s = re.sub(r">[^<]*<", ">…<", s)
    return s[:100]


def compare_one(rec: dict[str, Any], drv: TestDriverDefine) -> dict[str, Any] | None:
    """None when virtxml agrees; else a mismatch description."""
    path = rec["path"]
    try:
        with open(path, "rb") as fh:
            data = fh.read()
    except OSError as e:
        return {"kind": "io", "key": f"io: {e}"}
    source = data.decode("utf-8", "replace")
    try:
        dom = drv.define(data, path)
        err = None
    except VirtXMLError as e:
        dom, err = None, e
    except Exception as e:  # a crash is a finding too
        tb = traceback.format_exc().strip().splitlines()
        return {"kind": "crash", "key": f"crash: {type(e).__name__}: {e}"[:160],
                "detail": "\n".join(tb[-6:])}
    if not rec.get("define_ok"):
        want = (rec.get("error") or {}).get("message", "")
        if err is None:
            return {"kind": "accepted", "key": f"virtxml accepts; libvirt: {want}"[:160],
                    "want": want}
        got = err.message
        if error_matches(want, got):
            return None
        return {"kind": "error-text", "key": f"libvirt: {want[:110]} | virtxml: {got[:110]}",
                "want": want, "got": got}
    if err is not None:
        return {"kind": "rejected", "key": f"virtxml rejects: {type(err).__name__}: {err.message}"[:170],
                "got": err.message}
    for form, flags in FORMS.items():
        want = rec.get(form)
        if want is None:
            continue
        try:
            got = drv.format(dom, flags)
        except Exception as e:
            return {"kind": "crash", "key": f"format crash ({form}): {type(e).__name__}: {e}"[:160],
                    "detail": traceback.format_exc()[-800:]}
        w, g = normalise(want, source), normalise(got, source)
        if w != g:
            i, wl, gl = first_diff_line(w, g)
            return {"kind": "xml", "form": form, "line": i, "want_line": wl, "got_line": gl,
                    "key": f"[{form}] want {_group_key_line(wl)} | got {_group_key_line(gl)}",
                    "want": w, "got": g}
    return None


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("records", nargs="+")
    ap.add_argument("--driver", choices=("test", "qemu"), default="test")
    ap.add_argument("--qemu-caps", help="dump_caps.py output directory (qemu driver)")
    ap.add_argument("--show", type=int, default=1, help="examples per group")
    ap.add_argument("--list", action="store_true", help="list every mismatching input")
    ap.add_argument("--only", nargs="*", help="only these input stems")
    ap.add_argument("--diff", action="store_true", help="print unified diffs for examples")
    ap.add_argument("--json", help="write the mismatches as JSON here")
    args = ap.parse_args(argv)

    drv: TestDriverDefine
    if args.driver == "qemu":
        if not args.qemu_caps:
            ap.error("--driver qemu needs --qemu-caps")
        drv = QemuDriverDefine(qemu_options(args.qemu_caps))
    else:
        drv = TestDriverDefine()

    files = find_records(args.records)
    groups: dict[str, list[tuple[str, dict[str, Any]]]] = collections.defaultdict(list)
    total = agree = 0
    for f in files:
        with open(f) as fh:
            rec = json.load(fh)
        if rec.get("driver") and rec["driver"] != args.driver:
            continue
        stem = os.path.splitext(rec.get("input") or os.path.basename(f))[0]
        if args.only and stem not in args.only:
            continue
        if rec.get("timeout") or rec.get("worker_crash"):
            continue
        total += 1
        res = compare_one(rec, drv)
        if res is None:
            agree += 1
            continue
        res["record"] = f
        groups[res["key"]].append((stem, res))

    import difflib

    ordered = sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0]))
    for key, items in ordered:
        print(f"{len(items):4d}  {key}")
        for stem, res in items[:args.show]:
            print(f"        e.g. {stem}" + (f"  (line {res['line'] + 1})" if "line" in res else ""))
            if res.get("detail"):
                print("          " + res["detail"].replace("\n", "\n          "))
            if args.diff and "want" in res and "got" in res:
                for ln in difflib.unified_diff(res["want"].splitlines(), res["got"].splitlines(),
                                               "libvirt", "virtxml", n=2, lineterm=""):
                    print("          " + ln)
        if args.list:
            print("        " + " ".join(s for s, _ in items))
    mism = total - agree
    print(f"\n{args.driver}: {total} inputs, {agree} agree, {mism} mismatch, {len(groups)} groups")
    if args.json:
        with open(args.json, "w") as fh:
            json.dump({k: [{"stem": s, **{kk: vv for kk, vv in r.items() if kk not in ('want', 'got')}}
                           for s, r in v] for k, v in ordered}, fh, indent=1)
    return 0 if mism == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
