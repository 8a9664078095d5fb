"""Turn the oracle's raw records ($OUT/<variant>/<name>.json, see
run_oracle.sh) into golden files:

    golden/<variant>/<name>.<form>.xml    form: inactive, migratable, live, live_migratable
    golden/<variant>/<name>.error.txt     define or start error (libvirt's message)
    golden/<variant>/<name>.<form>_roundtrip.xml   form: migratable, live_migratable --
        libvirt's inactive XML after defining that form again (run_roundtrip.sh)

Normalised (they are runtime values of the oracle run, see README.md):
* ``id='N'`` of a running guest -> ``id='1'``; ``domain-N-`` dirs -> ``domain-1-``;
* the embed root's ``<root>/lib/qemu`` -> ``/var/lib/libvirt/qemu``.
Run with the project's python:  python testdata/oracle/collect.py [OUT]
"""

from __future__ import annotations

import glob
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
FORMS = ("inactive", "migratable", "live", "live_migratable")


def normalise(text: str) -> str:
    text = re.sub(r"^<domain type='(\w+)' id='\d+'>", r"<domain type='\1' id='1'>", text)
    text = re.sub(r"/tmp/oracle-qemu-[^/']+/w\d+-\d+/lib/qemu", "/var/lib/libvirt/qemu", text)
    text = re.sub(r"/domain-\d+-", "/domain-1-", text)
    return text


def main(argv: list[str]) -> int:
    out = argv[1] if len(argv) > 1 else "/tmp/vx-oracle-forms"
    n = 0
    for variant_dir in sorted(glob.glob(os.path.join(out, "*"))):
        variant = os.path.basename(variant_dir)
        dest = os.path.join(HERE, "golden", variant)
        os.makedirs(dest, exist_ok=True)
        for rec_path in sorted(glob.glob(os.path.join(variant_dir, "*.json"))):
            if os.path.basename(rec_path).startswith("_"):
                continue
            rec = json.load(open(rec_path))
            name = os.path.basename(rec_path)[:-5]
            for form in FORMS:
                if rec.get(form):
                    with open(os.path.join(dest, f"{name}.{form}.xml"), "w") as fh:
                        fh.write(normalise(rec[form]))
                    n += 1
            err = rec.get("error") or rec.get("start_error")
            if err:
                kind = "define" if rec.get("error") else "start"
                with open(os.path.join(dest, f"{name}.error.txt"), "w") as fh:
                    fh.write(f"{kind}: {err.get('message')}\n")
    # run_roundtrip.sh: the destination's inactive XML of (live-)migratable XML
    for rec_dir in sorted(glob.glob(out + "-rt/*")):
        variant, _, form = os.path.basename(rec_dir).partition("-")
        dest = os.path.join(HERE, "golden", variant)
        for rec_path in sorted(glob.glob(os.path.join(rec_dir, "*.json"))):
            if os.path.basename(rec_path).startswith("_"):
                continue
            rec = json.load(open(rec_path))
            name = os.path.basename(rec_path)[:-5]
            if rec.get("inactive"):
                with open(os.path.join(dest, f"{name}.{form}_roundtrip.xml"), "w") as fh:
                    fh.write(normalise(rec["inactive"]))
                n += 1
    print(f"{n} golden files")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
