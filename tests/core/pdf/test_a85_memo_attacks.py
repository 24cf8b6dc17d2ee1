"""Attacks on the memo of recent ASCII85 decodes (``a85._Recent``): threads and many small streams."""

from __future__ import annotations

import base64
import random
import sys
import threading

import pytest

from bundler.core.pdf import a85
from bundler.core.pdf.a85 import a85decode

WHITESPACE = b" \n\r\t\x00\x0c"


@pytest.fixture
def recent(monkeypatch: pytest.MonkeyPatch) -> a85._Recent:
    held = a85._Recent()
    monkeypatch.setattr(a85, "_RECENT", held)
    return held


def test_threads_decoding_at_once_neither_fail_nor_lose_count(recent, monkeypatch) -> None:
    """A build decodes on several threads at once (the convert thread, the gate's, the app's
    jobs): a lookup moving an entry while another thread lets the oldest go must not raise
    ("dictionary changed size during iteration", KeyError), and the bytes counted must stay
    the bytes held."""
    monkeypatch.setattr(a85, "_HELD_BUDGET", 400)
    old = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    raws = [bytes([i]) * 20 for i in range(40)]
    encoded = [base64.a85encode(raw, adobe=True) for raw in raws]
    errors: list[str] = []

    def work(seed: int) -> None:
        rng = random.Random(seed)
        try:
            for _ in range(20_000):
                k = rng.randrange(len(raws))
                if a85decode(encoded[k], adobe=True, ignorechars=b" \n") != raws[k]:
                    errors.append(f"wrong bytes for stream {k}")
                    return
        except Exception as err:  # noqa: BLE001 - what the test looks for
            errors.append(repr(err))

    threads = [threading.Thread(target=work, args=(seed,)) for seed in range(4)]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        sys.setswitchinterval(old)
    assert errors == []
    per_entry = getattr(a85, "_ENTRY_COST", 0)
    assert recent._size == sum(len(key[0]) + len(value) + per_entry for key, value in recent._held.items())


def test_many_small_streams_are_held_within_the_budget_in_memory(recent, monkeypatch) -> None:
    """The budget counts encoded and decoded bytes only: a file of many tiny ASCII85 streams
    (a few bytes each) kept hundreds of thousands of entries, each costing a tuple, two bytes
    objects and a slot of the dict (about 150 bytes) for a dozen bytes counted: some 15 times
    the budget in memory. What is held must stay within the budget in memory too."""
    import tracemalloc

    monkeypatch.setattr(a85, "_HELD_BUDGET", 1 << 20)
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        for i in range(60_000):
            a85decode(base64.a85encode(i.to_bytes(4, "big"), adobe=True), adobe=True, ignorechars=WHITESPACE)
        held = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    assert held < 2 * (1 << 20), f"{held} bytes held for a budget of {1 << 20}"
