"""DOCX anonymisation at the source, tested the way an attacker would try to beat it.

Each fixture hides the protected name ("Farida Khanum") somewhere Word keeps
text: split runs, headers, notes, comments, tracked changes, links, field
codes, alt text, properties, text boxes, symbols, hidden runs, metadata.
Every anonymised copy is then (1) unzipped and grepped, raw and decoded, in
every part; (2) converted by LibreOffice (one batch) and read back with
pdftotext and pypdf; (3) checked to still say what it said about everyone else.
"""

from __future__ import annotations

import hashlib
import html
import io
import shutil
import subprocess
import unicodedata
import uuid
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

import docx
import pytest
from lxml import etree
from PIL import Image, PngImagePlugin
from pypdf import PdfReader

from bundler.core.anonymise.docx.anonymise import DocxReport, anonymise_docx
from bundler.core.anonymise.terms import targets_from_register
from bundler.core.errors import BuildError, SourceError
from bundler.core.model import Person, Register, Term
from tests.conftest import require
from tests.pdfs import CORPUS as SHARED_CORPUS

CORPUS = SHARED_CORPUS
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
FRAGMENT_NS = (
    f'xmlns:w="{W}" xmlns:r="{R}" '
    'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
    'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
    'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office"'
)
DATE = 'w:date="2024-01-01T00:00:00Z"'
CONTROL = "Control sentence about the Respondent policy."
FORBIDDEN = ("farida", "khanum", "sw1a 1aa", "sw1a1aa")
REGISTER = Register(
    people=[Person(name="Farida Khanum", pseudonym="Aisha", variants=["Mrs Khanum"])],
    terms=[Term(text="SW1A 1AA", category="address", action="redact")],
)
TARGETS = targets_from_register(REGISTER)
SOFFICE = shutil.which("soffice")


# --- helpers: fold, grep, patch --------------------------------------------------------------


def _fold(text: str) -> str:
    """Independent of the product's matcher: NFKD, no accents, no invisible characters, casefold."""
    text = unicodedata.normalize("NFKD", text)
    invisible = "\u00ad\u200b\u200c\u200d\u2060\ufeff"
    return "".join(c for c in text if not unicodedata.combining(c) and c not in invisible).casefold()


def _decoded_forms(data: bytes) -> list[str]:
    forms = [data.decode("utf-8", "ignore"), data.decode("utf-16-le", "ignore")]
    forms.append(data[1:].decode("utf-16-le", "ignore"))
    out = []
    for form in forms:
        form = html.unescape(form)
        for _ in range(3):
            out.append(form)
            form = unquote(form)
    return [_fold(f) for f in out]


def _leaks(path: Path, forbidden: tuple[str, ...] = FORBIDDEN) -> list[str]:
    """Every (part, form) where a forbidden string survives, in any encoding we know."""
    found = []
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            texts = _decoded_forms(archive.read(name)) + [_fold(unquote(name))]
            found += [f"{name}: {word}" for word in forbidden if any(word in t for t in texts)]
        found += [f"zip comment: {w}" for w in forbidden if w in _fold(archive.comment.decode())]
    return found


def _patch(path: Path, edits: dict[str, Callable[[bytes], bytes]], added: dict[str, bytes]) -> None:
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    for name, edit in edits.items():
        parts[name] = edit(parts.get(name, b""))
    parts.update(added)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)


def _xml(edit: Callable[[etree._Element], None]) -> Callable[[bytes], bytes]:
    def apply(data: bytes) -> bytes:
        root = etree.fromstring(data)
        edit(root)
        return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)

    return apply


def _body(fragment: str) -> Callable[[bytes], bytes]:
    """Insert WordprocessingML ``fragment`` at the end of the body (before w:sectPr)."""

    def edit(root: etree._Element) -> None:
        body = root.find(f"{{{W}}}body")
        section = body.find(f"{{{W}}}sectPr")
        for el in etree.fromstring(f"<root {FRAGMENT_NS}>{fragment}</root>"):
            section.addprevious(el)

    return _xml(edit)


def _rel(rid: str, kind: str, target: str, external: bool = False) -> Callable[[bytes], bytes]:
    mode = ' TargetMode="External"' if external else ""
    rel = f'<Relationship Id="{rid}" Type="{kind}" Target="{html.escape(target)}"{mode}/>'
    empty = b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    return lambda data: (data or empty + b"</Relationships>").replace(
        b"</Relationships>", rel.encode() + b"</Relationships>"
    )


def _override(part: str, ctype: str) -> Callable[[bytes], bytes]:
    entry = f'<Override PartName="/{part}" ContentType="{ctype}"/>'.encode()
    return lambda data: data.replace(b"</Types>", entry + b"</Types>")


def _chain(*edits: Callable[[bytes], bytes]) -> Callable[[bytes], bytes]:
    def apply(data: bytes) -> bytes:
        for edit in edits:
            data = edit(data)
        return data

    return apply


def _new_doc() -> docx.document.Document:
    document = docx.Document()
    document.add_paragraph(CONTROL)
    document.add_paragraph("Witness: Farida Khanum")
    return document


# --- fixtures: one adversarial document per hiding place -------------------------------------


def _split_runs(path: Path) -> None:
    document = _new_doc()
    paragraph = document.add_paragraph()
    paragraph.add_run("Far").bold = True
    paragraph.add_run("ida Khan").italic = True
    paragraph.add_run("um")
    paragraph.add_run(" attended the meeting on 3 May.")
    document.add_paragraph("FARIDA KHANUM (in capitals), Far\u00eeda Khanum (accent), Farida\u2019s bag.")
    document.add_paragraph("Address: SW1A 1AA.")
    document.save(path)


