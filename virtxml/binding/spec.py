"""Declaring the XML mapping on attrs fields.

A model class is an attrs class decorated with :func:`xml`; each field says
how it maps to XML with one of the helpers below.  The order of the fields is
libvirt's output order: attributes are written in the order their fields are
declared, child elements likewise.  The parser and formatter are generic
(:mod:`virtxml.binding.compiler`) and read these declarations once per class.
"""

from __future__ import annotations

from typing import Any, Callable, TypeVar

import attrs

from .conv import STR, Conv

ATTR = "attr"
CHILD = "child"  # one child element bound to a model class
CHILDREN = "children"  # repeated child elements bound to a model class
TEXT = "text"  # the element's own text
TEXT_CHILD = "text_child"  # <name>text</name>
TEXT_CHILDREN = "text_children"
FLAG = "flag"  # presence of an empty element <acpi/>
RAW = "raw"  # child elements kept as they are (metadata, foreign namespaces)
CHOICE = "choice"  # repeated child elements of several tags/classes, order kept
SCALED = "scaled"  # <name unit='X'>N</name>: a size, stored in KiB

_KEY = "virtxml"

Pred = Callable[[Any, int], bool]

T = TypeVar("T")


class XSpec:
    __slots__ = ("kind", "name", "conv", "cls", "when", "ns", "required", "choices", "field")

    def __init__(self, kind: str, name: str | None = None, conv: Conv | None = None, cls: Any = None,
                 when: Pred | None = None, ns: str | None = None, required: bool = False,
                 choices: dict[str, Any] | None = None) -> None:
        self.kind, self.name, self.conv, self.cls = kind, name, conv, cls
        self.when, self.ns, self.required, self.choices = when, ns, required, choices
        self.field: str = ""


def _field(spec: XSpec, default: Any = None, factory: Any = None) -> Any:
    md = {_KEY: spec}
    if factory is not None:
        return attrs.field(factory=factory, metadata=md)
    return attrs.field(default=default, metadata=md)


def attribute(name: str | None = None, conv: Conv = STR, *, when: Pred | None = None,
              required: bool = False, default: Any = None, ns: str | None = None) -> Any:
    """An XML attribute.  ``when(obj, format_flags)`` may suppress it."""
    return _field(XSpec(ATTR, name, conv, when=when, required=required, ns=ns), default)


def element(name: str | None = None, cls: Any = None, *, when: Pred | None = None, ns: str | None = None) -> Any:
    """One child element bound to model class ``cls`` (or a zero-argument
    callable returning it, for recursive structures)."""
    return _field(XSpec(CHILD, name, cls=cls, when=when, ns=ns))


def elements(name: str | None = None, cls: Any = None, *, when: Pred | None = None, ns: str | None = None) -> Any:
    """Repeated child elements, kept in document order."""
    return _field(XSpec(CHILDREN, name, cls=cls, when=when, ns=ns), factory=list)


def text(conv: Conv = STR, *, default: Any = None) -> Any:
    """The element's own text content."""
    return _field(XSpec(TEXT, None, conv), default)


def text_element(name: str | None = None, conv: Conv = STR, *, when: Pred | None = None, ns: str | None = None) -> Any:
    """``<name>value</name>``."""
    return _field(XSpec(TEXT_CHILD, name, conv, when=when, ns=ns))


def text_elements(name: str | None = None, conv: Conv = STR, *, when: Pred | None = None) -> Any:
    return _field(XSpec(TEXT_CHILDREN, name, conv, when=when), factory=list)


def flag(name: str | None = None, *, when: Pred | None = None, ns: str | None = None) -> Any:
    """An empty element whose presence is the value (``True``/``False``)."""
    return _field(XSpec(FLAG, name, when=when, ns=ns), False)


def raw(*, when: Pred | None = None) -> Any:
    """Child elements kept verbatim (as canonical XML strings)."""
    return _field(XSpec(RAW, None, when=when), factory=list)


def choice(mapping: dict[str, Any], *, when: Pred | None = None) -> Any:
    """Repeated children of several tags, each bound to its own class,
    kept in one list in document order (e.g. ``<qemu:commandline>``)."""
    return _field(XSpec(CHOICE, None, choices=mapping, when=when), factory=list)


def field_specs(cls: type) -> list[XSpec]:
    out = []
    for f in attrs.fields(cls):
        spec = f.metadata.get(_KEY)
        if spec is None:
            continue
        spec.field = f.name
        if spec.name is None and spec.kind not in (TEXT, RAW, CHOICE):
            spec.name = f.name
        out.append(spec)
    return out


def scaled_element(name: str | None = None, *, when: Pred | None = None, unit: str = "KiB") -> Any:
    """``<name unit='...'>N</name>``: a size with libvirt's unit rules
    (virDomainParseMemory), stored as an int in ``unit`` (KiB by default)
    and written back as ``<name unit='KiB'>N</name>``."""
    from .conv import Scaled

    return _field(XSpec(SCALED, name, Scaled(unit), when=when))
