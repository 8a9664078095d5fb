"""Helpers shared by the top-level (non-device) model modules: libvirt's
bitmap syntax, sizes with units, tristate converters."""

from __future__ import annotations

import re
from typing import Any

from ..binding import ONOFF, YESNO, Conv, ConvError, Custom, Enum
from ..binding.conv import ScaleError, escape, parse_scaled

__all__ = ["Bitmap", "parse_bitmap", "format_bitmap", "size_kib", "SizeText", "SIZE_TEXT",
           "YESNO", "ONOFF", "checked_later", "empty_is_absent", "unread_when", "enum_msg", "legacy_enum", "require_attrs", "LAX_TEXT", "unknown"]

LLONG_MAX = (1 << 63) - 1

_RANGE = re.compile(r"\s*(\^)?\s*(\d+)\s*(?:-\s*(\d+))?\s*\Z")


def parse_bitmap(s: str, limit: int | None = None) -> tuple[int, ...]:
    """virBitmapParse: ``0-3,^2,8`` -> sorted tuple of set bits.
    Raises ValueError when the syntax is wrong or a bit exceeds ``limit``."""
    if not s or not s.strip():
        raise ValueError(s)
    bits: set[int] = set()
    for part in s.split(","):
        m = _RANGE.match(part)
        if m is None:
            raise ValueError(s)
        neg, a, b = m.group(1), int(m.group(2)), m.group(3)
        if neg and b is not None:
            raise ValueError(s)
        hi = int(b) if b is not None else a
        if hi < a:
            raise ValueError(s)
        if limit is not None and hi >= limit:
            raise ValueError(s)
        if neg:
            bits.discard(a)
        else:
            bits.update(range(a, hi + 1))
    return tuple(sorted(bits))


def format_bitmap(bits: Any) -> str:
    """virBitmapFormat: ranges joined by commas; empty set -> ''."""
    out: list[str] = []
    it = sorted(bits)
    i = 0
    while i < len(it):
        start = it[i]
        while i + 1 < len(it) and it[i + 1] == it[i] + 1:
            i += 1
        end = it[i]
        out.append(str(start) if start == end else f"{start}-{end}")
        i += 1
    return ",".join(out)


class Bitmap(Conv):
    """A libvirt bitmap (cpuset/nodeset), normalised on output."""

    is_str = False
    name = "bitmap"

    def __init__(self, message: str = "Failed to parse bitmap '{value}'", limit: int | None = 16384,
                 allow_empty: bool = True, empty_message: str | None = None) -> None:
        self.message = message
        self.limit = limit
        self.allow_empty = allow_empty
        self.empty_message = empty_message

    def parse(self, s: str) -> Any:
        try:
            bits = parse_bitmap(s, self.limit)
        except ValueError:
            raise ConvError(self.message) from None
        if not bits and self.empty_message is not None:
            raise ConvError(self.empty_message)
        return bits

    def fmt(self, v: Any) -> str:
        return format_bitmap(v)


CPUSET = Bitmap()

#: an attribute whose string the class's parse hook converts; written with str()
HOOKED = Custom(lambda s: s, str, name="hooked")