def _header_footer(path: Path) -> None:
    document = _new_doc()
    document.sections[0].header.paragraphs[0].text = "Statement of FARIDA KHANUM"
    document.sections[0].footer.paragraphs[0].text = "Farida's statement"
    document.save(path)


def _notes_part(kind: str, text: str) -> bytes:
    return (
        f'<w:{kind}s xmlns:w="{W}">'
        f'<w:{kind} w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:{kind}>'
        f'<w:{kind} w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/>'
        f"</w:r></w:p></w:{kind}>"
        f'<w:{kind} w:id="1"><w:p><w:r><w:{kind}Ref/></w:r><w:r><w:t xml:space="preserve"> {text}'
        f"</w:t></w:r></w:p></w:{kind}></w:{kind}s>"
    ).encode()


def _notes(path: Path) -> None:
    _new_doc().save(path)
    ctype = "application/vnd.openxmlformats-officedocument.wordprocessingml.{}+xml"
    body = (
        '<w:p><w:r><w:t>See the notes.</w:t></w:r><w:r><w:footnoteReference w:id="1"/></w:r>'
        '<w:r><w:endnoteReference w:id="1"/></w:r></w:p>'
    )
    _patch(
        path,
        {
            "word/document.xml": _body(body),
            "word/_rels/document.xml.rels": _chain(
                _rel("rId90", f"{REL}/footnotes", "footnotes.xml"),
                _rel("rId91", f"{REL}/endnotes", "endnotes.xml"),
            ),
            "[Content_Types].xml": _chain(
                _override("word/footnotes.xml", ctype.format("footnotes")),
                _override("word/endnotes.xml", ctype.format("endnotes")),
            ),
        },
        {
            "word/footnotes.xml": _notes_part("footnote", "Mrs Khanum confirmed this in a footnote."),
            "word/endnotes.xml": _notes_part("endnote", "Farida Khanum endnote text."),
        },
    )


def _comment(path: Path) -> None:
    document = _new_doc()
    paragraph = document.add_paragraph("The claimant gave evidence.")
    document.add_comment(paragraph.runs, text="Ask Farida Khanum", author="Farida Khanum", initials="FK")
    document.save(path)


def _tracked(path: Path) -> None:
    _new_doc().save(path)
    author = 'w:author="Farida Khanum"'
    body = (
        '<w:p><w:r><w:t xml:space="preserve">Kept text. </w:t></w:r>'
        f'<w:ins w:id="101" {author} {DATE}><w:r>'
        '<w:t xml:space="preserve">Inserted by Farida. </w:t></w:r></w:ins>'
        f'<w:del w:id="102" {author} {DATE}><w:r><w:delText>Khanum deleted this sentence.'
        "</w:delText></w:r></w:del>"
        f'<w:r><w:rPr><w:b/><w:rPrChange w:id="103" {author} {DATE}><w:rPr/></w:rPrChange></w:rPr>'
        "<w:t>Bold later.</w:t></w:r></w:p>"
        f'<w:p><w:pPr><w:rPr><w:del w:id="104" {author} {DATE}/></w:rPr></w:pPr>'
        "<w:r><w:t>Far</w:t></w:r></w:p>"
        '<w:p><w:r><w:t xml:space="preserve">ida joined paragraphs.</w:t></w:r></w:p>'
        '<w:p><w:r><w:t xml:space="preserve">Moved: </w:t></w:r>'
        f'<w:moveFrom w:id="105" {author} {DATE}>'
        "<w:r><w:t>Farida moved away</w:t></w:r></w:moveFrom>"
        "</w:p>"
    )
    _patch(path, {"word/document.xml": _body(body)}, {})


def _hyperlinks(path: Path) -> None:
    _new_doc().save(path)
    body = (
        '<w:p><w:hyperlink r:id="rId90"><w:r><w:t>Email Farida</w:t></w:r></w:hyperlink>'
        '<w:r><w:t xml:space="preserve"> and </w:t></w:r>'
        '<w:hyperlink r:id="rId91" w:tooltip="Profile of Farida Khanum"><w:r><w:t>her profile</w:t>'
        '</w:r></w:hyperlink><w:r><w:t xml:space="preserve"> and </w:t></w:r>'
        '<w:hyperlink r:id="rId92"><w:r><w:t>the guidance</w:t></w:r></w:hyperlink>'
        '<w:r><w:t xml:space="preserve"> and </w:t></w:r>'
        '<w:hyperlink w:anchor="Khanum_statement"><w:r><w:t>the statement</w:t></w:r>'
        "</w:hyperlink></w:p>"
        '<w:p><w:bookmarkStart w:id="7" w:name="Khanum_statement"/><w:r><w:t>Statement starts here.'
        '</w:t></w:r><w:bookmarkEnd w:id="7"/></w:p>'
    )
    rels = _chain(
        _rel("rId90", f"{REL}/hyperlink", "mailto:farida.khanum@example.com", external=True),
        _rel("rId91", f"{REL}/hyperlink", "https://example.com/people/Farida%20Khanum?ref=7", True),
        _rel("rId92", f"{REL}/hyperlink", "https://www.gov.uk/guidance", external=True),
    )
    _patch(path, {"word/document.xml": _body(body), "word/_rels/document.xml.rels": rels}, {})


def _field(instruction: list[str], result: str) -> str:
    runs = "".join(f'<w:r><w:instrText xml:space="preserve">{i}</w:instrText></w:r>' for i in instruction)
    return (
        f'<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r>{runs}'
        f'<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>{result}</w:t></w:r>'
        '<w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>'
    )


