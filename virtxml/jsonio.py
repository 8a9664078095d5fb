"""JSON round-trip of the typed model through orjson.

Shape: a model object is a JSON object of its *set* fields, keyed by the
Python field name (``None``, ``False`` flags and empty lists are left out);
an item of a mixed list (``choice``) carries its element as ``"$element"``;
a member of a discriminated union (a class with ``__xml_union__``, e.g.
the typed ``<address>``/``<source>`` classes) carries its variant name as
``"$variant"``.
The shape is generated from the model, so it grows with it; ``json_schema()``
describes it."""

from __future__ import annotations

from typing import Any

import attrs
import orjson

from .binding import field_specs
from .binding import spec as S
from .binding.compiler import _resolve, clark


def _union(cls: Any) -> dict[str, Any] | None:
    """Members of a discriminated union base class (``__xml_union__``:
    variant name -> class), e.g. the typed ``<address>`` classes."""
    return cls.__dict__.get("__xml_union__") if isinstance(cls, type) else None


def _child_data(spec_cls: Any, v: Any) -> dict[str, Any]:
    d = to_data(v)
    declared = _resolve(spec_cls)
    members = _union(declared)
    if members:
        d["$variant"] = next(k for k, c in members.items() if c is type(v))
    else:
        name = getattr(type(v), "__json_name__", None)
        if name is not None and type(v) is not declared:
            # a pipeline-made subclass (e.g. the console libvirt mirrors from
            # the first serial): keep its identity so from_json gives it back
            d["$class"] = name
    return d


#: "$class" name -> factory returning the class (registered by the pipeline)
JSON_CLASSES: dict[str, Any] = {}


def register_json_class(name: str, factory: Any) -> None:
    JSON_CLASSES[name] = factory


def _declared_or_subclass(declared: Any, data: dict[str, Any]) -> Any:
    name = data.get("$class")
    if not name:
        return declared
    if name not in JSON_CLASSES:
        import postparse  # noqa: F401 - the pipeline registers its classes

    factory = JSON_CLASSES.get(name)
    cls = factory() if factory is not None else None
    if not (isinstance(cls, type) and issubclass(cls, declared)):
        raise ValueError(f"{declared.__name__}: unknown '$class' {name!r}")
    return cls


def to_data(obj: Any) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for s in _specs(type(obj)):
        v = getattr(obj, s.field)
        # False is "absent" only for presence flags; a tristate's False ('no'/'off') is kept
        if v is None or (v is False and s.kind == S.FLAG) or (isinstance(v, list) and not v):
            continue
        if s.kind == S.CHILD:
            out[s.field] = _child_data(s.cls, v)
        elif s.kind == S.CHILDREN:
            out[s.field] = [_child_data(s.cls, x) for x in v]
        elif s.kind == S.CHOICE:
            items = []
            for x in v:
                d = to_data(x)
                d["$element"] = clark(type(x).__xml_tag__, type(x).__xml_ns__)
                items.append(d)
            out[s.field] = items
        else:
            out[s.field] = list(v) if isinstance(v, list) else v
    return out


def from_data(cls: Any, data: dict[str, Any]) -> Any:
    if not isinstance(data, dict):
        raise TypeError(f"{cls.__name__}: expected a JSON object, got {type(data).__name__}")
    members = _union(cls)
    if members:
        cls = members[data["$variant"]]
    specs = {s.field: s for s in _specs(cls)}
    kw: dict[str, Any] = {}
    for key, v in data.items():
        if key in ("$element", "$variant", "$class"):
            continue
        s = specs.get(key)
        if s is None:
            raise ValueError(f"{cls.__name__}: unknown field '{key}'")
        if s.kind == S.CHILD:
            kw[key] = from_data(_declared_or_subclass(_resolve(s.cls), v), v)
        elif s.kind == S.CHILDREN:
            kw[key] = [from_data(_declared_or_subclass(_resolve(s.cls), x), x) for x in v]
        elif s.kind == S.CHOICE:
            assert s.choices is not None
            kw[key] = [from_data(_resolve(s.choices[x["$element"]]), x) for x in v]
        elif s.kind in (S.ATTR, S.TEXT, S.TEXT_CHILD) and isinstance(v, list):
            kw[key] = _tuplify(v)  # typed sequences (cpusets, ...) are tuples in the model
        else:
            kw[key] = v
    return cls(**kw)


