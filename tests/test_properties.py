"""Property: every Domain the public strategies build survives
format -> bind unchanged (``parse(format(d)) == d``)."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from lxml import etree

import virtxml
from virtxml import strategies as vs
from virtxml.flags import FormatFlags, ParseFlags


def _rebind(obj_xml: str) -> virtxml.Domain:
    return virtxml.bind(etree.fromstring(obj_xml.encode()), flags=ParseFlags.INACTIVE)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(vs.domains())
def test_format_then_bind_is_identity(dom: virtxml.Domain) -> None:
    xml = virtxml.format(dom, FormatFlags.SECURE)
    again = _rebind(xml)
    assert again == dom, xml
    # and the output is a fixpoint
    assert virtxml.format(again, FormatFlags.SECURE) == xml


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(vs.devices())
def test_devices_roundtrip(devs) -> None:
    from virtxml.binding import ParseContext
    from virtxml.model.devices import Devices

    out: list[str] = []
    devs.xml_format(out, "", int(FormatFlags.SECURE | FormatFlags.INACTIVE))
    xml = "".join(out)
    again = Devices._xml_parse(etree.fromstring(xml.encode()), ParseContext(ParseFlags.INACTIVE))
    assert again == devs, xml


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(vs.domains())
def test_json_roundtrip_is_identity(dom: virtxml.Domain) -> None:
    from virtxml import jsonio

    assert jsonio.from_json(virtxml.Domain, jsonio.to_json(dom)) == dom


def test_strategy_draws_devices() -> None:
    """The strategy really builds devices of many kinds (guards against a
    strategy that silently draws empty domains)."""
    counts: list[int] = []
    kinds: set[str] = set()

    @settings(max_examples=60, deadline=None, database=None)
    @given(vs.domains())
    def collect(d: virtxml.Domain) -> None:
        devs = list(d.devices.iter_devices())
        counts.append(len(devs))
        kinds.update(type(x).__xml_tag__ for x in devs)

    collect()
    assert max(counts) >= 5
    assert len(kinds) >= 10, kinds