def _fields(path: Path) -> None:
    _new_doc().save(path)
    body = (
        _field([' HYPERLINK "mailto:far', 'ida.khanum@example.com" '], "write to her")
        + _field([' HYPERLINK "https://example.com/Far%69da" '], "encoded link")
        + '<w:p><w:fldSimple w:instr=" MERGEFIELD Khanum_Address \\* MERGEFORMAT ">'
        "<w:r><w:t>merged address</w:t></w:r></w:fldSimple></w:p>"
        # A converter would print the copy's own path here, or pull another file in:
        + _field([" FILENAME \\p "], "frozen-file-name")
        + _field([' INCLUDETEXT "C:\\\\cases\\\\other.docx" '], "included earlier")
    )
    _patch(path, {"word/document.xml": _body(body)}, {})


def _photo(kind: str) -> io.BytesIO:
    image = Image.new("RGB", (120, 80), (40, 120, 200))
    out = io.BytesIO()
    if kind == "jpeg":
        exif = Image.Exif()
        exif[0x013B] = "Farida Khanum"  # Artist
        exif[0x0112] = 6  # Orientation: must survive
        image.save(out, "JPEG", exif=exif, comment=b"Khanum comment")
    else:
        info = PngImagePlugin.PngInfo()
        info.add_text("Author", "Farida Khanum")
        image.save(out, "PNG", pnginfo=info)
    out.seek(0)
    return out


def _images(path: Path) -> None:
    corpus = CORPUS / "real-docx" / "having-images.docx"
    document = docx.Document(str(corpus)) if corpus.exists() else docx.Document()
    document.add_paragraph(CONTROL)
    document.add_paragraph("Witness: Farida Khanum")
    document.add_picture(_photo("jpeg"))
    document.add_picture(_photo("png"))
    document.save(path)

    def alt_text(root: etree._Element) -> None:
        for el in root.iter("{*}docPr", "{*}cNvPr"):
            el.set("descr", "Photo of Farida Khanum")
            el.set("title", "Farida")
            el.set("name", "Khanum portrait")

    _patch(path, {"word/document.xml": _xml(alt_text)}, {})


def _core_props(path: Path) -> None:
    document = _new_doc()
    props = document.core_properties
    props.author, props.title = "Farida Khanum", "Statement of Farida Khanum"
    props.subject, props.keywords = "Khanum v Secretary of State", "Farida; asylum"
    props.comments, props.last_modified_by = "Drafted with Farida", "F Khanum"
    props.category, props.content_status = "Khanum matter", "Farida draft"
    document.save(path)
    extra = b"<Company>Khanum Family Trust</Company><Manager>Farida Khanum</Manager></Properties>"
    _patch(path, {"docProps/app.xml": lambda d: d.replace(b"</Properties>", extra)}, {})


def _custom_props(path: Path) -> None:
    _new_doc().save(path)
    fmtid = 'fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"'
    custom = (
        "<Properties "
        'xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" '
        'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
        f'<property {fmtid} pid="2" name="Client"><vt:lpwstr>Farida Khanum</vt:lpwstr></property>'
        f'<property {fmtid} pid="3" name="Khanum reference">'
        "<vt:lpwstr>HO/123</vt:lpwstr></property>"
        "</Properties>"
    ).encode()

    def doc_vars(root: etree._Element) -> None:
        variables = etree.SubElement(root, f"{{{W}}}docVars")
        var = etree.SubElement(variables, f"{{{W}}}docVar")
        var.set(f"{{{W}}}name", "client")
        var.set(f"{{{W}}}val", "Farida Khanum")

    ctype = "application/vnd.openxmlformats-officedocument.custom-properties+xml"
    _patch(
        path,
        {
            "_rels/.rels": _rel("rId90", f"{REL}/custom-properties", "docProps/custom.xml"),
            "[Content_Types].xml": _override("docProps/custom.xml", ctype),
            "word/settings.xml": _xml(doc_vars),
        },
        {"docProps/custom.xml": custom},
    )


def _table(path: Path) -> None:
    document = _new_doc()
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "Claimant", "Farida Khanum"
    table.cell(1, 0).text = "Nested"
    table.cell(1, 1).add_table(rows=1, cols=1).cell(0, 0).text = "Mrs Khanum in nested table"
    document.save(path)


def _textbox(path: Path) -> None:
    _new_doc().save(path)
    content = "<w:txbxContent><w:p><w:r><w:t>Note by Farida Khanum</w:t></w:r></w:p></w:txbxContent>"
    body = (
        '<w:p><w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing>'
        '<wp:anchor distT="0" distB="0" distL="0" distR="0" simplePos="0" relativeHeight="2" '
        'behindDoc="0" locked="0" layoutInCell="1" allowOverlap="1"><wp:simplePos x="0" y="0"/>'
        '<wp:positionH relativeFrom="column"><wp:posOffset>0</wp:posOffset></wp:positionH>'
        '<wp:positionV relativeFrom="paragraph"><wp:posOffset>0</wp:posOffset></wp:positionV>'
        '<wp:extent cx="2743200" cy="457200"/><wp:effectExtent l="0" t="0" r="0" b="0"/>'
        '<wp:wrapTopAndBottom/><wp:docPr id="10" name="Text Box 10"/><wp:cNvGraphicFramePr/>'
        '<a:graphic><a:graphicData uri="http://schemas.microsoft.com/office/word/2010/'
        'wordprocessingShape"><wps:wsp><wps:cNvSpPr txBox="1"/><wps:spPr><a:xfrm>'
        '<a:off x="0" y="0"/>'
        '<a:ext cx="2743200" cy="457200"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom>'
        f"</wps:spPr><wps:txbx>{content}</wps:txbx>"
        '<wps:bodyPr rot="0" vert="horz" wrap="square" lIns="91440" tIns="45720" rIns="91440" '
        'bIns="45720" anchor="t" anchorCtr="0"><a:noAutofit/></wps:bodyPr></wps:wsp>'
        "</a:graphicData>"
        "</a:graphic></wp:anchor></w:drawing></mc:Choice><mc:Fallback><w:pict>"
        '<v:shape id="Text Box 10" type="#_x0000_t202" style="position:absolute;width:216pt;'
        f'height:36pt"><v:textbox>{content}</v:textbox></v:shape></w:pict></mc:Fallback>'
        "</mc:AlternateContent></w:r></w:p>"
    )
    _patch(path, {"word/document.xml": _body(body)}, {})


