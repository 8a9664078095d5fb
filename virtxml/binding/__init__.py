"""Declarative XML binding for attrs model classes (see spec.py)."""

from __future__ import annotations

import threading
from operator import attrgetter
from typing import Any, Callable, TypeVar, dataclass_transform

import attrs

from . import conv
from .compiler import ParseContext, compile_class, format_raw, raw_string
from .conv import (INT, LONG, ONOFF, STR, UINT, UINT_ANYBASE, ULONG, YESNO, Bool, Conv,
                   ConvError, Custom, Enum, Int, escape)
from .spec import (attribute, choice, element, elements, field_specs, flag, raw, scaled_element, text,
                   text_element, text_elements)

T = TypeVar("T")

__all__ = [
    "xml", "custom_format", "scaled_element", "attribute", "element", "elements", "text", "text_element",
    "text_elements", "flag", "raw", "choice", "field_specs", "ParseContext", "compile_class",
    "format_raw", "raw_string", "conv", "Conv", "ConvError", "Custom", "Enum", "Int", "Bool",
    "STR", "INT", "UINT", "LONG", "ULONG", "YESNO", "ONOFF", "UINT_ANYBASE", "escape",
    "to_xml", "from_xml_element",
]


def custom_format(fn: Callable[..., None]) -> Callable[..., None]:
    """Mark a class's ``xml_format`` as hand-written: the compiler leaves it
    in place and exposes its own as ``_xml_format_generated``."""
    fn._virtxml_custom = True  # type: ignore[attr-defined]
    return fn


# For type checkers the XML helpers (attribute(), element(), ...) are plain
# default values, so every field is an optional keyword of the constructor;
# attrs.field() fields keep their own semantics.
@dataclass_transform(kw_only_default=True, field_specifiers=(attrs.field,))
def xml(tag: str, *, ns: str | None = None) -> Callable[[type[T]], type[T]]:
    """Class decorator: a slotted, keyword-only attrs class bound to ``tag``.

    Fields without XML metadata (``attrs.field(eq=False)``) hold private,
    non-XML state."""

    def deco(cls: type[T]) -> type[T]:
        # __eq__ and __repr__ are shared functions driven by per-class field
        # tuples rather than code attrs generates for each of the ~450 model
        # classes: that generation was a quarter of the import time.
        c: Any = attrs.define(cls, slots=True, kw_only=True, eq=False, repr=False)
        fields = attrs.fields(c)
        eq_names = tuple(f.name for f in fields if f.eq)
        c.__xml_eq_key__ = attrgetter(*eq_names) if eq_names else (lambda obj: ())
        c.__xml_repr_names__ = tuple(f.name for f in fields if f.repr)
        c.__eq__ = _model_eq
        c.__ne__ = _model_ne
        c.__hash__ = None  # mutable and compared by value: unhashable, as attrs makes it
        c.__repr__ = _model_repr
        c.__xml_tag__ = tag
        c.__xml_ns__ = ns
        c.__xml_compiled__ = False

        def _lazy_parse(el: Any, ctx: Any, _c: Any = c) -> Any:
            compile_class(_c)
            return _c._xml_parse(el, ctx)

        c._xml_parse = staticmethod(_lazy_parse)

        def _lazy_generated(self: Any, out: list[str], ind: str, flags: int) -> None:
            compile_class(type(self))
            type(self)._xml_format_generated(self, out, ind, flags)

        c._xml_format_generated = _lazy_generated
        if not getattr(c.__dict__.get("xml_format"), "_virtxml_custom", False):
            c.xml_format = _lazy_generated
        return c  # type: ignore[no-any-return]

    return deco


def _model_eq(self: Any, other: Any) -> Any:
    """attrs' eq: same class, equal fields (those with eq=True), in order."""
    if other.__class__ is not self.__class__:
        return NotImplemented
    key = self.__xml_eq_key__
    return key(self) == key(other)


def _model_ne(self: Any, other: Any) -> Any:
    result = _model_eq(self, other)
    return result if result is NotImplemented else not result


_repr_running = threading.local()


def _model_repr(self: Any) -> str:
    """attrs' repr: ``Class(field=value, ...)``, guarded against cycles."""
    running = getattr(_repr_running, "ids", None)
    if running is None:
        running = _repr_running.ids = set()
    if id(self) in running:
        return "..."
    running.add(id(self))
    try:
        name = self.__class__.__qualname__.rsplit(">.", 1)[-1]
        return "%s(%s)" % (name, ", ".join("%s=%r" % (n, getattr(self, n, attrs.NOTHING))
                                          for n in self.__xml_repr_names__))
    finally:
        running.discard(id(self))


def to_xml(obj: Any, flags: int = 0, indent: str = "") -> str:
    out: list[str] = []
    obj.xml_format(out, indent, flags)
    return "".join(out)


def from_xml_element(cls: type[T], el: Any, ctx: ParseContext | None = None) -> T:
    """Bind lxml element ``el`` to model class ``cls``."""
    parse: Callable[[Any, ParseContext], T] = getattr(cls, "_xml_parse")
    return parse(el, ctx or ParseContext())
