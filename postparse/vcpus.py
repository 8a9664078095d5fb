"""virDomainVcpuDefPostParse: per-vcpu hotpluggable defaults."""

from __future__ import annotations

from typing import Any

from virtxml.errors import PostParseError

from .util import get


def vcpu_list(dom: Any) -> list[Any]:
    vc = get(dom, "vcpus")
    if vc is None:
        return []
    if isinstance(vc, list):
        return vc
    items = get(vc, "vcpus")
    if items is None:
        items = get(vc, "vcpu")
    return list(items or [])


def post_parse_vcpus(dom: Any) -> None:
    """Only the explicit ``<vcpus>`` list carries per-vcpu state here; a
    domain without it has all vcpus up to ``current`` online and
    hotpluggable=no (not formatted)."""
    for i, v in enumerate(sorted(vcpu_list(dom), key=lambda v: get(v, "id", 0) or 0)):
        online = get(v, "enabled")
        hp = get(v, "hotpluggable")
        if hp is None:
            v.hotpluggable = not online
        elif hp is False and not online:
            raise PostParseError("vcpu '%d' is both offline and not hotpluggable" % (get(v, "id", i) or 0))