def _tricks(path: Path) -> None:
    """Symbols, hidden runs, XML comments, content controls, templates, objects, people, strays."""
    _new_doc().save(path)
    body = (
        '<w:p><w:r><w:sym w:font="Arial" w:char="0046"/></w:r>'
        '<w:r><w:t xml:space="preserve">arida signed with a symbol.</w:t></w:r></w:p>'
        "<w:p><w:r><w:t>Kha</w:t></w:r><w:r><w:rPr><w:vanish/></w:rPr><w:t>zzz</w:t></w:r>"
        '<w:r><w:t xml:space="preserve">num hid behind hidden text.</w:t></w:r></w:p>'
        '<w:p><w:r><w:t>Kha</w:t></w:r><w:r><w:rPr><w:rStyle w:val="Secret"/></w:rPr>'
        '<w:t>qqq</w:t></w:r><w:r><w:t xml:space="preserve">num hid behind a hidden style.</w:t>'
        "</w:r></w:p>"
        '<w:p><w:r><w:fldChar w:fldCharType="begin"><w:fldData>RmFyaWRh</w:fldData></w:fldChar>'
        '</w:r><w:r><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>1</w:t></w:r>'
        '<w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>'
        "<!-- drafted by Farida Khanum -->"
        '<w:sdt><w:sdtPr><w:alias w:val="Farida"/><w:tag w:val="Khanum"/></w:sdtPr><w:sdtContent>'
        "<w:p><w:r><w:t>Content control naming Farida Khanum.</w:t></w:r></w:p>"
        "</w:sdtContent></w:sdt>"
        '<w:p><w:r><w:object><o:OLEObject Type="Embed" ProgID="Package" ShapeID="_x0000_i1025" '
        'DrawAspect="Icon" ObjectID="_1" r:id="rId91"/></w:object></w:r></w:p>'
    )

    def secret_style(root: etree._Element) -> None:
        style = etree.fromstring(
            f'<w:style xmlns:w="{W}" w:type="character" w:styleId="Secret"><w:name w:val="Secret"/>'
            "<w:rPr><w:vanish/></w:rPr></w:style>"
        )
        root.append(style)

    def template(root: etree._Element) -> None:
        el = etree.SubElement(root, f"{{{W}}}attachedTemplate")
        el.set(f"{{{R}}}id", "rId1")

    people = (
        b'<w15:people xmlns:w15="http://schemas.microsoft.com/office/word/2012/wordml">'
        b'<w15:person w15:author="Farida Khanum"><w15:presenceInfo w15:providerId="None" '
        b'w15:userId="Farida Khanum"/></w15:person></w15:people>'
    )
    sources = b'<b:Author xmlns:b="http://schemas.openxmlformats.org/officeDocument/2006/bibliography">'
    _patch(
        path,
        {
            "word/document.xml": _body(body),
            "word/settings.xml": _xml(template),
            "word/styles.xml": _xml(secret_style),
            "word/_rels/settings.xml.rels": _rel(
                "rId1",
                f"{REL}/attachedTemplate",
                "file:///C:/Users/FaridaKhanum/Templates/Normal.dotm",
                external=True,
            ),
            "word/_rels/document.xml.rels": _chain(
                _rel(
                    "rId90",
                    "http://schemas.microsoft.com/office/2011/relationships/people",
                    "people.xml",
                ),
                _rel("rId91", f"{REL}/oleObject", "embeddings/oleObject1.bin"),
            ),
            "[Content_Types].xml": _chain(
                _override(
                    "word/people.xml",
                    "application/vnd.openxmlformats-officedocument.wordprocessingml.people+xml",
                ),
                _override(
                    "word/embeddings/oleObject1.bin",
                    "application/vnd.openxmlformats-officedocument.oleObject",
                ),
            ),
            "customXml/item1.xml": lambda d: d.replace(
                b"</b:Sources>", sources + b"Farida Khanum</b:Author></b:Sources>"
            ),
        },
        {
            "word/people.xml": people,
            "word/embeddings/oleObject1.bin": "OLE Farida Khanum".encode("utf-16-le"),
            "notes/stray.txt": b"Farida Khanum was here",
        },
    )


