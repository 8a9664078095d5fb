"""Generic parser and formatter for model classes.

For each model class the field declarations (:mod:`.spec`) are compiled once
into two Python functions (generated source, so that the per-document work
is plain attribute access and string joins):

* ``cls._xml_parse(el, ctx)`` builds an instance from an lxml element;
* ``obj._xml_format(out, indent, flags)`` appends libvirt-formatted lines.

A class may add:

* ``_xml_parse_hook(cls, kw, el, ctx)`` (classmethod) to apply parse-time
  rules before the instance is built (libvirt's parse-time defaults);
* ``xml_format(self, out, indent, flags)`` to take over formatting; the
  generated formatter stays available as ``_xml_format_generated``.
"""

from __future__ import annotations

from typing import Any, Callable

from lxml import etree

from ..errors import ParseError
from . import spec as S
from .conv import STR, Bool, Conv, ConvError, Enum, Int, escape

NS_PREFIX: dict[str, str] = {
    "http://libvirt.org/schemas/domain/qemu/1.0": "qemu",
    "http://libvirt.org/schemas/domain/lxc/1.0": "lxc",
    "http://libvirt.org/schemas/domain/bhyve/1.0": "bhyve",
    "http://libvirt.org/schemas/domain/xen/1.0": "xen",
    "http://libvirt.org/schemas/domain/vmware/1.0": "vmware",
}


def clark(name: str, ns: str | None) -> str:
    return name if ns is None else "{%s}%s" % (ns, name)


def qname(name: str, ns: str | None) -> str:
    return name if ns is None else "%s:%s" % (NS_PREFIX.get(ns, "ns"), name)


class FlagBits(int):
    """Flags as a plain number that IntFlag members combine with cheaply.

    ``n & ParseFlags.INACTIVE`` with a plain ``int`` (or an IntFlag) ``n``
    goes through enum's Python-level ``__rand__`` and builds a new flag
    member (about a microsecond); with a FlagBits on the left ``int.__and__``
    answers directly, with a plain int result."""

    __slots__ = ()


def flag_bits(flags: int) -> int:
    return flags if flags.__class__ is FlagBits else FlagBits(flags)


class ParseContext:
    """Per-document parse state: flags, file name, what was ignored."""

    __slots__ = ("_flags", "file", "ignored", "data", "located")

    def __init__(self, flags: int = 0, file: str | None = None) -> None:
        self._flags = flag_bits(flags)
        self.file = file
        # (line, path, what) of every element/attribute the model does not know
        self.ignored: list[tuple[int | None, str, str]] = []
        self.data: dict[str, Any] = {}
        #: id(object) -> (object, element) for the children of classes that
        #: set ``__xml_locate_children__`` (the domain's parts and devices):
        #: where a later post-parse or validation error points
        self.located: dict[int, tuple[Any, Any]] = {}

    @property
    def flags(self) -> int:
        return self._flags

    @flags.setter
    def flags(self, value: int) -> None:
        self._flags = flag_bits(value)

    def path(self, el: Any) -> str:
        try:
            return el.getroottree().getpath(el)
        except Exception:  # pragma: no cover - detached element
            return str(el.tag)

    def error(self, el: Any, message: str, cls: type[ParseError] = ParseError) -> ParseError:
        return cls(message, file=self.file, line=getattr(el, "sourceline", None), path=self.path(el))

    def bad_value(self, el: Any, attr: str, value: str, exc: ConvError) -> None:
        tag = etree.QName(el).localname
        msg = exc.template.format(attr=attr, elem=tag, value=value)
        raise self.error(el, msg)

    def bad_text(self, el: Any, value: str, exc: ConvError) -> None:
        tag = etree.QName(el).localname
        msg = exc.template.format(attr=tag, elem=tag, value=value)
        raise self.error(el, msg)

    def unknown_attrs(self, el: Any, known: frozenset[str]) -> None:
        for k in el.attrib:
            if k not in known:
                self.ignored.append((el.sourceline, self.path(el), "@" + k))

    def unknown_child(self, el: Any) -> None:
        self.ignored.append((el.sourceline, self.path(el), "element"))