def _tuplify(v: Any) -> Any:
    return tuple(_tuplify(x) for x in v) if isinstance(v, list) else v


def to_json(obj: Any, *, indent: bool = False) -> bytes:
    return orjson.dumps(to_data(obj), option=orjson.OPT_INDENT_2 if indent else 0)


def from_json(cls: Any, text: str | bytes) -> Any:
    return from_data(cls, orjson.loads(text))


def _specs(cls: Any) -> list[Any]:
    cached: list[Any] | None = cls.__dict__.get("_json_specs")
    if cached is None:
        cached = field_specs(cls)
        try:
            setattr(cls, "_json_specs", cached)
        except (AttributeError, TypeError):  # pragma: no cover
            pass
    return cached


def _scalar_schema(s: Any, annotation: Any) -> dict[str, Any]:
    """Schema of a scalar field, from its converter and its type annotation."""
    from .binding.conv import Bool, Enum, Int

    c = s.conv
    if s.kind == S.SCALED:
        return {"type": "integer", "minimum": 0}
    if s.kind == S.FLAG:
        return {"type": "boolean"}
    if isinstance(c, Int):
        return {"type": "integer", "minimum": c.lo, "maximum": c.hi}
    if isinstance(c, Bool):
        return {"type": "boolean"}
    if isinstance(c, Enum):
        return {"enum": list(c.values)}
    ann = str(annotation or "")
    types = []
    for word, js in (("str", "string"), ("int", "integer"), ("bool", "boolean"), ("float", "number"),
                     ("tuple", "array"), ("list", "array")):
        if word in ann.replace("Literal", ""):
            types.append(js)
    if not types or "Any" in ann:
        return {}
    return {"type": sorted(set(types))} if len(set(types)) > 1 else {"type": types[0]}


def json_schema(root: Any = None) -> dict[str, Any]:
    """A JSON Schema (draft 2020-12) of the JSON shape, generated from the model."""
    if root is None:
        from .model import Domain

        root = Domain
    defs: dict[str, Any] = {}

    def ref(cls: Any) -> dict[str, Any]:
        members = _union(cls)
        if members:
            return {"anyOf": [ref(m) for m in members.values()]}
        name = cls.__module__.rsplit(".", 1)[-1] + "." + cls.__name__
        if name not in defs:
            defs[name] = {}
            props: dict[str, Any] = {}
            annotations = {f.name: f.type for f in attrs.fields(cls)}
            for s in _specs(cls):
                if s.kind == S.CHILD:
                    props[s.field] = ref(_resolve(s.cls))
                elif s.kind == S.CHILDREN:
                    props[s.field] = {"type": "array", "items": ref(_resolve(s.cls))}
                elif s.kind == S.CHOICE:
                    props[s.field] = {"type": "array", "items": {"anyOf": [ref(_resolve(c)) for c in s.choices.values()]}}
                elif s.kind in (S.TEXT_CHILDREN, S.RAW):
                    props[s.field] = {"type": "array", "items": {"type": "string"}}
                else:
                    props[s.field] = _scalar_schema(s, annotations.get(s.field))
            props["$element"] = {"type": "string"}
            props["$variant"] = {"type": "string"}
            props["$class"] = {"type": "string"}
            defs[name] = {"type": "object", "properties": props, "additionalProperties": False,
                          "x-xml-element": cls.__xml_tag__}
        return {"$ref": f"#/$defs/{name}"}

    top = ref(root)
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "title": "virtxml domain JSON",
            **top, "$defs": defs}