FIXTURES: dict[str, Callable[[Path], None]] = {
    "split_runs": _split_runs,
    "header_footer": _header_footer,
    "notes": _notes,
    "comment": _comment,
    "tracked": _tracked,
    "hyperlinks": _hyperlinks,
    "fields": _fields,
    "images": _images,
    "core_props": _core_props,
    "custom_props": _custom_props,
    "table": _table,
    "textbox": _textbox,
    "tricks": _tricks,
}
# Text that must still be in the PDF (the rest of the document survives) and text that must not.
SHOWN = {
    "split_runs": [
        "Aisha attended the meeting on 3 May.",
        "Aisha (in capitals), Aisha (accent)",
        "[REDACTED]",
    ],
    "header_footer": ["Statement of Aisha", "Aisha's statement"],
    "notes": ["Aisha confirmed this in a footnote.", "Aisha endnote text."],
    "comment": ["The claimant gave evidence."],
    "tracked": ["Kept text. Inserted by Aisha. Bold later.", "Aisha joined paragraphs."],
    "hyperlinks": ["Email Aisha and her profile and the guidance and the statement"],
    "fields": [
        "write to her",
        "encoded link",
        "merged address",
        "frozen-file-name",
        "included earlier",
    ],
    "images": [],
    "core_props": [],
    "custom_props": [],
    "table": ["Claimant", "Aisha in nested table"],
    "textbox": ["Note by Aisha"],
    "tricks": [
        "Aisha signed with a symbol.",
        "Aisha hid behind hidden text.",
        "Content control naming Aisha.",
        "Aisha hid behind a hidden style.",
    ],
}
HIDDEN = {"tracked": ["deleted this sentence", "moved away"], "tricks": ["zzz", "qqq"]}


@dataclass
class Built:
    src: Path
    dst: Path
    pdf: Path
    report: DocxReport
    source_hash: str


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _convert(files: list[Path], outdir: Path, profile: Path) -> None:
    """One LibreOffice run for every file: the machine is small."""
    command = [
        str(SOFFICE),
        f"-env:UserInstallation={profile.as_uri()}",
        "--headless",
        "--convert-to",
        "pdf",
        "--outdir",
        str(outdir),
        *map(str, files),
    ]
    subprocess.run(command, check=True, capture_output=True, timeout=300)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Built]:
    root = tmp_path_factory.mktemp("docx-anon")
    (root / "src").mkdir()
    (root / "dst").mkdir()
    out: dict[str, Built] = {}
    for name, build in FIXTURES.items():
        src = root / "src" / f"{name}.docx"
        build(src)
        digest = _sha(src)
        dst = root / "dst" / f"{name}.docx"
        report = anonymise_docx(src, dst, TARGETS)
        out[name] = Built(src, dst, root / "pdf" / f"{name}.pdf", report, digest)
    if SOFFICE:
        _convert([b.dst for b in out.values()], root / "pdf", root / f"lo-{uuid.uuid4().hex}")
    return out


def _pdf_text(path: Path) -> str:
    result = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True)
    return " ".join(result.stdout.decode("utf-8").split())


def _parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _root(path: Path, part: str) -> etree._Element:
    return etree.fromstring(_parts(path)[part])


# --- every fixture: the raw package, the PDF, the source ---------------------------------------


@pytest.mark.parametrize("name", list(FIXTURES))
def test_source_really_holds_the_name(built: dict[str, Built], name: str) -> None:
    """Guards the fixtures themselves: each one must hide the name somewhere."""
    assert _leaks(built[name].src)


@pytest.mark.parametrize("name", list(FIXTURES))
def test_no_part_holds_the_name_raw_or_decoded(built: dict[str, Built], name: str) -> None:
    assert _leaks(built[name].dst) == []


@pytest.mark.parametrize("name", list(FIXTURES))
def test_source_is_untouched(built: dict[str, Built], name: str) -> None:
    assert _sha(built[name].src) == built[name].source_hash


@pytest.mark.parametrize("name", list(FIXTURES))
def test_copy_opens_in_python_docx(built: dict[str, Built], name: str) -> None:
    document = docx.Document(str(built[name].dst))
    assert CONTROL in [p.text for p in document.paragraphs]


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")
@pytest.mark.parametrize("name", list(FIXTURES))
def test_libreoffice_pdf_shows_pseudonym_not_name(built: dict[str, Built], name: str) -> None:
    text = _pdf_text(built[name].pdf)
    folded = _fold(text)
    assert "aisha" in folded
    assert [w for w in FORBIDDEN if w in folded] == []
    for phrase in [CONTROL, *SHOWN[name]]:
        assert phrase in text.replace("\u2019", "'")
    for phrase in HIDDEN.get(name, []):
        assert phrase not in text


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")
@pytest.mark.parametrize("name", list(FIXTURES))
def test_libreoffice_pdf_metadata_and_links_clean(built: dict[str, Built], name: str) -> None:
    reader = PdfReader(built[name].pdf)
    seen = [str(v) for v in (reader.metadata or {}).values()]
    for page in reader.pages:
        for annot in page.get("/Annots") or []:
            action = annot.get_object().get("/A") or {}
            seen.append(str(action.get("/URI", "")))
    assert [w for w in FORBIDDEN for s in seen if w in _fold(unquote(s))] == []


# --- what each hiding place turned into ---------------------------------------------------------


def test_split_name_keeps_run_formatting(built: dict[str, Built]) -> None:
    document = docx.Document(str(built["split_runs"].dst))
    paragraph = next(p for p in document.paragraphs if "attended" in p.text)
    assert paragraph.text == "Aisha attended the meeting on 3 May."
    assert paragraph.runs[0].text == "Aisha" and paragraph.runs[0].bold
    assert paragraph.runs[1].italic and not paragraph.runs[0].italic
    assert "Address: [REDACTED]." in [p.text for p in document.paragraphs]


def test_report_lists_changes_without_the_name(built: dict[str, Built]) -> None:
    report = built["split_runs"].report
    assert report.count("replace") == 5  # witness line, split name, capitals, accent, possessive
    assert report.count("redact") == 1
    assert {c.location for c in report.changes if c.kind == "redact"} == {"paragraph 5"}
    everything = " ".join(str(c) for b in built.values() for c in b.report.changes)
    assert [w for w in FORBIDDEN if w in _fold(everything)] == []


