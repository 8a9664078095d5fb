"""Status XML of a started guest equals real libvirt 9.0's
(``<root>/run/qemu/<name>.xml`` captured by testdata/oracle/run_status.sh)
byte for byte.  Values only QEMU knows are taken from the golden file: the
QEMU pid, the vcpu thread ids and QEMU's peripheral device list; the guest
was started paused (state paused, reason user) as root (taint
high-privileges), with ``stdio_handler = "file"``."""

from __future__ import annotations

import glob
import os
import re

import pytest
from lxml import etree

from virtxml import forms
from virtxml.qemuconf import load_qemu_conf

from .oracle_cases import ROOT, define, options, variants

FILES = sorted(glob.glob(os.path.join(ROOT, "golden", "*", "*.status.xml")))


def _strip_comment(text: str) -> str:
    return re.sub(r"\A<!--.*?-->\n\n", "", text, flags=re.S)


def _runtime(text: str) -> dict:
    root = etree.fromstring(text.encode())
    return {"pid": int(root.get("pid")),
            "vcpu_pids": [(int(v.get("id")), int(v.get("pid"))) for v in root.findall("vcpus/vcpu")],
            "aliases": [d.get("alias") for d in root.findall("devices/device")]}


def test_status_goldens_exist() -> None:
    assert len(FILES) >= 100


@pytest.mark.parametrize("path", FILES, ids=[os.path.relpath(p, ROOT) for p in FILES])
def test_status_golden(path: str) -> None:
    variant = os.path.basename(os.path.dirname(path))
    name = os.path.basename(path)[:-len(".status.xml")]
    want = _strip_comment(open(path).read())
    rt = _runtime(want)
    opts = options(variant)
    opts["qemu_conf"] = load_qemu_conf(text=variants()[variant] + 'stdio_handler = "file"\n')
    live = forms.prepare_live(define(name, opts), "qemu", opts, domain_id=1)
    st = forms.make_status(live, "qemu", state="paused", reason="user", pid=rt["pid"],
                           taints=["high-privileges"], options=opts, vcpu_pids=rt["vcpu_pids"],
                           aliases=rt["aliases"])
    got = forms.format_status(st)
    assert got == want
    # and it reads back to the same document
    assert forms.format_status(forms.parse_status(got, "qemu", opts)) == want
