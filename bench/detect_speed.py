"""Detection speed on the labelled set: seconds per 1000 paragraphs (issue 15).

    python bench/detect_speed.py [--repeat 5]

Runs ``detect_text`` over every document of ``labelled_set()`` twice: with each
document's people in its register, and with an empty register. Prints the best
of ``--repeat`` runs (CPU seconds). Point PYTHONPATH at another checkout to compare versions.
"""

from __future__ import annotations

import argparse
import time

from bundler.core.anonymise.detect import detect_text
from bundler.core.anonymise.labelled_set import labelled_set
from bundler.core.anonymise.terms import targets_from_register
from bundler.core.model import Person, Register


def _run(docs, registered: bool) -> float:  # type: ignore[no-untyped-def]
    start = time.process_time()  # CPU time: steadier than wall time on a busy machine
    for doc in docs:
        people = [Person(name, f"P{n}") for n, name in enumerate(doc.people)] if registered else []
        targets = targets_from_register(Register(people=people))
        detect_text(doc.id, doc.kind, [page.text for page in doc.pages], targets)
    return time.process_time() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    docs = labelled_set()
    paragraphs = sum(doc.paragraphs for doc in docs)
    for registered in (True, False):
        _run(docs, registered)  # warm caches and imports
        best = min(_run(docs, registered) for _ in range(args.repeat))
        label = "people registered" if registered else "empty register"
        print(f"{label:18} {paragraphs} paragraphs: {best:.3f} s, {1000 * best / paragraphs:.3f} s per 1000")


if __name__ == "__main__":
    main()