def test_comments_and_their_authors_are_gone(built: dict[str, Built]) -> None:
    parts = _parts(built["comment"].dst)
    assert not [n for n in parts if "comment" in n.lower() or "people" in n]
    assert b"comment" not in parts["word/_rels/document.xml.rels"].lower()
    assert b"commentReference" not in parts["word/document.xml"]
    assert built["comment"].report.count("remove-comment") == 1


def test_tracked_changes_are_accepted(built: dict[str, Built]) -> None:
    parts = _parts(built["tracked"].dst)
    for name, data in parts.items():
        for tag in (b"w:delText", b"w:del ", b"w:ins ", b"w:moveFrom", b"w:rPrChange"):
            assert tag not in data, (name, tag)
    texts = [p.text for p in docx.Document(str(built["tracked"].dst)).paragraphs]
    assert "Kept text. Inserted by Aisha. Bold later." in texts
    assert "Aisha joined paragraphs." in texts  # the deleted paragraph mark joined the two
    assert "Moved: " in texts
    assert built["tracked"].report.count("accept-revision") == 1


def test_author_attributes_all_neutral(built: dict[str, Built]) -> None:
    for item in built.values():
        for name, data in _parts(item.dst).items():
            if name.endswith(".xml"):
                root = etree.fromstring(data)
                values = {v for el in root.iter() for k, v in el.attrib.items() if k.endswith("}author")}
                assert values <= {"bundler"}, name


def test_hyperlink_targets_neutralised_and_anchors_consistent(built: dict[str, Built]) -> None:
    rels = _root(built["hyperlinks"].dst, "word/_rels/document.xml.rels")
    targets = {r.get("Id"): r.get("Target") for r in rels}
    assert targets["rId90"] == "#" and targets["rId91"] == "#"
    assert targets["rId92"] == "https://www.gov.uk/guidance"
    document = _root(built["hyperlinks"].dst, "word/document.xml")
    anchors = {el.get(f"{{{W}}}anchor") for el in document.iter(f"{{{W}}}hyperlink")} - {None}
    bookmarks = {el.get(f"{{{W}}}name") for el in document.iter(f"{{{W}}}bookmarkStart")}
    assert anchors == {"Aisha_statement"} and "Aisha_statement" in bookmarks


def test_field_codes_rewritten(built: dict[str, Built]) -> None:
    document = _root(built["fields"].dst, "word/document.xml")
    instructions = "".join(el.text or "" for el in document.iter(f"{{{W}}}instrText"))
    assert 'HYPERLINK "mailto:Aisha.Aisha@example.com"' in instructions
    simple = [el.get(f"{{{W}}}instr") for el in document.iter(f"{{{W}}}fldSimple")]
    assert simple == [" MERGEFIELD Aisha_Address \\* MERGEFORMAT "]


def test_outside_fields_frozen_to_their_result(built: dict[str, Built]) -> None:
    document = _root(built["fields"].dst, "word/document.xml")
    instructions = "".join(el.text or "" for el in document.iter(f"{{{W}}}instrText"))
    assert "FILENAME" not in instructions and "INCLUDETEXT" not in instructions
    assert "HYPERLINK" in instructions  # harmless fields stay live
    kinds = [el.get(f"{{{W}}}fldCharType") for el in document.iter(f"{{{W}}}fldChar")]
    assert kinds == ["begin", "separate", "end"] * 2
    assert built["fields"].report.count("freeze-field") == 1


def test_alt_text_and_image_metadata(built: dict[str, Built]) -> None:
    document = _root(built["images"].dst, "word/document.xml")
    described = [el.get("descr") for el in document.iter("{*}docPr")]
    assert described and set(described) == {"Photo of Aisha"}
    parts = _parts(built["images"].dst)
    jpeg = next(data for name, data in parts.items() if name.endswith((".jpg", ".jpeg")))
    exif = Image.open(io.BytesIO(jpeg)).getexif()
    assert exif.get(0x0112) == 6 and 0x013B not in exif  # orientation kept, Artist gone
    assert Image.open(io.BytesIO(jpeg)).size == (120, 80)


def test_core_and_app_properties(built: dict[str, Built]) -> None:
    props = docx.Document(str(built["core_props"].dst)).core_properties
    assert props.author == "bundler" and props.last_modified_by == "bundler"
    assert props.title == "Statement of Aisha" and props.subject == "Aisha v Secretary of State"
    app = _parts(built["core_props"].dst)["docProps/app.xml"]
    assert b"<Company>Aisha Family Trust</Company>" in app


def test_custom_properties_and_document_variables(built: dict[str, Built]) -> None:
    custom = _root(built["custom_props"].dst, "docProps/custom.xml")
    values = {p.get("name"): "".join(p.itertext()) for p in custom}
    assert values == {"Client": "Aisha", "Aisha reference": "HO/123"}
    settings = _root(built["custom_props"].dst, "word/settings.xml")
    assert [v.get(f"{{{W}}}val") for v in settings.iter(f"{{{W}}}docVar")] == ["Aisha"]