def raw_string(el: Any) -> str:
    """A preserved foreign element as canonical-ish XML text."""
    return etree.tostring(el, encoding="unicode", with_tail=False)


def _resolve(c: Any) -> Any:
    if isinstance(c, type):
        return c
    return c()


#: classes with at least this many attribute fields first walk the element's
#: own attributes (a fast path that falls back to the ordered code)
ATTR_SCAN_MIN = 3


def compile_class(cls: Any) -> None:
    if cls.__dict__.get("__xml_compiled__"):
        return
    specs = S.field_specs(cls)
    g: dict[str, Any] = {"escape": escape, "ConvError": ConvError, "cls": cls, "raw_string": raw_string}
    # ---------------------------------------------------------------- parse
    attr_specs = [s for s in specs if s.kind == S.ATTR]
    known = frozenset(clark(s.name, s.ns) for s in attr_specs)  # type: ignore[arg-type]
    g["KNOWN"] = known
    lines = ["def _xml_parse(el, ctx):", "    kw = {}"]
    if len(attr_specs) >= ATTR_SCAN_MIN:
        # Walk the attributes the element has (usually a few of the many the
        # class knows); the first unknown or not-plainly-valid one sends the
        # element through the ordered code below, which gives libvirt's
        # error for the first bad attribute in declaration order.
        index = {clark(s.name, s.ns): i for i, s in enumerate(attr_specs)}  # type: ignore[arg-type]
        g["AI"] = index
        scan_cases = [_scan_case(s, i, g) for i, s in enumerate(attr_specs)]
        lines += ["    a = el.items()", "    if a:", "        for k, v in a:", "            i = AI.get(k)",
                  "            if i is None:", "                break"]
        lines += _case_tree(scan_cases, 0, len(scan_cases), "            ", var="i")
        # (the ordered code reads a plain dict: cheaper than asking lxml
        # for each of the many known attributes)
        lines += ["        else:", "            a = None", "        if a:", "            kw = {}",
                  "            a = dict(a)"]
        ordered_ind = "    "
    else:
        lines += ["    a = el.attrib"]
        ordered_ind = ""
    mark = len(lines)
    if attr_specs:
        lines.append("    if a:")
        lines.append("        n = 0")
        for i, s in enumerate(attr_specs):
            an = clark(s.name, s.ns)  # type: ignore[arg-type]
            lines.append(f"        v = a.get({an!r})")
            lines.append("        if v is not None:")
            lines.append("            n += 1")
            if s.conv is STR:
                lines.append(f"            kw[{s.field!r}] = v")
            else:
                g[f"c{i}"] = s.conv
                slow = ["try:", f"    kw[{s.field!r}] = c{i}.parse(v)", "except ConvError as e:",
                        f"    ctx.bad_value(el, {s.name!r}, v, e)"]
                fast = _fast_parse(s.conv, f"c{i}", s.field, g)
                if fast is None:
                    lines += ["            " + ln for ln in slow]
                else:
                    lines += ["            " + ln for ln in fast]
                    lines.append("            else:")
                    lines += ["                " + ln for ln in slow]
        lines.append("        if n != len(a):")
        lines.append("            ctx.unknown_attrs(el, KNOWN)")
    else:
        lines.append("    if a:")
        lines.append("        ctx.unknown_attrs(el, KNOWN)")
    if ordered_ind:
        lines[mark:] = [ordered_ind + ln for ln in lines[mark:]]
    for s in specs:
        if s.kind == S.TEXT:
            lines.append("    v = el.text")
            lines.append("    if v:")
            if s.conv is STR:
                lines.append(f"        kw[{s.field!r}] = v")
            else:
                g["ctext"] = s.conv
                lines.append("        try:")
                lines.append(f"            kw[{s.field!r}] = ctext.parse(v)")
                lines.append("        except ConvError as e:")
                lines.append("            ctx.bad_text(el, v, e)")
    # child elements: tag -> case number, then the case's code inline
    cases: list[list[str]] = []
    dispatch: dict[str, int] = {}
    raw_spec = None
    locate = bool(cls.__dict__.get("__xml_locate_children__"))
    for si, s in enumerate(specs):
        if s.kind == S.RAW:
            raw_spec = s
            continue
        for tag, body in _child_cases(s, g, si, locate):
            if tag in dispatch:  # a later declaration of the same tag wins
                cases[dispatch[tag]] = body
            else:
                dispatch[tag] = len(cases)
                cases.append(body)
    g["D"] = dispatch
    if raw_spec is not None:
        g["raw_string"] = raw_string
        fallback = [f"kw.setdefault({raw_spec.field!r}, []).append(raw_string(ch))"]
    else:
        fallback = ["ctx.unknown_child(ch)"]
    if len(cases) == 1:
        (tag1,) = dispatch
        lines += [
            "    for ch in el:",
            f"        if ch.tag == {tag1!r}:",
        ]
        lines += ["            " + ln for ln in cases[0]]
        lines += [
            "        elif ch.tag.__class__ is str:",
        ]
        lines += ["            " + ln for ln in fallback]
    elif cases:
        lines += [
            "    for ch in el:",
            "        k = D.get(ch.tag)",
            "        if k is None:",
            "            if ch.tag.__class__ is str:",
        ]
        lines += ["                " + ln for ln in fallback]
        lines.append("            continue")
        lines += _case_tree(cases, 0, len(cases), "        ")
    else:
        lines += [
            "    for ch in el:",
            "        if ch.tag.__class__ is str:",
        ]
        lines += ["            " + ln for ln in fallback]
    if hasattr(cls, "_xml_parse_hook"):
        lines.append("    cls._xml_parse_hook(kw, el, ctx)")
    lines.append("    return cls(**kw)")
    src = "\n".join(lines)
    exec(compile(src, f"<virtxml parse {cls.__name__}>", "exec"), g)
    cls._xml_parse = staticmethod(g["_xml_parse"])
    cls._xml_parse_src = src

    # --------------------------------------------------------------- format
    tag = qname(cls.__xml_tag__, cls.__xml_ns__)
    g2: dict[str, Any] = {"escape": escape}
    fl = ["def _xml_format(self, out, ind, flags):", f"    s = ind + {('<' + tag)!r}"]
    for i, s in enumerate(specs):
        if s.kind != S.ATTR:
            continue
        name = qname(s.name, s.ns)  # type: ignore[arg-type]
        cond = "v is not None"
        if s.when is not None:
            g2[f"w{i}"] = s.when
            cond += f" and w{i}(self, flags)"
        fl.append(f"    v = self.{s.field}")
        fl.append(f"    if {cond}:")
        if s.conv is STR:
            fl.append(f"        s += {(' ' + name + '=' + chr(39))!r} + escape(v) + \"'\"")
        else:
            g2[f"c{i}"] = s.conv
            expr = _fast_fmt(s.conv, f"c{i}", g2) or f"c{i}.fmt(v)"
            fl.append(f"        s += {(' ' + name + '=' + chr(39))!r} + {expr} + \"'\"")
    text_spec = next((s for s in specs if s.kind == S.TEXT), None)
    child_specs = [s for s in specs if s.kind not in (S.ATTR, S.TEXT)]
    if text_spec is not None and not child_specs:
        g2["ctext"] = text_spec.conv
        fl.append(f"    v = self.{text_spec.field}")
        fl.append("    if v is not None:")
        fl.append(f"        out.append(s + '>' + ctext.fmt(v) + {('</' + tag + '>' + chr(10))!r})")
        fl.append("    else:")
        fl.append("        out.append(s + '/>\\n')")
        fl.append("    return")
    elif child_specs:
        fl.append("    out.append(s)")
        fl.append("    i = len(out)")
        fl.append("    ci = ind + '  '")
        for i, s in enumerate(child_specs):
            j = f"k{i}"
            cond_w = ""
            if s.when is not None:
                g2["w" + j] = s.when
                cond_w = f" and w{j}(self, flags)"
            name = qname(s.name, s.ns) if s.name else ""
            if s.kind == S.CHILD:
                fl.append(f"    v = self.{s.field}")
                fl.append(f"    if v is not None{cond_w}:")
                fl.append("        v.xml_format(out, ci, flags)")
            elif s.kind in (S.CHILDREN, S.CHOICE):
                if cond_w:
                    fl.append(f"    if True{cond_w}:")
                    fl.append(f"        for v in self.{s.field}:")
                    fl.append("            v.xml_format(out, ci, flags)")
                else:
                    fl.append(f"    for v in self.{s.field}:")
                    fl.append("        v.xml_format(out, ci, flags)")
            elif s.kind == S.TEXT_CHILD:
                g2["c" + j] = s.conv
                fl.append(f"    v = self.{s.field}")
                fl.append(f"    if v is not None{cond_w}:")
                fl.append(f"        out.append(ci + {('<' + name + '>')!r} + c{j}.fmt(v) + {('</' + name + '>' + chr(10))!r})")
            elif s.kind == S.TEXT_CHILDREN:
                g2["c" + j] = s.conv
                fl.append(f"    if True{cond_w}:")
                fl.append(f"        for v in self.{s.field}:")
                fl.append(f"            out.append(ci + {('<' + name + '>')!r} + c{j}.fmt(v) + {('</' + name + '>' + chr(10))!r})")
            elif s.kind == S.SCALED:
                fl.append(f"    v = self.{s.field}")
                fl.append(f"    if v is not None{cond_w}:")
                fl.append(f"        out.append(ci + {('<' + name + ' unit=' + chr(39) + s.conv.unit + chr(39) + '>')!r} + str(v) + {('</' + name + '>' + chr(10))!r})")
            elif s.kind == S.FLAG:
                fl.append(f"    if self.{s.field}{cond_w}:")
                fl.append(f"        out.append(ci + {('<' + name + '/>' + chr(10))!r})")
            elif s.kind == S.RAW:
                g2["fmt_raw"] = format_raw
                fl.append(f"    if True{cond_w}:")
                fl.append(f"        for v in self.{s.field}:")
                fl.append("            fmt_raw(out, ci, v)")
        if text_spec is not None:
            g2["ctext"] = text_spec.conv
            fl.append(f"    v = self.{text_spec.field}")
            fl.append("    if v is not None and len(out) == i:")
            fl.append(f"        out[i - 1] = s + '>' + ctext.fmt(v) + {('</' + tag + '>' + chr(10))!r}")
            fl.append("        return")
        fl.append("    if len(out) == i:")
        fl.append("        out[i - 1] = s + '/>\\n'")
        fl.append("    else:")
        fl.append("        out[i - 1] = s + '>\\n'")
        fl.append(f"        out.append(ind + {('</' + tag + '>' + chr(10))!r})")
    else:
        fl.append("    out.append(s + '/>\\n')")
    src2 = "\n".join(fl)
    exec(compile(src2, f"<virtxml format {cls.__name__}>", "exec"), g2)
    cls._xml_format_generated = g2["_xml_format"]
    cls._xml_format_src = src2
    if not getattr(cls.__dict__.get("xml_format"), "_virtxml_custom", False):
        cls.xml_format = g2["_xml_format"]
    cls.__xml_compiled__ = True


