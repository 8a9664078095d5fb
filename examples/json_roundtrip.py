"""A guest to JSON and back: the JSON shape of docs/json.md, checked
against the generated JSON Schema, gives the same XML again.

    python examples/json_roundtrip.py [QEMU_CAPS_FILE]
"""
import sys
from pathlib import Path

import orjson

import virtxml
from virtxml import jsonio

root = Path(__file__).resolve().parents[1]
caps = sys.argv[1] if len(sys.argv) > 1 else str(
    root.parent / "shared/corpus/libvirt-9.0.0/qemucapabilitiesdata/caps_7.2.0.x86_64.xml")
options = {"qemu_caps": [f"/usr/bin/qemu-system-x86_64={caps}"]}

dom = virtxml.parse(root / "testdata/examples/guest.xml", driver="qemu", options=options,
                    flags=virtxml.ParseFlags.INACTIVE)
text = jsonio.to_json(dom, indent=True)
print(text.decode())

try:
    import jsonschema
except ImportError:  # the schema check is optional
    jsonschema = None
if jsonschema is not None:
    schema = orjson.loads((root / "docs/domain-json-schema.json").read_bytes())
    jsonschema.validate(orjson.loads(text), schema)

again = jsonio.from_json(virtxml.Domain, text)
xml = virtxml.format(dom, virtxml.FormatFlags.INACTIVE)
assert virtxml.format(again, virtxml.FormatFlags.INACTIVE) == xml
# and the JSON, read back and defined again, is what libvirt would store
redefined = virtxml.parse(virtxml.format(again).encode(), driver="qemu", options=options,
                          flags=virtxml.ParseFlags.INACTIVE)
assert virtxml.format(redefined, virtxml.FormatFlags.INACTIVE) == xml
print("round trip: same XML", file=sys.stderr)
