"""Bad invocations of every command: one Vietnamese line on stderr, no traceback, and the
exit code of README «Mã thoát» (the same code for the same kind of error in every command)."""

from __future__ import annotations

import re

import pytest

from cds_desktop.cli import main
from cds_desktop.commands.registry import COMMANDS, load_all

USAGE, NOT_FOUND, BAD_INPUT, STORAGE = 2, 3, 4, 5
ENGLISH = re.compile(r"\b(error|usage|invalid|file|argument|expected|required|not|no such|choose|"
                     r"unrecognized|database|table|traceback)\b", re.I)

# (command words, exit code); {d} is a data folder with the demo plan and progress, {t} a scratch folder
CASES = [
    ("demo --with-progress --bogus", USAGE),
    ("info --json --data-dir {t}/khong-co", NOT_FOUND),
    ("info --db-url foo://bar", USAGE),
    ("check --data-dir {d} --json extra", USAGE),
    ("evidence", USAGE),
    ("evidence attach --data-dir {d}", USAGE),
    ("evidence attach {t}/khong-co.pdf --item 00000000-0000-0000-0000-000000000000 --data-dir {d}", NOT_FOUND),
    ("evidence list --kind zz --data-dir {d}", USAGE),
    ("evidence export 999 {t} --data-dir {d}", NOT_FOUND),
    ("evidence report --out {t}/e.pdf --unit «Không Tồn Tại» --data-dir {d}", NOT_FOUND),
    ("evidence gc --grace-seconds abc --data-dir {d}", USAGE),
    ("evidence check --data-dir {d} --bogus", USAGE),
    ("unit-workbook --unit «Không Tồn Tại» --period 2026-05 --out {t}/x.xlsx --data-dir {d}", NOT_FOUND),
    ("unit-workbook --all-units --period 2026-13 --out {t}/w --data-dir {d}", USAGE),
    ("unit-workbook --all-units --out {t}/w --data-dir {d}", USAGE),
    ("import-workbook {t}/khong-co.xlsx --data-dir {d}", NOT_FOUND),
    ("import-workbook {t}/rac.xlsx --data-dir {d}", BAD_INPUT),
    ("export-package --out {t}/p.cdspkg --period abc --data-dir {d}", USAGE),
    ("export-package --out {t}/p.cdspkg --plan 999 --data-dir {d}", NOT_FOUND),
    ("export-package --out {t} --data-dir {d}", USAGE),
    ("import-package {t}/khong-co.cdspkg --data-dir {d}", NOT_FOUND),
    ("import-package {t}/rac.cdspkg --data-dir {d}", BAD_INPUT),
    ("import-package {t}/rac.cdspkg --resolve both --data-dir {d}", USAGE),
    ("import-plan {t}/khong-co.txt --data-dir {d}", NOT_FOUND),
    ("import-plan {t}/rac.xlsx --data-dir {d}", BAD_INPUT),
    ("report bogus --out {t}/r.pdf --data-dir {d}", USAGE),
    ("report reminders --unit «Không Tồn Tại» --out {t}/r.pdf --data-dir {d}", NOT_FOUND),
    ("report progress --period abc --out {t}/r.pdf --data-dir {d}", USAGE),
    ("report progress --period 2030-05 --out {t}/r.pdf --data-dir {d}", NOT_FOUND),
    ("report phu-luc-01 --plan 999 --out {t}/r.pdf --data-dir {d}", NOT_FOUND),
    ("report phu-luc-01 --today 2026-13-01 --out {t}/r.pdf --data-dir {d}", USAGE),
    ("status --period abc --data-dir {d}", USAGE),
    ("status --period 2030-05 --data-dir {d}", NOT_FOUND),
    ("status --due-soon-days x --data-dir {d}", USAGE),
    ("status --plan 999 --data-dir {d}", NOT_FOUND),
    ("keys", USAGE),
    ("keys trust {t}/khong-co.cdskey --data-dir {d}", NOT_FOUND),
    ("roles", USAGE),
    ("roles grant x --role bogus --data-dir {d}", USAGE),
    ("roles revoke khong-co --data-dir {d}", NOT_FOUND),
    ("rollup report bogus --out {t}/r.pdf --data-dir {d}", USAGE),
    ("rollup import {t}/khong-co --data-dir {d}", NOT_FOUND),
    ("verify-pdf {t}/khong-co.pdf", NOT_FOUND),
    ("selftest --bogus", USAGE),
    ("backup --data-dir {d}", USAGE),
    ("restore {t}/khong-co.cdsbak --check --data-dir {d}", NOT_FOUND),
    ("khong-co-lenh", USAGE),
]


def _argv(words: str, data, scratch) -> list[str]:
    parts = re.findall(r"«[^»]*»|\S+", words)
    return [p.strip("«»").replace("{d}", str(data)).replace("{t}", str(scratch)) for p in parts]


def test_every_command_has_a_bad_invocation():
    load_all()
    covered = {words.split()[0] for words, _code in CASES}
    assert set(COMMANDS) <= covered


@pytest.mark.parametrize(("words", "code"), CASES, ids=[c[0].split(" --data-dir")[0] for c in CASES])
def test_a_bad_invocation_is_one_vietnamese_line(db_templates, tmp_path, capsys, words, code):
    data = tmp_path / "data"
    db_templates.copy("progress", data)
    scratch = tmp_path / "t"
    scratch.mkdir()
    (scratch / "rac.xlsx").write_bytes(b"PK\x03\x04 day khong phai tep Excel")
    (scratch / "rac.cdspkg").write_bytes(b"PK\x03\x04" + b"\0" * 100)
    try:
        result = main(_argv(words, data, scratch))
    except SystemExit as exc:  # argparse's own usage errors
        result = exc.code
    err = capsys.readouterr().err.strip()
    lines = [line for line in err.splitlines() if not line.startswith("Tạo dữ liệu mới")]
    assert result == code, err
    assert len(lines) == 1, err
    assert lines[0].startswith("Lỗi: ")
    assert "Traceback" not in err and ".." not in lines[0].replace("...", "")
    assert not ENGLISH.search(lines[0].replace("--", " ").split("Xem «")[0]), lines[0]