def _fast_parse(conv: Any, name: str, field: str, g: dict[str, Any]) -> list[str] | None:
    """Inline code for the common valid values of the standard converters:
    ``if <valid>: kw[field] = <value>``, to be followed by ``else:`` and the
    converter's own parse (which gives the value or libvirt's error).  None
    when the converter is not a plain Enum/Bool/decimal Int."""
    ty = type(conv)
    if ty.parse is Enum.parse:
        g[name + "_ok"] = frozenset(x for x in conv._set if x != conv.zero)
        return [f"if v in {name}_ok:", f"    kw[{field!r}] = v"]
    if ty.parse is Bool.parse:
        return [f"if v == {conv.true!r}:", f"    kw[{field!r}] = True",
                f"elif v == {conv.false!r}:", f"    kw[{field!r}] = False"]
    if ty.parse is Int.parse and conv.base == 10 and conv.lo <= 0:
        # ASCII digits only: a non-negative number, within range unless too big
        cond = f"x <= {conv.hi}" + (" and x" if conv.nonzero else "")
        return ["if v.isdigit() and v.isascii() and ((x := int(v)) or True) and " + cond + ":",
                f"    kw[{field!r}] = x"]
    return None


def _fast_fmt(conv: Any, name: str, g: dict[str, Any]) -> str | None:
    """An expression formatting ``v`` as ``conv.fmt(v)`` does, without the
    call for the standard converters (None: use the call)."""
    ty = type(conv)
    if ty.fmt is Conv.fmt or ty.fmt is Enum.fmt:
        # escape(): values known to need no escaping are written as they are
        safe = getattr(conv, "_set", None)
        if safe is not None:
            g[name + "_safe"] = frozenset(x for x in safe if escape(x) == x)
            return f"(v if v.__class__ is str and v in {name}_safe else {name}.fmt(v))"
        return None
    if ty.fmt is Bool.fmt:
        return f"({conv.true!r} if v else {conv.false!r})"
    if ty.fmt is Int.fmt and isinstance(conv._fmt, str):
        return f"({conv._fmt!r} % v)"
    return None


