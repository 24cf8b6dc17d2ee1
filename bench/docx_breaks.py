"""How many corpus DOCX pages does the built-in renderer break where LibreOffice breaks them?

    python3 bench/docx_breaks.py [CORPUS/real-docx]

For each DOCX: LibreOffice's PDF is the reference (Word cannot run here; LibreOffice lays out
with the same metric-compatible fonts). A page "matches" when the built-in renderer's page of
the same number ends with the same last words. Prints the count with DejaVu for every font
(before issue 13) and with the document's fonts or their metric twins (after).
"""

from __future__ import annotations

import os
import re
import sys
import tempfile
from pathlib import Path

from pypdf import PdfReader

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bundler.core.convert.docx.render import render_docx  # noqa: E402
from bundler.core.convert.libreoffice import convert_batch, find_soffice  # noqa: E402
from bundler.core.progress import NullProgress  # noqa: E402


def page_ends(pdf: Path, words: int = 4) -> list[str]:
    ends = []
    for page in PdfReader(pdf).pages:
        found = re.findall(r"\w+", page.extract_text() or "")
        ends.append(" ".join(found[-words:]).casefold())
    return ends


def line_ends(pdf: Path) -> list[set[str]]:
    """Per page, the last two words of every line: where the lines break."""
    pages = []
    for page in PdfReader(pdf).pages:
        lines = (page.extract_text() or "").splitlines()
        pages.append({" ".join(re.findall(r"\w+", line)[-2:]).casefold() for line in lines if re.search(r"\w", line)})
    return pages


def line_matches(reference: list[set[str]], candidate: list[set[str]]) -> tuple[int, int]:
    """(LibreOffice lines whose end the renderer also ends a line with on the same page, all LibreOffice lines)."""
    same = sum(len(ref & candidate[i]) for i, ref in enumerate(reference) if i < len(candidate))
    return same, sum(len(ref) for ref in reference)


def matches(reference: list[str], candidate: list[str]) -> int:
    return sum(1 for i, end in enumerate(reference) if i < len(candidate) and end and candidate[i] == end)


def builtin(src: Path, out: Path, fonts: str) -> Path:
    os.environ["BUNDLER_DOCX_FONTS"] = fonts
    render_docx(src, out)
    return out


_WORDS = (
    "On the evening of the incident I telephoned the police because my former partner had come to the "
    "house and refused to leave. The officers who attended asked for my name, date of birth and nationality "
    "and told me that my details would be checked. I did not understand why this was relevant to a report "
    "of domestic abuse, and nobody explained what would happen to the information I had given them."
).split()


def statements(folder: Path) -> list[Path]:
    """Witness statements as firms write them: numbered paragraphs, in Word's usual fonts, 6-9 pages."""
    from docx import Document
    from docx.shared import Pt

    made = []
    for n, (font, size) in enumerate([("Times New Roman", 12), ("Calibri", 11), ("Arial", 11), ("Cambria", 11)]):
        doc = Document()
        style = doc.styles["Normal"]
        style.font.name, style.font.size = font, Pt(size)
        for i in range(1, 60):
            words = _WORDS[(i * 7) % 20 :] + _WORDS[: (i * 11) % 40]
            doc.add_paragraph(f"{i}. " + " ".join(words))
        made.append(folder / f"statement-{n}-{font.replace(' ', '')}.docx")
        doc.save(str(made[-1]))
    return made


def main() -> None:
    corpus = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared" / "corpus" / "real-docx"
    soffice = find_soffice()
    assert soffice, "LibreOffice is needed as the reference"
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        docs = sorted(corpus.glob("*.docx")) + statements(work)
        made, _ = convert_batch(soffice, docs, work, NullProgress(), timeout=600)
        total = before = after = lines = lines_before = lines_after = 0
        for src in docs:
            if src not in made:
                print(f"{src.name}: LibreOffice made nothing; skipped")
                continue
            reference = page_ends(made[src])
            old_pdf, new_pdf = builtin(src, work / "old.pdf", "dejavu"), builtin(src, work / "new.pdf", "metric")
            old, new = matches(reference, page_ends(old_pdf)), matches(reference, page_ends(new_pdf))
            total, before, after = total + len(reference), before + old, after + new
            ref_lines = line_ends(made[src])
            old_lines, count = line_matches(ref_lines, line_ends(old_pdf))
            new_lines, _ = line_matches(ref_lines, line_ends(new_pdf))
            lines, lines_before, lines_after = lines + count, lines_before + old_lines, lines_after + new_lines
            print(
                f"{src.name[:40]:<40} {len(reference):>3} pages  page ends {old:>3} -> {new:>3}"
                f"   line ends {old_lines:>4} -> {new_lines:>4} of {count}"
            )
    print(
        f"TOTAL {total} LibreOffice pages: same page end before {before} ({before / total:.0%}), "
        f"after {after} ({after / total:.0%}); {lines} lines: same line end before {lines_before} "
        f"({lines_before / max(lines, 1):.0%}), after {lines_after} ({lines_after / max(lines, 1):.0%})"
    )


if __name__ == "__main__":
    main()
