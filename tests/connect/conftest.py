from __future__ import annotations

import pytest

from virtxml.connect import connection


@pytest.fixture(autouse=True)
def _no_driver_left_open():
    """Every test must close what it opens (the registry is per process)."""
    yield
    leftover = list(connection._registry)
    for key, state in list(connection._registry.items()):
        state.refs = 1
        connection._release(key, state)
    assert not leftover, f"connections left open: {leftover}"