def _child_cases(s: S.XSpec, g: dict[str, Any], base: int,
                 locate: bool = False) -> list[tuple[str, list[str]]]:
    """(tag, code lines) for one child field; the code sees ``ch``, ``ctx``
    and ``kw`` and stores the value in ``kw`` as the field's kind says.
    With ``locate``, each child object is recorded in ``ctx.located``."""
    f = s.field
    j = f"h{base}"
    rec = ["ctx.located[id(o)] = (o, ch)"] if locate else []
    if s.kind in (S.CHILD, S.CHILDREN):
        g[j] = _class_ref(s.cls)
        call = f"{j}._xml_parse(ch, ctx)" if isinstance(s.cls, type) else f"{j}()._xml_parse(ch, ctx)"
        if s.kind == S.CHILD:
            body = [f"if {f!r} not in kw:", f"    kw[{f!r}] = o = {call}"] + ["    " + ln for ln in rec]
        else:
            body = [f"l = kw.get({f!r})", "if l is None:", f"    kw[{f!r}] = l = []", f"o = {call}",
                    "l.append(o)"] + rec
        return [(clark(s.name, s.ns), body)]  # type: ignore[arg-type]
    if s.kind in (S.TEXT_CHILD, S.TEXT_CHILDREN):
        body = ["if ch.attrib:", "    ctx.unknown_attrs(ch, NOATTRS)", "t = ch.text", "if t:"]
        g["NOATTRS"] = frozenset()
        if s.conv is not STR:
            g[j] = s.conv
            body += ["    try:", f"        t = {j}.parse(t)", "    except ConvError as e:",
                     "        ctx.bad_text(ch, t, e)"]
        if s.kind == S.TEXT_CHILDREN:
            body.append(f"    kw.setdefault({f!r}, []).append(t)")
        else:
            body += [f"    if {f!r} not in kw:", f"        kw[{f!r}] = t"]
        return [(clark(s.name, s.ns), body)]  # type: ignore[arg-type]
    if s.kind == S.SCALED:
        from .conv import ScaleError

        g[j] = s.conv
        g["ScaleError"] = ScaleError
        what = "./%s[1]" % s.name
        body = [f"if {f!r} not in kw:", "    t = ch.text", "    if t is not None:",
                # libvirt: a missing value is "not set"
                "        try:", f"            kw[{f!r}] = {j}.parse_with_unit(t, ch.get('unit'), {what!r})",
                "        except ScaleError as e:", "            raise ctx.error(ch, e.message) from None"]
        return [(clark(s.name, s.ns), body)]  # type: ignore[arg-type]
    if s.kind == S.FLAG:
        return [(clark(s.name, s.ns), [f"kw[{f!r}] = True"])]  # type: ignore[arg-type]
    if s.kind == S.CHOICE:
        assert s.choices is not None
        out = []
        for n, (tag, c) in enumerate(s.choices.items()):
            jn = f"{j}_{n}"
            g[jn] = _class_ref(c)
            call = f"{jn}._xml_parse(ch, ctx)" if isinstance(c, type) else f"{jn}()._xml_parse(ch, ctx)"
            out.append((tag, [f"o = {call}", f"kw.setdefault({f!r}, []).append(o)"] + rec))
        return out
    return []


