"""Round trip through migratable XML on every shared qemuxml2xml input that
passes conformance: parse (INACTIVE) -> format migratable -> parse back
(INACTIVE, same capabilities) -> format inactive must equal libvirt's
inactive output, except for what libvirt leaves out of migratable XML by
design.  Those items are listed in ONE place with their reasons:
:data:`drivers.qemu.migratable.DROPPED_BY_DESIGN`; :data:`NORMALISE` below
says, per item, how it is taken out of both documents before comparing
(what is dropped and re-added by the destination's post-parse may come
back at another position)."""

from __future__ import annotations

import json
import os
from typing import Any, Callable

import pytest
from lxml import etree

from drivers.qemu.device_defaults import is_default_channel_path
from drivers.qemu.migratable import DROPPED_BY_DESIGN, is_i440fx
from tests.corpus_paths import CORPUS, corpus_available

CHANNEL_TARGET_DIR = "/tmp/channel"  # the test harness's qemu.conf (QemuConf.for_libvirt_tests)


def _machine(root: Any) -> str:
    t = root.find("os/type")
    return (t.get("machine") if t is not None else None) or ""


class _M:
    def __init__(self, machine: str) -> None:
        from types import SimpleNamespace

        self.os = SimpleNamespace(type=SimpleNamespace(machine=machine))


def _drop(el: Any) -> None:
    el.getparent().remove(el)


def _usb(root: Any) -> None:
    usb = root.findall("devices/controller[@type='usb']")
    if len(usb) == 1 and is_i440fx(_M(_machine(root))) and usb[0].get("index") == "0" \
            and usb[0].get("model") in (None, "piix3-uhci") and not _user_alias(usb[0]):
        _drop(usb[0])


def _user_alias(el: Any) -> bool:
    a = el.find("alias")
    return a is not None and (a.get("name") or "").startswith("ua-")


def _pci_root(root: Any) -> None:
    pci = root.findall("devices/controller[@type='pci']")
    if len(pci) == 1 and pci[0].get("index") == "0" and pci[0].get("model") == "pci-root" \
            and not _user_alias(pci[0]) and pci[0].find("pcihole64") is None:
        _drop(pci[0])


def _panic(root: Any) -> None:
    for p in root.findall("devices/panic"):
        if p.get("model") in ("s390", "pseries"):
            _drop(p)
            return


def _channel(root: Any) -> None:
    for ch in root.findall("devices/channel[@type='unix']"):
        tgt = ch.find("target")
        src = ch.find("source")
        if tgt is not None and tgt.get("type") == "virtio" and src is not None \
                and is_default_channel_path(src.get("path"), CHANNEL_TARGET_DIR, tgt.get("name")):
            del src.attrib["path"]


def _serial(root: Any) -> None:
    for t in root.findall("devices/serial/target"):
        if t.get("type") in ("spapr-vio", "system"):
            del t.attrib["type"]
            for m in t.findall("model"):
                t.remove(m)


def _cpu(root: Any) -> None:
    for f in root.findall("cpu/feature[@name='pconfig']"):
        if root.findtext("cpu/model") == "Icelake-Server" and f.get("policy") == "disable":
            _drop(f)


def _audio(root: Any) -> None:
    a = root.findall("devices/audio")
    if len(a) == 1:
        _drop(a[0])


def _ps2(root: Any) -> None:
    for i in root.findall("devices/input[@type='keyboard']"):
        if i.get("bus") in ("ps2", "xen"):
            _drop(i)


def _graphics(root: Any) -> None:
    """Inactive outputs have no fromConfig listens; nothing to take out."""


def _controller_order(root: Any) -> None:
    """Re-insert the controllers in document order the way libvirt's parser
    does (virDomainControllerInsertPreAlloced)."""
    devs = root.find("devices")
    if devs is None:
        return
    conts = devs.findall("controller")
    if not conts:
        return
    anchor = conts[0].getprevious()
    for c in conts:
        devs.remove(c)
    placed: list[Any] = []
    for c in conts:
        idx = int(c.get("index", "-1"))
        at = -1
        for i in range(len(placed) - 1, -1, -1):
            cur = placed[i]
            if cur.get("type") == c.get("type"):
                cidx = int(cur.get("index", "-1"))
                if cidx > idx:
                    at = i
                elif c.find("master") is None and cur.find("master") is not None and cidx == idx:
                    at = i  # a USB master goes before its companions
                elif at == -1:
                    at = i + 1
        if at == -1:
            placed.append(c)
        else:
            placed.insert(at, c)
    pos = list(devs).index(anchor) + 1 if anchor is not None else 0
    for c in reversed(placed):
        devs.insert(pos, c)


def _console_port(root: Any) -> None:
    for i, con in enumerate(root.findall("devices/console")):
        t = con.find("target")
        if t is not None and t.get("port") is not None:
            t.set("port", str(i))


NORMALISE: dict[str, Callable[[Any], None]] = {
    "usb-default-controller": _usb, "pci-root": _pci_root, "panic-s390-pseries": _panic,
    "channel-default-path": _channel, "serial-target-spapr-system": _serial, "cpu-orig": _cpu,
    "default-audio": _audio, "ps2-keyboard": _ps2, "graphics-from-config": _graphics,
    "controller-order": _controller_order, "console-port": _console_port,
}


def normalise(xml: str) -> str:
    root = etree.fromstring(xml.encode())
    for fn in NORMALISE.values():
        fn(root)
    return etree.tostring(root, encoding="unicode")


def test_one_list_of_exceptions() -> None:
    assert set(NORMALISE) == set(DROPPED_BY_DESIGN)
    assert all(DROPPED_BY_DESIGN.values())


def _cases() -> list[dict[str, Any]]:
    if not corpus_available():
        return []
    with open(os.path.join(str(CORPUS), "manifest.json"), "rb") as fh:
        m = json.load(fh)
    return [c for c in m if c["suite"] == "qemuxml2xml" and "inactive" in (c.get("expected") or {})]


def _run(raw: dict[str, Any]) -> tuple[str, str, str]:
    """-> (status, expected inactive, round-tripped inactive)."""
    import drivers.qemu.conformance_suites as cs
    from virtxml import conformance as conf, forms
    from virtxml.flags import ParseFlags

    conf.load_plugins()
    case = conf.Case(str(CORPUS), raw)
    if conf.run_case(case).status != conf.PASS:
        return "not-conformant", "", ""
    opts, extra = cs.case_options(case)
    parse = conf.make_parse(cs._driver(), options=opts, ctx_data={"host_arch": "x86_64"}, extra_flags=extra)
    dom = parse(case.read(raw["input"]), int(ParseFlags.INACTIVE), case.path(raw["input"]))
    want = case.read(raw["expected"]["inactive"]).decode()
    mig = forms.format_migratable(dom, "qemu", opts)
    back = parse(mig.encode(), int(ParseFlags.INACTIVE), "migratable.xml")
    return "ok", want, forms.format_inactive(back, secure=True)


CASES = _cases()


@pytest.mark.corpus
@pytest.mark.skipif(not CASES and os.environ.get("CI") != "true", reason="corpus not available")
@pytest.mark.parametrize("raw", CASES, ids=[c["name"] for c in CASES])
def test_migratable_roundtrip(raw: dict[str, Any]) -> None:
    status, want, got = _run(raw)
    if status != "ok":
        pytest.skip("input does not pass qemuxml2xml conformance")
    if got == want:
        return
    assert normalise(got) == normalise(want)
