"""virDomainVcpuDefPostParse: per-vcpu hotpluggable defaults."""

from __future__ import annotations

from typing import Any

from virtxml.errors import PostParseError


def vcpu_list(dom: Any) -> list[Any]:
    vc = getattr(dom, "vcpus", None)
    if vc is None:
        return []
    if isinstance(vc, list):
        return vc
    items = getattr(vc, "vcpus", None)
    if items is None:
        items = getattr(vc, "vcpu", None)
    return list(items or [])


def post_parse_vcpus(dom: Any) -> None:
    """Only the explicit ``<vcpus>`` list carries per-vcpu state here; a
    domain without it has all vcpus up to ``current`` online and
    hotpluggable=no (not formatted)."""
    for i, v in enumerate(sorted(vcpu_list(dom), key=lambda v: getattr(v, "id", 0) or 0)):
        online = getattr(v, "enabled", None)
        hp = getattr(v, "hotpluggable", None)
        if hp is None:
            v.hotpluggable = not online
        elif hp is False and not online:
            raise PostParseError("vcpu '%d' is both offline and not hotpluggable" % (getattr(v, "id", i) or 0))
