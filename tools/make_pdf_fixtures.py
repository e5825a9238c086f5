"""Make the PDF fixtures of the import tests: plan text → Word (.docx) → PDF printed by LibreOffice.

    .venv/bin/python tools/make_pdf_fixtures.py            # tests/fixtures/plans/*_pdf*.pdf and *_pdf_copy.txt
    .venv/bin/python tools/make_pdf_fixtures.py --seeds    # also tests/fixtures/pdf/<seed>.pdf

Run tools/make_plan_corpus.py first: the corpus PDFs are its Word documents printed by LibreOffice
(one with the table rules removed), with the same expectations.

A plan written as text (paragraphs, and tables as tab-separated lines, the
seed format) becomes a ``.docx`` in which every table is a real Word table
(header row repeated on each page, ruled or not), and LibreOffice prints it
(``soffice --headless --convert-to pdf``).  "Text copied out of a PDF
viewer" is made from the PDF the way viewers copy it: the page text in the
order it was drawn, one line per printed line, pieces on the same line joined
by a space, no tabs.

Needs ``soffice`` (Debian: libreoffice-writer).  The generated files are
committed, so the tests do not need LibreOffice.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cds_desktop.importers.document import RawTable  # noqa: E402
from cds_desktop.importers.readers import read_text  # noqa: E402

PLANS = ROOT / "tests" / "fixtures" / "plans"
SEED_PDFS = ROOT / "tests" / "fixtures" / "pdf"


def text_to_docx(text: str, out: Path, *, ruled: bool = True, landscape_tables: bool = True,
                 font_size: float = 13, table_font_size: float = 11) -> None:
    """Write the plan *text* as a Word document: paragraphs as paragraphs, tab runs as Word tables."""
    import docx
    from docx.enum.section import WD_ORIENT, WD_SECTION
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    document = read_text(text, out.name)
    doc = docx.Document()
    style = doc.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(font_size)
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2)
    in_landscape = False
    for block in document.blocks:
        if isinstance(block, RawTable):
            if landscape_tables and not in_landscape:
                new = doc.add_section(WD_SECTION.NEW_PAGE)
                new.orientation = WD_ORIENT.LANDSCAPE
                new.page_width, new.page_height = Cm(29.7), Cm(21)
                in_landscape = True
            width = max(len(r.cells) for r in block.rows)
            table = doc.add_table(rows=0, cols=width)
            if ruled:
                table.style = doc.styles["Table Grid"]
            for index, raw in enumerate(block.rows):
                row = table.add_row()
                if index == 0:  # header row repeated at the top of every page
                    trpr = row._tr.get_or_add_trPr()
                    header = OxmlElement("w:tblHeader")
                    header.set(qn("w:val"), "true")
                    trpr.append(header)
                for c, value in enumerate(raw.cells):
                    cell = row.cells[c]
                    lines = value.split("\n")
                    cell.paragraphs[0].text = lines[0]
                    for line in lines[1:]:
                        cell.add_paragraph(line)
                    for paragraph in cell.paragraphs:
                        paragraph.paragraph_format.space_after = Pt(0)
                        for run in paragraph.runs:
                            run.font.size = Pt(table_font_size)
                            run.bold = index == 0 or None
            doc.add_paragraph("")
        elif block.strip():
            paragraph = doc.add_paragraph(block)
            paragraph.paragraph_format.space_after = Pt(4)
    doc.save(out)


def docx_to_pdf(docx_path: Path, out_dir: Path) -> Path:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        raise SystemExit("soffice not found (Debian: apt-get install libreoffice-writer)")
    with tempfile.TemporaryDirectory(prefix="cds-lo-") as profile:
        subprocess.run([soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
                        "--outdir", str(out_dir), str(docx_path)], check=True, capture_output=True, timeout=180)
    return out_dir / (docx_path.stem + ".pdf")


def copied_text(pdf_path: Path) -> str:
    """The text a viewer copies out of *pdf_path*: drawing order, one line per printed line, no tabs."""
    import pdfplumber

    lines: list[str] = []
    with pdfplumber.open(pdf_path) as pdf:
        for page in pdf.pages:
            current = ""
            last = None
            for ch in page.chars:
                if last is not None:
                    same_line = abs(ch["top"] - last["top"]) < 2 and ch["x0"] >= last["x1"] - 1
                    if not same_line:
                        lines.append(current.rstrip())
                        current = ""
                    elif ch["x0"] - last["x1"] > 1.2 and not current.endswith(" "):
                        current += " "
                current += ch["text"]
                last = ch
            if current.strip():
                lines.append(current.rstrip())
    return "\n".join(line for line in lines if line.strip()) + "\n"


def make(source: Path, out_dir: Path, *, ruled: bool = True, copy: bool = False) -> Path:
    with tempfile.TemporaryDirectory(prefix="cds-fixture-") as tmp:
        docx_path = Path(tmp) / (source.stem + ".docx")
        text_to_docx(source.read_text(encoding="utf-8"), docx_path, ruled=ruled)
        pdf = docx_to_pdf(docx_path, Path(tmp))
        target = out_dir / pdf.name
        shutil.copyfile(pdf, target)
    if copy:
        (out_dir / (source.stem + "_copied.txt")).write_text(copied_text(target), encoding="utf-8")
    print(f"{target.relative_to(ROOT)}: {target.stat().st_size // 1024} KB")
    return target


def remove_rules(docx_in: Path, docx_out: Path) -> None:
    """A copy of the Word document whose tables print without any rule (borders set to none)."""
    import docx
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    doc = docx.Document(docx_in)
    for tbl in doc.element.body.iter(qn("w:tbl")):
        tblpr = tbl.find(qn("w:tblPr"))
        for old in tblpr.findall(qn("w:tblBorders")):
            tblpr.remove(old)
        borders = OxmlElement("w:tblBorders")
        for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
            edge = OxmlElement(f"w:{side}")
            edge.set(qn("w:val"), "nil")
            borders.append(edge)
        tblpr.append(borders)
        for tcpr in tbl.iter(qn("w:tcPr")):
            for old in tcpr.findall(qn("w:tcBorders")):
                tcpr.remove(old)
    doc.save(docx_out)


# Corpus documents printed from the Word documents of the corpus: (Word source, PDF name, rules, copy name).
CORPUS = [
    ("seed_bat_trang_word", "seed_bat_trang_pdf", True, "seed_bat_trang_pdf_copy"),
    ("thanh_lam_tasks", "thanh_lam_tasks_pdf", True, "thanh_lam_tasks_pdf_copy"),
    ("ngoc_thuy_word", "ngoc_thuy_pdf", True, None),
    ("hong_van_57", "hong_van_57_pdf", True, None),
    ("kim_anh_word", "kim_anh_pdf_no_rules", False, None),
]


def make_corpus() -> None:
    import json

    for source, name, ruled, copy_name in CORPUS:
        expect = json.loads((PLANS / f"{source}.expect.json").read_text(encoding="utf-8"))
        how = "printed to PDF by LibreOffice" + ("" if ruled else ", its tables without any rule")
        with tempfile.TemporaryDirectory(prefix="cds-fixture-") as tmp:
            docx_path = Path(tmp) / f"{name}.docx"
            if ruled:
                shutil.copyfile(PLANS / f"{source}.docx", docx_path)
            else:
                remove_rules(PLANS / f"{source}.docx", docx_path)
            pdf = docx_to_pdf(docx_path, Path(tmp))
            shutil.copyfile(pdf, PLANS / f"{name}.pdf")
        out = dict(expect, about=f"{source}.docx {how}. " + expect["about"])
        (PLANS / f"{name}.expect.json").write_text(json.dumps(out, ensure_ascii=False, indent=2) + "\n",
                                                   encoding="utf-8")
        print(f"tests/fixtures/plans/{name}.pdf: {(PLANS / f'{name}.pdf').stat().st_size // 1024} KB")
        if copy_name:
            text = copied_text(PLANS / f"{name}.pdf")
            (PLANS / f"{copy_name}.txt").write_text(text, encoding="utf-8")
            out = dict(expect, about=f"The text a person copies out of {name}.pdf in a PDF viewer (no tabs, "
                       "every cell wrapped over several lines). " + expect["about"])
            (PLANS / f"{copy_name}.expect.json").write_text(json.dumps(out, ensure_ascii=False, indent=2) + "\n",
                                                            encoding="utf-8")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", action="store_true", help="also print the two seed texts as PDF")
    args = parser.parse_args(argv)
    if args.seeds:
        SEED_PDFS.mkdir(parents=True, exist_ok=True)
        for seed in sorted((ROOT / "tests" / "fixtures" / "seeds").glob("*.txt")):
            make(seed, SEED_PDFS)
    make_corpus()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