def size_kib(value: str | None, unit: str | None, what: str, *, default: int = 1024, out_unit: int = 1024) -> int:
    """virDomainParseMemory / virParseScaledValue -> KiB (rounded up).
    Raises ScaleError with libvirt's text."""
    b = parse_scaled(value if value is not None else "", unit, what, default=default)
    return -(-b // out_unit)


class SizeText(Conv):
    """Element text kept as a string at conversion time; the class's parse
    hook turns it (with @unit) into KiB."""

    is_str = False
    name = "size"

    def parse(self, s: str) -> Any:
        return s

    def fmt(self, v: Any) -> str:
        return str(v)


SIZE_TEXT = SizeText()


def scaled_hook(kw: dict[str, Any], el: Any, ctx: Any, what: str, *, field: str = "value",
                unit_field: str = "unit", required: bool = False, default: int = 1024,
                max_bytes: int | None = None) -> None:
    """Convert ``kw[field]`` (text) and ``kw[unit_field]`` to KiB in place."""
    v = kw.get(field)
    unit = kw.get(unit_field)
    if v is None:
        if required:
            raise ctx.error(el, f"missing element or attribute '{what}'")
        kw.pop(unit_field, None)
        return
    try:
        if max_bytes is None:
            b = parse_scaled(v, unit, what, default=default)
        else:
            b = parse_scaled(v, unit, what, default=default, max_bytes=max_bytes)
    except ScaleError as e:
        raise ctx.error(el, e.message) from None
    kib = -(-b // 1024)
    if max_bytes is None and kib >= -(-LLONG_MAX // 1024):
        # virDomainParseMemory's own check
        raise ctx.error(el, "size value too large")
    kw[field] = kib
    kw[unit_field] = "KiB"


def legacy_enum(values: tuple[str, ...], message: str) -> Custom:
    """A closed set of strings checked the legacy way (virXMLPropString and
    TypeFromString): ``message`` (a libvirt text with {value}) for any
    other value; written back as it is."""

    def p(s: str) -> str:
        if s not in values:
            raise ConvError(message)
        return s

    return Custom(p, lambda v: v, name="enum(" + "|".join(values) + ")")


def require_attrs(kw: dict[str, Any], el: Any, ctx: Any, *names: str) -> None:
    """virXMLProp*(..., VIR_XML_PROP_REQUIRED) of ``names``, in libvirt's
    order: the error of the first one missing."""
    for name in names:
        if kw.get(name) is None:
            raise ctx.error(el, f"Missing required attribute '{name}' in element '{el.tag}'")


def checked_later(conv: Any) -> Any:
    """``conv`` (its JSON schema too), but a value it refuses is kept as
    written: the parse hook checks it, with libvirt's own text or rule."""

    class Later(type(conv)):  # type: ignore[misc]
        def parse(self, s: str) -> Any:
            try:
                return super().parse(s)
            except ConvError:
                return s

    obj = Later.__new__(Later)
    obj.__dict__.update(conv.__dict__)
    return obj


def empty_is_absent(conv: Any) -> Any:
    """``conv`` (its JSON schema too) for a value libvirt reads with
    virXPathString: an empty attribute is no attribute."""

    class Empty(type(conv)):  # type: ignore[misc]
        def parse(self, s: str) -> Any:
            if s == "":
                return None
            return super().parse(s)

    obj = Empty.__new__(Empty)
    obj.__dict__.update(conv.__dict__)
    return obj


def unread_when(cls: Any, when: Any) -> None:
    """libvirt does not read ``cls``'s element at all when ``when(ctx)``:
    bind an empty instance then (nothing inside can be an error).  The
    class is compiled first, so that the lazy compilation does not put the
    generated parser back in place of this one."""
    from ..binding.compiler import compile_class

    compile_class(cls)
    inner = cls._xml_parse

    def parse(el: Any, ctx: Any) -> Any:
        if when(ctx):
            return cls()
        return inner(el, ctx)

    cls._xml_parse = staticmethod(parse)


def enum_msg(values: Any, message: str) -> Enum:
    """An Enum whose error is a legacy libvirt text with {value}."""
    return Enum(values, message=message)


class _Lax(Conv):
    is_str = True
    name = "string"

    def parse(self, s: str) -> Any:
        return s

    def fmt(self, v: Any) -> str:
        return escape(v)


LAX_TEXT = _Lax()


def unknown(message: str) -> ConvError:
    return ConvError(message)


def int_conv(message: str, *, signed: bool = False, bits: int = 32) -> Custom:
    """An integer whose bad value gives a fixed libvirt text."""
    lo = -(1 << (bits - 1)) if signed else 0
    hi = (1 << (bits - 1)) - 1 if signed else (1 << bits) - 1
    pat = re.compile(r"\s*[+-]?\d+\Z" if signed else r"\s*\+?\d+\Z")

    def p(s: str) -> int:
        if pat.match(s) is None:
            raise ValueError(s)
        v = int(s)
        if v < lo or v > hi:
            raise ValueError(s)
        return v

    return Custom(p, str, message=message, name="int")


def sanitize_path(path: str) -> str:
    """virFileSanitizePath: collapse repeated '/', drop a trailing '/'
    (a leading '//' is kept, as POSIX allows)."""
    if not path:
        return path
    uri = path.find("://")
    if uri >= 0 and (path.find("/") if "/" in path else len(path)) > uri - 1 and path.find("/") >= uri:
        return path  # URIs are left alone
    lead = "//" if path.startswith("//") and not path.startswith("///") else ""
    body = re.sub(r"/{2,}", "/", path[len(lead):])
    out = lead + body
    if len(out) > 1 and out.endswith("/"):
        out = out[:-1]
    return out
