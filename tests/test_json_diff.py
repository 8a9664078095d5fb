"""JSON round-trip and semantic diff (issue 8 properties)."""

from __future__ import annotations

import random

import attrs
import pytest
from hypothesis import HealthCheck, given, settings

import virtxml
from virtxml import jsonio
from virtxml.diff import diff
from virtxml.model import Domain
from virtxml import strategies


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(strategies.domains())
def test_json_round_trip(dom: Domain) -> None:
    assert jsonio.from_json(Domain, jsonio.to_json(dom)) == dom


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(strategies.domains())
def test_diff_with_itself_is_empty(dom: Domain) -> None:
    assert diff(dom, attrs.evolve(dom)) == []


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(strategies.domains())
def test_diff_ignores_device_order(dom: Domain) -> None:
    other = jsonio.from_json(Domain, jsonio.to_json(dom))
    if other.devices is not None:
        rnd = random.Random(0)
        for name in ("disks", "interfaces", "rngs", "panics", "shmems", "memories", "watchdogs", "inputs"):
            lst = getattr(other.devices, name, None)
            if isinstance(lst, list):
                rnd.shuffle(lst)
    assert diff(dom, other) == []


def test_diff_reports_exactly_a_memory_change() -> None:
    xml = ("<domain type='kvm'><name>a</name><memory unit='MiB'>512</memory>"
           "<os><type arch='x86_64'>hvm</type></os></domain>")
    a = virtxml.parse(xml, flags=virtxml.ParseFlags.INACTIVE)
    b = virtxml.parse(xml.replace("512", "1024"), flags=virtxml.ParseFlags.INACTIVE)
    b.uuid = a.uuid
    changes = diff(a, b)
    paths = sorted(c.path for c in changes)
    assert paths == ["current_memory", "memory/value"], changes
    assert {c.kind for c in changes} == {"changed"}


def test_json_schema_describes_the_model() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    schema = jsonio.json_schema()
    xml = ("<domain type='kvm'><name>a</name><memory unit='MiB'>512</memory>"
           "<os><type arch='x86_64'>hvm</type></os><devices><disk type='file' device='disk'>"
           "<source file='/a.img'/><target dev='vda' bus='virtio'/></disk></devices></domain>")
    dom = virtxml.parse(xml, flags=virtxml.ParseFlags.INACTIVE)
    jsonschema.validate(jsonio.to_data(dom), schema)


@settings(max_examples=30, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(strategies.domains("test"))
def test_strategies_constrained_by_driver_are_accepted(dom: Domain) -> None:
    """Drawn with a driver, a domain passes that driver's define as it is."""
    again = virtxml.parse(virtxml.format(dom, virtxml.FormatFlags.INACTIVE | virtxml.FormatFlags.SECURE),
                          driver="test", flags=virtxml.ParseFlags.INACTIVE)
    assert virtxml.format(again, virtxml.FormatFlags.INACTIVE) == virtxml.format(dom, virtxml.FormatFlags.INACTIVE)
