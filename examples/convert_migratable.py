"""Convert a guest definition to the XML migration sends (virsh dumpxml
--migratable), for the QEMU driver on a QEMU 7.2 x86_64 host, and show
what the migratable form leaves out.

    python examples/convert_migratable.py [QEMU_CAPS_FILE]
"""
import difflib
import sys
from pathlib import Path

import virtxml
from virtxml import forms

root = Path(__file__).resolve().parents[1]
caps = sys.argv[1] if len(sys.argv) > 1 else str(
    root.parent / "shared/corpus/libvirt-9.0.0/qemucapabilitiesdata/caps_7.2.0.x86_64.xml")
options = {"qemu_caps": [f"/usr/bin/qemu-system-x86_64={caps}"]}

dom = virtxml.parse(root / "testdata/examples/guest.xml", driver="qemu", options=options,
                    flags=virtxml.ParseFlags.INACTIVE)
defined = forms.format_inactive(dom)
migratable = forms.format_migratable(dom, "qemu", options)
print(migratable)
for line in difflib.unified_diff(defined.splitlines(), migratable.splitlines(), "defined", "migratable",
                                 lineterm="", n=0):
    print(line)