def test_removed_parts_and_dangling_references(built: dict[str, Built]) -> None:
    parts = _parts(built["tricks"].dst)
    for gone in (
        "word/people.xml",
        "word/embeddings/oleObject1.bin",
        "notes/stray.txt",
        "docProps/thumbnail.jpeg",
    ):
        assert gone not in parts
    assert b"OLEObject" not in parts["word/document.xml"]
    assert b"fldData" not in parts["word/document.xml"]  # base64 "Farida": unreadable, so gone
    types = parts["[Content_Types].xml"]
    assert b"people" not in types and b"oleObject1" not in types
    settings_rels = _root(built["tricks"].dst, "word/_rels/settings.xml.rels")
    assert [r.get("Target") for r in settings_rels] == ["#"]
    assert built["tricks"].report.count("remove-part") >= 4


def test_hidden_runs_emptied_and_reported(built: dict[str, Built]) -> None:
    texts = [p.text for p in docx.Document(str(built["tricks"].dst)).paragraphs]
    assert "Aisha hid behind hidden text." in texts
    assert "Aisha hid behind a hidden style." in texts
    assert built["tricks"].report.count("remove-hidden") == 1


def test_macro_document_loses_macros_and_becomes_plain(tmp_path: Path) -> None:
    src, dst = tmp_path / "macro.docm", tmp_path / "out.docx"
    _new_doc().save(src)
    main = b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
    macro = b"application/vnd.ms-word.document.macroEnabled.main+xml"
    _patch(
        src,
        {
            "[Content_Types].xml": _chain(
                lambda d: d.replace(main, macro),
                _override("word/vbaProject.bin", "application/vnd.ms-office.vbaProject"),
            ),
            "word/_rels/document.xml.rels": _rel(
                "rId90",
                "http://schemas.microsoft.com/office/2006/relationships/vbaProject",
                "vbaProject.bin",
            ),
        },
        {"word/vbaProject.bin": b"Attribute VB_Name = Farida"},
    )
    anonymise_docx(src, dst, TARGETS)
    assert "word/vbaProject.bin" not in _parts(dst) and _leaks(dst) == []
    assert main in _parts(dst)["[Content_Types].xml"]
    assert docx.Document(str(dst)).paragraphs[0].text == CONTROL


def test_invisible_characters_do_not_hide_a_name(tmp_path: Path) -> None:
    """ "Far\u200bida" prints as "Farida": the invisible character must not protect it."""
    src, dst = tmp_path / "zw.docx", tmp_path / "out.docx"
    document = docx.Document()
    document.add_paragraph("Signed: Far\u200bida Kha\u2060num, \u201cquoted\u201d.")
    document.core_properties.title = "Far\ufeffida"
    document.save(src)
    anonymise_docx(src, dst, TARGETS)
    assert _leaks(dst) == []
    copy = docx.Document(str(dst))
    assert copy.paragraphs[0].text == "Signed: Aisha, \u201cquoted\u201d."
    assert copy.core_properties.title == "Aisha"


def test_strict_ooxml_namespaces_are_cleaned_too(tmp_path: Path) -> None:
    src, dst = tmp_path / "strict.docx", tmp_path / "out.docx"
    _split_runs(src)
    strict = b"http://purl.oclc.org/ooxml/wordprocessingml/main"
    _patch(src, {"word/document.xml": lambda d: d.replace(W.encode(), strict)}, {})
    anonymise_docx(src, dst, TARGETS)
    assert _leaks(dst) == []
    body = _parts(dst)["word/document.xml"].decode()
    assert "Aisha" in body and "attended the meeting" in body


# --- fail closed ----------------------------------------------------------------------------------


def _doc_with_named_part(path: Path) -> None:
    _new_doc().save(path)
    _patch(
        path,
        {"word/_rels/document.xml.rels": _rel("rId90", f"{REL}/customXml", "../customXml/Farida.xml")},
        {"customXml/Farida.xml": b"<x/>"},
    )


def _doc_with_named_element(path: Path) -> None:
    _new_doc().save(path)
    _patch(
        path,
        {"word/_rels/document.xml.rels": _rel("rId90", f"{REL}/customXml", "../customXml/item9.xml")},
        {"customXml/item9.xml": b'<data xmlns="urn:example"><Khanum/></data>'},
    )


@pytest.mark.parametrize("build", [_doc_with_named_part, _doc_with_named_element])
def test_uncleanable_name_fails_closed_and_keeps_old_copy(tmp_path: Path, build: Callable[[Path], None]) -> None:
    src, dst = tmp_path / "in.docx", tmp_path / "out.docx"
    build(src)
    dst.write_bytes(b"previous copy")
    with pytest.raises(BuildError, match="in.docx"):
        anonymise_docx(src, dst, TARGETS)
    assert dst.read_bytes() == b"previous copy"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.docx", "out.docx"]


def test_copy_may_not_be_named_after_the_person(tmp_path: Path) -> None:
    src = tmp_path / "in.docx"
    _new_doc().save(src)
    with pytest.raises(BuildError, match="named after"):
        anonymise_docx(src, tmp_path / "Farida statement.docx", TARGETS)
    with pytest.raises(BuildError, match="overwrite"):
        anonymise_docx(src, src, TARGETS)


def test_not_a_docx_is_a_source_error(tmp_path: Path) -> None:
    src = tmp_path / "fake.docx"
    src.write_bytes(b"%PDF-1.4 not a zip")
    with pytest.raises(SourceError, match="'fake.docx' is not a readable DOCX"):
        anonymise_docx(src, tmp_path / "out.docx", TARGETS)
    assert not (tmp_path / "out.docx").exists()


def test_password_protected_docx_is_named(tmp_path: Path) -> None:
    src = tmp_path / "locked.docx"
    src.write_bytes(bytes.fromhex("d0cf11e0a1b11ae1") + b"\0" * 504)
    with pytest.raises(SourceError, match="'locked.docx' is password-protected"):
        anonymise_docx(src, tmp_path / "out.docx", TARGETS)


