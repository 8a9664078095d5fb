"""virDomainDefPostParseGraphics: SPICE with no ports and autoport off
listens nowhere (listen type 'none')."""

from __future__ import annotations

from typing import Any

from .util import devlist, set_field


def listens(g: Any) -> list[Any]:
    ls = getattr(g, "listens", None)
    if ls is None:
        ls = getattr(g, "listen", None)
    if ls is None:
        return []
    return ls if isinstance(ls, list) else [ls]


def post_parse_graphics(dom: Any) -> None:
    for g in devlist(dom, "graphics"):
        if getattr(g, "type", None) != "spice":
            continue
        ls = listens(g)
        if not ls:
            continue
        first = ls[0]
        if (getattr(first, "type", None) == "address" and not getattr(g, "port", None) and not getattr(g, "tls_port", None)
                and not getattr(g, "autoport", None)):
            set_field(first, "address", None)
            set_field(first, "type", "none")
