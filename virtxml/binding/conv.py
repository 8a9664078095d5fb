"""Value converters: XML attribute / text strings <-> typed Python values,
with libvirt's parse error texts (virxml.c's virXMLProp* helpers)."""

from __future__ import annotations

import re
from typing import Any, Callable, Iterable

_ESC_NEEDED = re.compile(r"[<>&'\"\x00-\x08\x0b\x0c\x0e-\x1f]").search
_ESC_MAP = {"<": "&lt;", ">": "&gt;", "&": "&amp;", "'": "&apos;", '"': "&quot;"}
_ESC_ALL = re.compile(r"[<>&'\"\x00-\x08\x0b\x0c\x0e-\x1f]")


def _esc_sub(m: "re.Match[str]") -> str:
    return _ESC_MAP.get(m.group(0), "")


def escape(value: str) -> str:
    """virBufferEscapeString: escape <>&'" and silently drop control
    characters other than tab, newline and carriage return."""
    if _ESC_NEEDED(value) is None:
        return value
    return _ESC_ALL.sub(_esc_sub, value)


INVALID = "Invalid value for attribute '{attr}' in element '{elem}': '{value}'."


class ConvError(ValueError):
    """Raised by a converter; ``message`` is a template with {attr} {elem}
    {value} placeholders."""

    def __init__(self, message: str = INVALID) -> None:
        super().__init__(message)
        self.template = message


class Conv:
    """Base converter: strings as they are."""

    name = "string"
    is_str = True

    def parse(self, s: str) -> Any:
        return s

    def fmt(self, v: Any) -> str:
        return escape(v)


class Str(Conv):
    pass


STR = Str()


class Enum(Conv):
    """A closed set of strings (libvirt's virXMLPropEnum)."""

    is_str = False

    def __init__(self, values: Iterable[str], *, message: str = INVALID, zero: str | None = None) -> None:
        self.values = tuple(values)
        self._set = frozenset(self.values)
        self.message = message
        self.zero = zero  # the enum's 0 value ("default"/"none") that libvirt refuses
        self.name = "enum(" + "|".join(self.values) + ")"

    def parse(self, s: str) -> Any:
        if s in self._set and s != self.zero:
            return s
        raise ConvError(self.message)

    def fmt(self, v: Any) -> str:
        return escape(v)


class Bool(Conv):
    """virTristateBool / virTristateSwitch: stored as Python bool."""

    is_str = False

    def __init__(self, true: str = "yes", false: str = "no", message: str = INVALID) -> None:
        self.true, self.false = true, false
        self.message = message
        self.name = f"{true}|{false}"

    def parse(self, s: str) -> Any:
        if s == self.true:
            return True
        if s == self.false:
            return False
        raise ConvError(self.message)

    def fmt(self, v: Any) -> str:
        return self.true if v else self.false


YESNO = Bool("yes", "no")
ONOFF = Bool("on", "off")

_INT_RE = re.compile(r"\s*[+-]?\d+\Z")
_HEX_RE = re.compile(r"\s*[+-]?(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9]\d*)\Z")


class Int(Conv):
    """Integers with libvirt's range checks and error suffixes."""

    is_str = False

    def __init__(
        self,
        *,
        signed: bool = False,
        bits: int = 32,
        base: int = 10,
        nonzero: bool = False,
        fmt: str | Callable[[int], str] = "%d",
        message: str | None = None,
    ) -> None:
        self.signed, self.bits, self.base, self.nonzero = signed, bits, base, nonzero
        self._fmt = fmt
        if signed:
            self.lo, self.hi = -(1 << (bits - 1)), (1 << (bits - 1)) - 1
        else:
            self.lo, self.hi = 0, (1 << bits) - 1
        if message is not None:
            self.message = message
        elif signed:
            self.message = INVALID + (" Expected long long integer value" if bits == 64 else " Expected integer value")
        else:
            self.message = INVALID + " Expected non-negative integer value"
        self.name = ("int" if signed else "uint") + str(bits)

    def parse(self, s: str) -> Any:
        if self.base == 10:
            if s.isascii() and s.isdigit():
                # plain ASCII digits (the common case): no regex needed
                v = int(s)
            elif _INT_RE.match(s) is None:
                raise ConvError(self.message)
            else:
                v = int(s)
        else:
            m = _HEX_RE.match(s)
            if m is None:
                raise ConvError(self.message)
            body = s.strip()
            neg = body.startswith("-")
            body = body.lstrip("+-")
            if self.base == 16:
                try:
                    v = int(body, 16)
                except ValueError:
                    raise ConvError(self.message) from None
            elif body.lower().startswith("0x"):
                v = int(body, 16)
            elif body.startswith("0") and len(body) > 1:
                v = int(body, 8)
            else:
                v = int(body)
            if neg:
                v = -v
        if not self.signed and (v < 0 or s.lstrip().startswith("-")):
            # strtoul wraps "-1"; libvirt's *_uip parsers refuse any sign '-' ("-0" too)
            raise ConvError(self.message)
        if v < self.lo or v > self.hi:
            raise ConvError(self.message)
        if self.nonzero and v == 0:
            raise ConvError("Invalid value for attribute '{attr}' in element '{elem}': Zero is not permitted")
        return v

    def fmt(self, v: Any) -> str:
        f = self._fmt
        if isinstance(f, str):
            return f % v
        return f(v)


