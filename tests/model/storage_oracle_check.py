"""Developer tool: differential check of the storage/host device model
against the real libvirt 9.0 (the oracle's python binding, test driver).

Every distinct disk/controller/lease/filesystem/hostdev/redirdev/
redirfilter/smartcard/hub element of the corpus inputs is defined alone in a
minimal test-driver domain by libvirt; libvirt's inactive secure XML of it
is then bound and formatted by virtxml, which must give the same bytes
(fixpoint on libvirt's own output, covering combinations the corpus outputs
do not have).  Inputs libvirt refuses are listed with libvirt's text.

    python -m tests.model.storage_oracle_check [--show N]

Needs /usr/bin/python3 with the libvirt module (see shared/tools/oracle).
"""

from __future__ import annotations

import argparse
import difflib
import glob
import json
import subprocess
import sys
import tempfile

from lxml import etree

from tests.corpus_paths import CORPUS
from tests.model.storage_corpus_check import TAGS, element_text, model_class
from virtxml.binding import ParseContext
from virtxml.flags import FormatFlags, ParseFlags

_RUNNER = r'''
import sys, json, libvirt
libvirt.registerErrorHandler(lambda *a: None, None)
conn = libvirt.open("test:///default")
tmpl = ("<domain type='test'><name>t%d</name><memory>1048576</memory><os><type>hvm</type></os><devices>"
        "<controller type='usb' index='0' model='piix3-uhci'/><controller type='ccid' index='0'/>%s"
        "</devices></domain>")
res = []
for i, el in enumerate(json.load(open(sys.argv[1]))):
    try:
        d = conn.defineXML(tmpl % (i, el))
    except libvirt.libvirtError as e:
        res.append({"error": e.get_error_message()}); continue
    try:
        res.append({"out": d.XMLDesc(libvirt.VIR_DOMAIN_XML_INACTIVE | libvirt.VIR_DOMAIN_XML_SECURE)})
    finally:
        d.undefine()
json.dump(res, open(sys.argv[2], "w"))
'''


def elements() -> list[str]:
    seen: dict[str, None] = {}
    for d in ("qemuxml2argvdata", "genericxml2xmlindata", "lxcxml2xmldata", "bhyvexml2argvdata"):
        for f in sorted(glob.glob(str(CORPUS / d / "*.xml"))):
            try:
                root = etree.parse(f).getroot()
            except etree.XMLSyntaxError:
                continue
            for devs in root.iter("devices"):
                for el in devs:
                    if el.tag in TAGS:
                        seen.setdefault(etree.tostring(el, encoding="unicode", with_tail=False), None)
    return list(seen)


def run_oracle(items: list[str]) -> list[dict[str, str]]:
    with tempfile.TemporaryDirectory() as tmp:
        inp, outp, prog = tmp + "/in.json", tmp + "/out.json", tmp + "/run.py"
        json.dump(items, open(inp, "w"))
        open(prog, "w").write(_RUNNER)
        subprocess.run(["/usr/bin/python3", prog, inp, outp], check=True)
        return json.load(open(outp))  # type: ignore[no-any-return]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--show", type=int, default=5)
    a = ap.parse_args(argv)
    items = elements()
    results = run_oracle(items)
    ff = int(FormatFlags.SECURE | FormatFlags.INACTIVE)
    checked = failed = refused = 0
    for src, r in zip(items, results):
        if "out" not in r:
            refused += 1
            continue
        inel = etree.fromstring(src)
        lines = r["out"].split("\n")
        root = etree.fromstring(r["out"].encode())
        for oel in root.find("devices"):
            if oel.tag != inel.tag:
                continue
            exp = element_text(lines, oel)
            ind = exp[: len(exp) - len(exp.lstrip())]
            checked += 1
            try:
                obj = model_class(oel.tag)._xml_parse(oel, ParseContext(int(ParseFlags.INACTIVE)))
                out: list[str] = []
                obj.xml_format(out, ind, ff)
                got = "".join(out)
            except Exception as e:  # noqa: BLE001
                got = f"ERROR {type(e).__name__}: {e}\n"
            if got != exp:
                failed += 1
                if failed <= a.show:
                    print("\n".join(difflib.unified_diff(exp.split("\n"), got.split("\n"), "libvirt", "virtxml",
                                                         lineterm="")))
    print(f"{len(items)} distinct elements; libvirt refused {refused}; {checked} elements of libvirt's output "
          f"checked, {failed} differ")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
