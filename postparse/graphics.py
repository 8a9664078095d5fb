"""virDomainDefPostParseGraphics: SPICE with no ports and autoport off
listens nowhere (listen type 'none')."""

from __future__ import annotations

from typing import Any

from .util import devlist, get, set_field


def listens(g: Any) -> list[Any]:
    ls = get(g, "listens")
    if ls is None:
        ls = get(g, "listen")
    if ls is None:
        return []
    return ls if isinstance(ls, list) else [ls]


def post_parse_graphics(dom: Any) -> None:
    for g in devlist(dom, "graphics"):
        if get(g, "type") != "spice":
            continue
        ls = listens(g)
        if not ls:
            continue
        first = ls[0]
        if (get(first, "type") == "address" and not get(g, "port") and not get(g, "tls_port")
                and not get(g, "autoport")):
            set_field(first, "address", None)
            set_field(first, "type", "none")
