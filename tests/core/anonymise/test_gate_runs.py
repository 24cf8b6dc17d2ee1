"""The gate reads an image's bytes as runs of printable letters, one to a byte or as UTF-16
(``syntax.printable_runs``). Found by marks and ``bytes.find`` for speed, they must be exactly
the runs the plain regular expressions find, at the same offsets, in the same order."""

from __future__ import annotations

import random
import re

from bundler.core.anonymise.gate import syntax
from bundler.core.anonymise.gate.syntax import Run

_RUN = re.compile(rb"[\x20-\x7e]{4,}")
_ZEROS = re.compile(rb"\x00{4,}")


def _wide(data: bytes) -> list[Run]:
    runs = []
    for first, zero in ((0, 1), (1, 2), (1, 0), (2, 1)):
        letters, zeros = data[first::2], data[zero::2]
        for m in _ZEROS.finditer(zeros):
            for r in _RUN.finditer(letters, m.start(), min(m.end(), len(letters))):
                runs.append(Run(first + 2 * r.start(), 2, r.group().decode("ascii")))
    return runs


def _spans(data: bytes) -> list[Run]:
    runs = [Run(m.start(), 1, m.group().decode("ascii")) for m in _RUN.finditer(data)]
    return runs + (_wide(data) if b"\x00" in data else [])


def _runs(data: bytes) -> str:
    ascii_runs = "\n".join(run.decode("ascii") for run in _RUN.findall(data))
    return ascii_runs + "".join("\n" + run.text for run in (_wide(data) if b"\x00" in data else []))


def _samples(rng: random.Random) -> list[bytes]:
    name = "Farida Khanum"
    made = [b"", b"\x00" * 9, b"abcd", b"abc", b"\x00abcd\x00", b"\x7f\x20\x7e\x21\x1f"]
    for _ in range(4000):
        parts = []
        for _ in range(rng.randint(0, 8)):
            kind = rng.randrange(6)
            if kind == 0:
                parts.append(bytes(rng.getrandbits(8) for _ in range(rng.randint(0, 30))))
            elif kind == 1:
                parts.append(name[: rng.randint(0, len(name))].encode("utf-16-le"))
            elif kind == 2:
                parts.append(name[: rng.randint(0, len(name))].encode("utf-16-be"))
            elif kind == 3:
                parts.append(b"\x00" * rng.randint(0, 12))
            elif kind == 4:
                parts.append(bytes(rng.choice(b" ~\x1f\x7f\x80az") for _ in range(rng.randint(0, 9))))
            else:
                parts.append(name[: rng.randint(0, len(name))].encode("ascii"))
        made.append(b"".join(parts))
    return made


def test_runs_found_quickly_are_the_runs_the_regular_expressions_find() -> None:
    for data in _samples(random.Random(7)):
        assert syntax._wide_runs(data) == _wide(data), data
        assert syntax.printable_spans(data) == _spans(data), data
        assert syntax.printable_runs(data) == _runs(data), data


def test_a_name_in_megabytes_of_noise_is_found_where_it_is() -> None:
    rng = random.Random(1)
    noise = bytes(rng.getrandbits(8) for _ in range(300_000))
    data = noise + "Farida Khanum".encode("utf-16-be") + noise + b"Farida Khanum" + b"\x00" * 50
    assert syntax.printable_spans(data) == _spans(data)
    assert "Farida Khanum" in syntax.printable_runs(data).splitlines()
    assert [run for run in syntax._wide_runs(data) if run.text == "Farida Khanum"] == [Run(300_001, 2, "Farida Khanum")]