def test_dtd_in_a_part_is_refused(tmp_path: Path) -> None:
    src = tmp_path / "dtd.docx"
    _new_doc().save(src)
    dtd = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY n "Farida">]>'
    _patch(src, {"word/settings.xml": lambda d: dtd + d.split(b"?>", 1)[1]}, {})
    with pytest.raises(SourceError, match="DTD"):
        anonymise_docx(src, tmp_path / "out.docx", TARGETS)


# --- the leak sweep itself: plant a name in a clean copy, the gate must refuse it --------------


def _zip_comment(path: Path) -> None:
    with zipfile.ZipFile(path, "a") as archive:
        archive.comment = b"Farida Khanum"


def _plant(part: str, edit: Callable[[bytes], bytes]) -> Callable[[Path], None]:
    return lambda path: _patch(path, {part: edit}, {})


def _add(part: str, data: bytes, ctype: str) -> Callable[[Path], None]:
    return lambda path: _patch(path, {"[Content_Types].xml": _override(part, ctype)}, {part: data})


PLANTED: dict[str, Callable[[Path], None]] = {
    "split runs": _plant("word/document.xml", _body("<w:p><w:r><w:t>Fa</w:t></w:r><w:r><w:t>rida</w:t></w:r></w:p>")),
    "symbol": _plant(
        "word/document.xml",
        _body('<w:p><w:r><w:sym w:char="F046"/></w:r><w:r><w:t>arida</w:t></w:r></w:p>'),
    ),
    "xml comment": _plant("word/document.xml", lambda d: d.replace(b"</w:body>", b"<!-- Khanum --></w:body>")),
    "double-encoded attribute": _plant(
        "word/document.xml", _body('<w:p><w:bookmarkStart w:id="1" w:name="_%2546arida"/></w:p>')
    ),
    "split field code": _plant("word/document.xml", _body(_field([' REF "Far', 'ida" '], "x"))),
    "core title": _plant(
        "docProps/core.xml",
        lambda d: (
            d.replace(b"</dc:title>", b"Khanum</dc:title>")
            if b"</dc:title>" in d
            else d.replace(b"</cp:coreProperties>", b"<dc:title>Khanum</dc:title></cp:coreProperties>")
        ),
    ),
    "link target": _plant(
        "word/_rels/document.xml.rels",
        _rel("rId99", f"{REL}/hyperlink", "https://x.org/Farida%20K", True),
    ),
    "deleted text": _plant(
        "word/document.xml",
        _body('<w:p><w:del w:id="9" w:author="x"><w:r><w:delText>gone</w:delText></w:r></w:del></w:p>'),
    ),
    "jpeg exif": _add("word/media/extra.jpeg", _photo("jpeg").getvalue(), "image/jpeg"),
    "emf text": _add("word/media/extra.emf", b"EMF\0\0\0" + "Farida".encode("utf-16-le") + b"\0\0", "image/x-emf"),
    "unknown binary": _add("word/extra.bin", b"\0\1", "application/octet-stream"),
    "zip comment": _zip_comment,
}


@pytest.mark.parametrize("place", list(PLANTED))
def test_sweep_refuses_a_planted_name(built: dict[str, Built], tmp_path: Path, place: str) -> None:
    from bundler.core.anonymise.docx.sweep import sweep_docx

    copy = tmp_path / "copy.docx"
    shutil.copy(built["table"].dst, copy)
    sweep_docx(copy, TARGETS, source="copy.docx")  # clean before planting
    PLANTED[place](copy)
    with pytest.raises(BuildError, match="copy.docx"):
        sweep_docx(copy, TARGETS, source="copy.docx")


# --- real-world documents -----------------------------------------------------------------------

CORPUS_WORDS = {
    "blk-paras-and-tables.docx": "Lorem",
    "comments-rich-para.docx": "worthy",
    "doc-coreprops.docx": "Canny",
    "doc-odd-even-hdrs.docx": "Second",
    "having-images.docx": "Canny",
    "hdr-header-footer.docx": "without",
    "num-having-numbering-part.docx": "having",
    "par-hyperlinks.docx": "awesome",
    "par-rendered-page-breaks.docx": "breaks",
    "sct-first-page-hdrftr.docx": "Third",
    "tbl-having-tables.docx": "Canny",
    "test.docx": "here",
}


def _words(path: Path, word: str) -> int:
    """Whole-word hits in the raw, decoded text of every part (markup included)."""
    from bundler.core.anonymise.terms import Target, find_matches

    target = [Target(word, "x", "id", "test")]
    with zipfile.ZipFile(path) as archive:
        return sum(
            len(find_matches(t, target)) for n in archive.namelist() for t in _decoded_forms(archive.read(n))[:1]
        )


@pytest.mark.parametrize("name", sorted(CORPUS_WORDS))
def test_corpus_document_loses_the_word_and_keeps_the_rest(tmp_path: Path, name: str) -> None:
    src = CORPUS / "real-docx" / name
    require(src.exists(), f"the shared corpus file {src}")
    word = CORPUS_WORDS[name]
    register = Register(people=[Person(name=word, pseudonym="Aisha")])
    dst = tmp_path / "out.docx"
    anonymise_docx(src, dst, targets_from_register(register))
    assert _words(src, word) > 0
    assert _words(dst, word) == 0
    before = [p.text for p in docx.Document(str(src)).paragraphs]
    after = [p.text for p in docx.Document(str(dst)).paragraphs]
    import re

    assert after == [re.sub(rf"\b{word}\b", "Aisha", t, flags=re.I) for t in before]
