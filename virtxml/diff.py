"""Semantic diff of two domain definitions.

Both sides should have gone through the same pipeline (same driver,
capabilities and flags).  Device lists are compared as sets (libvirt groups
devices by kind and the order within a kind rarely carries meaning); what
libvirt generates — a generated UUID, device aliases, addresses it assigned,
generated MAC addresses — is ignored unless asked for."""

from __future__ import annotations

from typing import Any

import attrs
import orjson

from .jsonio import to_data

#: Devices fields compared without regard to order
UNORDERED = frozenset({
    "disks", "controllers", "leases", "filesystems", "interfaces", "smartcards", "inputs",
    "tpms", "graphics", "sounds", "audios", "videos", "hostdevs", "redirdevs", "hubs",
    "watchdogs", "rngs", "panics", "shmems", "memories", "vsocks", "cryptos", "channels",
})


@attrs.frozen
class Change:
    path: str
    kind: str  # "changed" | "added" | "removed"
    old: Any = None
    new: Any = None

    def as_dict(self) -> dict[str, Any]:
        return {"path": self.path, "kind": self.kind, "old": self.old, "new": self.new}

    def text(self) -> str:
        if self.kind == "changed":
            return f"~ {self.path}: {_short(self.old)} -> {_short(self.new)}"
        sign = "+" if self.kind == "added" else "-"
        return f"{sign} {self.path}: {_short(self.new if self.kind == 'added' else self.old)}"


def _short(v: Any) -> str:
    s = orjson.dumps(v).decode()
    return s if len(s) <= 160 else s[:157] + "..."


def _strip(data: Any, ignore: frozenset[str]) -> Any:
    if isinstance(data, dict):
        return {k: _strip(v, ignore) for k, v in data.items() if k not in ignore}
    if isinstance(data, list):
        return [_strip(v, ignore) for v in data]
    return data


def diff(a: Any, b: Any, *, include_generated: bool = False) -> list[Change]:
    """Changes that turn ``a`` into ``b`` (empty list: the same guest)."""
    da, db = to_data(a), to_data(b)
    if not include_generated:
        ignore = frozenset({"alias", "address"})
        da, db = _strip(da, ignore), _strip(db, ignore)
        if getattr(a, "uuid_generated", False) or getattr(b, "uuid_generated", False):
            da.pop("uuid", None)
            db.pop("uuid", None)
    out: list[Change] = []
    _cmp(da, db, "", out)
    return out


def _cmp(a: Any, b: Any, path: str, out: list[Change]) -> None:
    if isinstance(a, dict) and isinstance(b, dict):
        for k in list(a) + [k for k in b if k not in a]:
            p = f"{path}/{k}" if path else k
            if k not in b:
                out.append(Change(p, "removed", old=a[k]))
            elif k not in a:
                out.append(Change(p, "added", new=b[k]))
            else:
                _cmp(a[k], b[k], p, out)
        return
    if isinstance(a, list) and isinstance(b, list):
        key = path.rsplit("/", 1)[-1]
        if key in UNORDERED and path.startswith("devices/"):
            ka = sorted(orjson.dumps(x, option=orjson.OPT_SORT_KEYS) for x in a)
            kb = sorted(orjson.dumps(x, option=orjson.OPT_SORT_KEYS) for x in b)
            rest_b = list(kb)
            removed = []
            for x in ka:
                if x in rest_b:
                    rest_b.remove(x)
                else:
                    removed.append(x)
            if len(removed) == 1 and len(rest_b) == 1:
                _cmp(orjson.loads(removed[0]), orjson.loads(rest_b[0]), path + "[]", out)
                return
            for x in removed:
                out.append(Change(path + "[]", "removed", old=orjson.loads(x)))
            for x in rest_b:
                out.append(Change(path + "[]", "added", new=orjson.loads(x)))
            return
        for i in range(max(len(a), len(b))):
            p = f"{path}[{i}]"
            if i >= len(b):
                out.append(Change(p, "removed", old=a[i]))
            elif i >= len(a):
                out.append(Change(p, "added", new=b[i]))
            else:
                _cmp(a[i], b[i], p, out)
        return
    if a != b:
        out.append(Change(path, "changed", old=a, new=b))
