"""The QEMU driver's fast paths against the plain code they replace: device
iteration in one attrgetter call, PCI controller option fields resolved
once per class, one capability source per built-in profile."""

from __future__ import annotations

import json
from typing import Any, Iterator

import pytest

from drivers.qemu import controllers as qc
from drivers.qemu import options, util
from postparse.driver import PostParseContext
from postparse.util import has_field
from tests.corpus_paths import CORPUS, need_corpus
from virtxml import api
from virtxml.flags import ParseFlags
from virtxml.model.devices import Controller
from virtxml.model.devices.controller import ControllerModelName, ControllerTarget


def _plain_iter_info(dom: Any, all_consoles: bool = False) -> Iterator[tuple[str, Any]]:
    """iter_info_devices written the plain way (one getattr per list)."""
    devs = getattr(dom, "devices", None)
    if devs is None:
        return
    serials = getattr(devs, "serials", None)
    for name, kind in util.INFO_ORDER:
        items = getattr(devs, name, None)
        if items is None:
            continue
        if items.__class__ is not list:
            yield kind, items
            continue
        for i, dev in enumerate(items):
            if kind == "console" and i == 0 and not all_consoles and serials:
                tt = getattr(getattr(dev, "target", None), "type", None)
                if tt in (None, "serial"):
                    continue
            yield kind, dev


def _corpus_domains(limit: int = 120) -> list[Any]:
    need_corpus()
    manifest = json.loads((CORPUS / "manifest.json").read_text())
    doms, seen = [], set()
    for case in manifest:
        path = CORPUS / case["input"]
        if path in seen or "qemu" not in str(path):
            continue
        seen.add(path)
        try:
            dom = api.parse(path.read_bytes(), driver="qemu", flags=ParseFlags.INACTIVE,
                            options={"caps_profile": "libvirt-test"})
        except Exception:  # noqa: BLE001 - only documents the driver accepts
            continue
        doms.append(dom)
        if len(doms) >= limit:
            break
    assert doms
    return doms


def test_iter_info_devices_matches_the_plain_iteration() -> None:
    consoles_skipped = 0
    for dom in _corpus_domains():
        for all_consoles in (False, True):
            fast = [(k, id(d)) for k, d in util.iter_info_devices(dom, all_consoles)]
            plain = [(k, id(d)) for k, d in _plain_iter_info(dom, all_consoles)]
            listed = [(k, id(d)) for k, d in util.info_devices(dom, all_consoles)]
            assert fast == plain == listed
        if len(list(util.iter_info_devices(dom, True))) != len(list(util.iter_info_devices(dom))):
            consoles_skipped += 1
    # the serial-compat console case was exercised
    assert consoles_skipped


def test_iter_info_devices_sees_devices_added_while_iterating() -> None:
    dom = api.parse("<domain type='qemu'><name>a</name><memory>1</memory><os><type>hvm</type></os>"
                    "<devices><console type='pty'><target type='virtio'/></console></devices></domain>")
    seen = []
    for kind, dev in util.iter_info_devices(dom):
        seen.append(kind)
        if kind == "console" and len(dom.devices.consoles) == 1:
            dom.devices.consoles.append(type(dev)())
    assert seen.count("console") == 2


def _plain_target_opt(cont: Any, key: str) -> Any:
    t = getattr(cont, "target", None)
    if t is None:
        return None
    for n in qc._TARGET_ALIASES[key]:
        if has_field(t, n):
            return getattr(t, n, None)
    return None


@pytest.mark.parametrize("key", sorted(qc._TARGET_ALIASES))
def test_pci_target_options_match_the_alias_search(key: str) -> None:
    cont = Controller(type="pci", index=1, model="pcie-root-port",
                      target=ControllerTarget(chassis_nr=3, chassis=4, port=5, bus_nr=6, index=7,
                                              hotplug=False, node=1),
                      model_name=ControllerModelName(name="ioh3420"))
    assert qc.target_opt(cont, key) == _plain_target_opt(cont, key)
    qc.set_target_opt(cont, key, 9)
    assert _plain_target_opt(cont, key) == 9
    assert qc.model_name(cont) == "ioh3420"


class _Plain:
    """Not an attrs class: has_field asks the object, nothing is cached."""

    def __init__(self, **kw: Any) -> None:
        self.__dict__.update(kw)


def test_field_lookup_is_per_object_for_non_attrs_classes() -> None:
    a = _Plain(target=_Plain(chassis_nr=1))
    b = _Plain(target=_Plain(chassisNr=2))
    assert qc.target_opt(a, "chassisNr") == 1
    assert qc.target_opt(b, "chassisNr") == 2


def _ctx(**opts: Any) -> PostParseContext:
    from drivers.qemu import driver

    return PostParseContext(flags=0, driver=driver, options=opts)


def test_profile_source_is_shared_per_profile_and_host_arch() -> None:
    need_corpus()
    a = options.caps_source(_ctx(caps_profile="libvirt-test"))
    b = options.caps_source(_ctx(caps_profile="libvirt-test"))
    c = options.caps_source(_ctx(caps_profile="libvirt-test", host_arch="aarch64"))
    assert a is b
    assert c is not a
    assert c.host_arch == "aarch64"
    assert a.host_arch != "aarch64"
    given = object()
    assert options.caps_source(_ctx(caps_profile="libvirt-test", caps_source=given)) is given


def test_shared_profile_source_gives_the_same_results_as_a_fresh_one() -> None:
    doms = _corpus_domains(40)
    for dom in doms[:40]:
        xml = api.format(dom)
        fresh = options._new_source({"caps_profile": "libvirt-test"})
        one = api.parse(xml, driver="qemu", flags=ParseFlags.INACTIVE,
                        options={"caps_profile": "libvirt-test"})
        two = api.parse(xml, driver="qemu", flags=ParseFlags.INACTIVE, options={"caps_source": fresh})
        assert api.format(one) == api.format(two)


def test_post_parse_twice_keeps_the_first_result() -> None:
    """Nothing the driver keeps between documents changes a second run."""
    for dom in _corpus_domains(40):
        xml = api.format(dom)
        first = api.format(api.parse(xml, driver="qemu", flags=ParseFlags.INACTIVE,
                                     options={"caps_profile": "libvirt-test"}))
        again = api.format(api.parse(xml, driver="qemu", flags=ParseFlags.INACTIVE,
                                     options={"caps_profile": "libvirt-test"}))
        assert again == first