def _class_ref(c: Any) -> Any:
    """A class, or the zero-argument callable returning it (resolved at
    each call: recursive structures name classes defined later)."""
    return c


def _scan_case(s: S.XSpec, i: int, g: dict[str, Any]) -> list[str]:
    """Fast-path code for attribute ``s`` with value ``v``: store it in
    ``kw`` when it is plainly valid, else ``break`` (to the ordered code)."""
    if s.conv is STR:
        return [f"kw[{s.field!r}] = v"]
    g[f"c{i}"] = s.conv
    fast = _fast_parse(s.conv, f"c{i}", s.field, g)
    if fast is not None:
        return fast + ["else:", "    break"]
    return ["try:", f"    kw[{s.field!r}] = c{i}.parse(v)", "except Exception:", "    break"]


def _case_tree(cases: list[list[str]], lo: int, hi: int, ind: str, var: str = "k") -> list[str]:
    """Code choosing case ``var`` in [lo, hi) by bisection."""
    k = var
    if hi - lo == 1:
        return [ind + ln for ln in cases[lo]]
    if hi - lo == 2:
        out = [ind + f"if {k} == {lo}:"]
        out += [ind + "    " + ln for ln in cases[lo]]
        out.append(ind + "else:")
        out += [ind + "    " + ln for ln in cases[lo + 1]]
        return out
    mid = (lo + hi) // 2
    out = [ind + f"if {k} < {mid}:"]
    out += _case_tree(cases, lo, mid, ind + "    ", var)
    out.append(ind + "else:")
    out += _case_tree(cases, mid, hi, ind + "    ", var)
    return out


