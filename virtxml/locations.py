"""Where a post-parse or validation error points.

libvirt's post-parse and validation messages name no place in the document.
Binding records the element each of the domain's parts and devices came
from (``Domain.source_elements``, filled from ``ParseContext.located``);
an error raised while a device is completed or checked points at that
device's element, any other at the part it concerns when known, else at
``<domain>``.  Only errors that have no line yet are located."""

from __future__ import annotations

from typing import Any

from .errors import VirtXMLError


class SourceMap(dict):  # type: ignore[type-arg]
    """id(part) -> (part, element).  A deep copy of a domain shares it
    rather than copying the document's tree: the copy's parts are new
    objects, which the map does not know, so the copy is simply unlocated."""

    __slots__ = ()

    def __deepcopy__(self, memo: dict[int, Any]) -> "SourceMap":
        return self

    def __reduce__(self) -> Any:
        # a pickled domain travels without its document: its parts are
        # new objects on the other side, unlocated
        return (SourceMap, ())


def element_of(dom: Any, obj: Any) -> Any:
    """The element ``obj`` (a part or device of ``dom``) was bound from, or None."""
    found = getattr(dom, "source_elements", None)
    if not found:
        return None
    entry = found.get(id(obj))
    if entry is None or entry[0] is not obj:  # a replaced object: its id may be reused
        return None
    return entry[1]


def locate(err: VirtXMLError, dom: Any, obj: Any = None) -> VirtXMLError:
    """Give ``err`` the line and path of the element of what it is about:
    its own ``subject`` (``err.about(part)``), else ``obj``, else the
    domain's root; only when it has no line yet.  Returns ``err``."""
    if err.line is not None:
        return err
    el = None
    for cand in (err.subject, obj):
        if cand is not None and el is None:
            el = element_of(dom, cand)
    if el is None:
        el = element_of(dom, dom)
    if el is None:
        return err
    try:
        path = el.getroottree().getpath(el)
    except (AttributeError, ValueError):  # pragma: no cover - detached element
        path = None
    return err.located(line=el.sourceline, path=path, file=getattr(dom, "source_file", None))
