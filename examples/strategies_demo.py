"""Use virtxml's Hypothesis strategies in a property test of your own
code: here, a function that renames a guest must change nothing else.

    python examples/strategies_demo.py [QEMU_CAPS_FILE]   (the argument is not used)
"""
from hypothesis import given, settings

import virtxml
from virtxml import builder as b
from virtxml import strategies as vs
from virtxml.diff import diff


def rename(dom: virtxml.Domain, name: str) -> virtxml.Domain:   # the code under test
    return b.evolve(dom, name=name)


seen = []


@settings(max_examples=40, deadline=None, database=None)
@given(vs.domains(), vs.names())
def test_rename_changes_only_the_name(dom, name):
    changes = diff(dom, rename(dom, name))
    assert [c.path for c in changes] == ([] if name == dom.name else ["name"])
    seen.append(len(list(b.iter_devices(dom))))


test_rename_changes_only_the_name()
print(f"checked {len(seen)} generated guests with {sum(seen)} devices in all")