UINT = Int()
INT = Int(signed=True)
ULONG = Int(bits=64)
LONG = Int(signed=True, bits=64)
UINT_ANYBASE = Int(base=0)


class Custom(Conv):
    """Converter from two functions (parse raising ConvError/ValueError)."""

    is_str = False

    def __init__(self, parse: Callable[[str], Any], fmt: Callable[[Any], str], *, message: str = INVALID, name: str = "custom") -> None:
        self._parse, self._fmtf, self.message, self.name = parse, fmt, message, name

    def parse(self, s: str) -> Any:
        try:
            return self._parse(s)
        except ConvError:
            raise
        except (ValueError, TypeError):
            raise ConvError(self.message) from None

    def fmt(self, v: Any) -> str:
        return self._fmtf(v)


_UNIT_SCALE: dict[str, int] = {}
for _i, _l in enumerate("kmgtpe", start=1):
    _UNIT_SCALE[_l] = 1024 ** _i
    _UNIT_SCALE[_l + "ib"] = 1024 ** _i
    _UNIT_SCALE[_l + "b"] = 1000 ** _i
for _l in ("b", "byte", "bytes"):
    _UNIT_SCALE[_l] = 1
_LLONG_MAX = (1 << 63) - 1
_ULLONG_MAX = (1 << 64) - 1


class ScaleError(ValueError):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def unit_scale(unit: str | None, default: int = 1024) -> int:
    """virScaleInteger's suffix table; raises ScaleError("unknown suffix")."""
    if not unit:
        return default
    s = _UNIT_SCALE.get(unit.lower())
    if s is None:
        raise ScaleError(f"unknown suffix '{unit}'")
    return s


def parse_scaled(value: str, unit: str | None, what: str, *, default: int = 1024,
                 max_bytes: int = _LLONG_MAX) -> int:
    """virParseScaledValue + virDomainParseMemory: returns bytes."""
    if re.fullmatch(r"\s*\+?\d+", value) is None:
        raise ScaleError(f"Invalid value '{value}' for element or attribute '{what}'")
    n = int(value)
    if n > _ULLONG_MAX:
        raise ScaleError(f"Invalid value '{value}' for element or attribute '{what}'")
    scale = unit_scale(unit, default)
    # virScaleInteger: the limit is the caller's maximum
    if n and n > max_bytes // scale:
        raise ScaleError(f"value too large: {n}{unit or ''}")
    return n * scale


class Scaled(Conv):
    """A size element: text plus @unit, stored in ``unit`` (KiB)."""

    is_str = False

    def __init__(self, unit: str = "KiB") -> None:
        self.unit = unit
        self.div = unit_scale(unit)
        self.name = "size"

    def parse_with_unit(self, value: str, unit: str | None, what: str) -> int:
        b = parse_scaled(value, unit, what)
        kib = -(-b // self.div)
        # virDomainParseMemory
        if self.div == 1024 and kib >= -(-_LLONG_MAX // 1024):
            raise ScaleError("size value too large")
        return kib

    def fmt(self, v: Any) -> str:
        return str(v)