def format_raw(out: list[str], ind: str, value: str) -> None:
    """Write a preserved element as libvirt does: parsed without blank
    text nodes (libxml2's heuristic, :func:`_strip_blanks`), then dumped
    by libxml2 in format mode at the indentation level of ``ind``
    (:func:`_layout`)."""
    el = etree.fromstring(value)
    _strip_blanks(el)
    _layout(el, len(ind) // 2, True)
    out.append(ind + etree.tostring(el, encoding="unicode", with_tail=False) + "\n")


def _strip_blanks(el: Any) -> None:
    """libxml2 parsing without blanks: whitespace-only text is dropped
    between tags, except when it is an element's only content, or follows
    a first child that is (non-blank) text."""
    kids = list(el)
    if not kids:
        return
    if el.text is not None and not el.text.strip():
        el.text = None
    keep_tails = bool(el.text)
    for c in kids:
        if c.tail is not None and not c.tail.strip() and not keep_tails:
            c.tail = None
        if isinstance(c.tag, str):
            _strip_blanks(c)


def _layout(el: Any, level: int, fmt: bool) -> None:
    """libxml2's format mode: an element with element children and no text
    child gets each child on its own line, indented two spaces a level;
    any text child turns formatting off for everything inside."""
    kids = list(el)
    if not kids:
        return
    here = fmt and not el.text and not any(c.tail for c in kids)
    if here:
        step = "\n" + "  " * (level + 1)
        el.text = step
        for c in kids:
            c.tail = step
        kids[-1].tail = "\n" + "  " * level
    for c in kids:
        if isinstance(c.tag, str):
            _layout(c, level + 1, here)
