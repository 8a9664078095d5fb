"""The oracle golden suite of testdata/oracle (see its README): inputs,
qemu.conf variants, golden outputs per form, and how virtxml makes each form."""

from __future__ import annotations

import glob
import json
import os
from typing import Any

ROOT = os.path.join(os.path.dirname(__file__), "..", "..", "testdata", "oracle")
ROOT = os.path.normpath(ROOT)
FORMS = ("inactive", "migratable", "live", "live_migratable", "migratable_roundtrip",
         "live_migratable_roundtrip")
EMULATOR = "/usr/bin/qemu-system-x86_64"


def variants() -> dict[str, str]:
    with open(os.path.join(ROOT, "variants.json")) as fh:
        return json.load(fh)


def input_path(name: str) -> str:
    for sub in ("graphics", "machines", "devices"):
        p = os.path.join(ROOT, "inputs", sub, name + ".xml")
        if os.path.exists(p):
            return p
    raise FileNotFoundError(name)


def options(variant: str) -> dict[str, Any]:
    from virtxml.qemuconf import load_qemu_conf

    return {"qemu_caps": [f"{EMULATOR}={os.path.join(ROOT, 'caps', 'qemu-system-x86_64.xml')}"],
            "allow_probe": False, "host_arch": "x86_64",
            "qemu_conf": load_qemu_conf(text=variants()[variant])}


def golden_cases() -> list[tuple[str, str, str]]:
    """(variant, name, form) for every golden XML file."""
    out = []
    for path in sorted(glob.glob(os.path.join(ROOT, "golden", "*", "*.xml"))):
        variant = os.path.basename(os.path.dirname(path))
        name, form, _ = os.path.basename(path).rsplit(".", 2)
        if form in FORMS:  # status XML: test_status_golden.py
            out.append((variant, name, form))
    return out


def error_cases() -> list[tuple[str, str]]:
    out = []
    for path in sorted(glob.glob(os.path.join(ROOT, "golden", "*", "*.error.txt"))):
        out.append((os.path.basename(os.path.dirname(path)), os.path.basename(path)[:-len(".error.txt")]))
    return out


def golden(variant: str, name: str, form: str) -> str:
    with open(os.path.join(ROOT, "golden", variant, f"{name}.{form}.xml")) as fh:
        return fh.read()


def define(name: str, opts: dict[str, Any]) -> Any:
    """virDomainDefineXML: parse INACTIVE|ABI_UPDATE, validated."""
    from virtxml import api
    from virtxml.flags import ParseFlags

    return api.parse(input_path(name), driver="qemu", flags=ParseFlags.INACTIVE | ParseFlags.ABI_UPDATE,
                     options=opts)


def make_form(variant: str, name: str, form: str) -> str:
    from virtxml import api, forms
    from virtxml.flags import ParseFlags

    opts = options(variant)
    if form.endswith("_roundtrip"):
        # the destination: libvirt's (live-)migratable XML defined again
        src = os.path.join(ROOT, "golden", variant, f"{name}.{form[:-len('_roundtrip')]}.xml")
        dom = api.parse(src, driver="qemu", flags=ParseFlags.INACTIVE | ParseFlags.ABI_UPDATE,
                        options=opts)
        return forms.format_inactive(dom)
    dom = define(name, opts)
    if form == "inactive":
        return forms.format_inactive(dom)
    if form == "migratable":
        return forms.format_migratable(dom, "qemu", opts)
    live = forms.prepare_live(dom, "qemu", opts, domain_id=1)
    if form == "live":
        return forms.format_live(live)
    return forms.format_migratable(live, "qemu", opts)
