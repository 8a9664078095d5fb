"""Write the JSON Schema of virtxml's domain JSON (docs/domain-json-schema.json).

    python -m virtxml.jsonschema_gen > docs/domain-json-schema.json

The schema is :func:`virtxml.jsonio.json_schema` (generated from the
model); this module only fixes its serialisation (2-space indent, trailing
newline) so that the committed file can be compared with a fresh one."""

from __future__ import annotations

import sys

import orjson


def schema_bytes() -> bytes:
    from .jsonio import json_schema

    return orjson.dumps(json_schema(), option=orjson.OPT_INDENT_2) + b"\n"


def main() -> int:
    sys.stdout.buffer.write(schema_bytes())
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
