"""Print the corpus table (document → rows right / rows total) and, with ``--readme``, write it into README.md.

    .venv/bin/python tools/corpus_table.py [--readme] [-v]

Every document of ``tests/fixtures/plans/`` goes through the real import path (a dry run on a throw-away
database) and is scored against its expectation exactly as ``tests/test_import_corpus.py`` does.
"""

from __future__ import annotations

import logging
import re
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from support.corpus import documents, expectation, run_import, score  # noqa: E402

from cds_desktop.database import open_database  # noqa: E402

BEGIN, END = "<!-- corpus-table:begin -->", "<!-- corpus-table:end -->"


def table(verbose: bool = False) -> str:
    lines = ["| Document | About | Rows right / total | Wrong but flagged | Groups right / total |",
             "|---|---|---|---|---|"]
    right = total = 0
    with tempfile.TemporaryDirectory(prefix="cds-corpus-") as tmp:
        db = open_database(tmp)
        try:
            for document in documents():
                result = score(document, run_import(document, db))
                if verbose:
                    print(result.details(), file=sys.stderr)
                about = re.split(r"(?<=[a-zà-ỹ)])\.\s+(?=[A-ZĐ])", expectation(document).get("about", ""))[0].rstrip(".")
                about = about if len(about) <= 110 else about[:109] + "…"
                right += result.rows_right
                total += len(result.rows)
                lines.append(f"| `{document.name}` | {about} | {result.rows_right} / {len(result.rows)} | "
                             f"{result.rows_flagged} | {result.groups_right} / {result.groups_total} |")
        finally:
            db.close()
    lines.append(f"| **All {len(documents())} documents** | | **{right} / {total}** | | |")
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    logging.disable(logging.WARNING)
    text = table(verbose="-v" in argv)
    print(text)
    if "--readme" in argv:
        readme = ROOT / "README.md"
        body = readme.read_text(encoding="utf-8")
        if BEGIN not in body:
            raise SystemExit(f"README.md has no {BEGIN} … {END} block")
        body = re.sub(re.escape(BEGIN) + ".*?" + re.escape(END), lambda _: f"{BEGIN}\n{text}\n{END}", body, flags=re.S)
        readme.write_text(body, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
