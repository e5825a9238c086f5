"""Scoring a plan document of the corpus (``tests/fixtures/plans/``) against its expectation.

Shared by ``tests/test_import_corpus.py`` and ``tools/corpus_table.py`` (the README table).
The format of an expectation file is described in ``tests/fixtures/plans/README.md``.

A document goes through the real import path: :func:`analyse_path` then
:func:`import_analysis` with ``dry_run=True`` — the report ``import-plan --dry-run --json``
prints — and only that report is judged.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

PLANS = Path(__file__).resolve().parent.parent / "fixtures" / "plans"
EXPECT_SUFFIX = ".expect.json"


def documents() -> list[Path]:
    """Every document of the corpus that has an expectation beside it, sorted by name."""
    out = []
    for expect in sorted(PLANS.glob(f"*{EXPECT_SUFFIX}")):
        stem = expect.name[: -len(EXPECT_SUFFIX)]
        found = [p for p in PLANS.glob(f"{glob_escape(stem)}.*") if not p.name.endswith(EXPECT_SUFFIX)]
        if len(found) != 1:
            raise AssertionError(f"{expect.name}: expected exactly one document named {stem}.*, found {found}")
        out.append(found[0])
    return out


def glob_escape(text: str) -> str:
    return re.sub(r"([*?\[])", r"[\1]", text)


def known_issue(document: Path) -> str:
    """Why a document is expected to fail for now ("" when it is not): ``known_issues.json`` beside the corpus."""
    path = PLANS / "known_issues.json"
    issues = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    return issues.get(document.name, "")


def expectation(document: Path) -> dict[str, Any]:
    name = document.name[: -len(document.suffix)] + EXPECT_SUFFIX
    return json.loads((document.parent / name).read_text(encoding="utf-8"))


# --- comparison ----------------------------------------------------------------------------------


def _fold(text: str | None) -> str:
    text = unicodedata.normalize("NFD", text or "").replace("đ", "d").replace("Đ", "D")
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Mn").lower()
    return " ".join(re.sub(r"[^a-z0-9%]+", " ", text).split())


def _text(text: str | None) -> str:
    from cds_desktop.text import clean_text

    return " ".join(clean_text(text or "").split())


def _same_target(expected: str, item: dict[str, Any]) -> bool:
    """The importer's own reading of the target (its cell with the unit of a "Đơn vị tính" column, or the
    content) against the expectation, both normalised."""
    from cds_desktop.services.targets import format_target, parse_target

    reading = item.get("target") or ""
    if not expected:
        return not reading or not item["target_text"]
    return reading == format_target(parse_target(expected))


def _unit_keys(names: list[str], commune: str) -> set[str]:
    from cds_desktop.importers.units import match_key

    return {match_key(n, commune) for n in names}


@dataclass
class RowResult:
    expected: dict[str, Any]
    found: bool = False
    problems: list[str] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)

    @property
    def right(self) -> bool:
        return self.found and not self.problems

    @property
    def label(self) -> str:
        return self.expected.get("content") or self.expected.get("content_start", "")


@dataclass
class Score:
    document: str
    problems: list[str] = field(default_factory=list)  # plan data, counts, groups
    rows: list[RowResult] = field(default_factory=list)
    groups_right: int = 0
    groups_total: int = 0

    @property
    def rows_right(self) -> int:
        return sum(1 for r in self.rows if r.right)

    @property
    def rows_flagged(self) -> int:
        """Wrong rows that the preview flags (acceptable: the officer is told)."""
        return sum(1 for r in self.rows if not r.right and r.flags)

    @property
    def silent_wrong(self) -> list[RowResult]:
        """Wrong rows nobody is told about: defects."""
        return [r for r in self.rows if not r.right and not r.flags]

    def summary(self) -> str:
        return (f"{self.document}: rows {self.rows_right}/{len(self.rows)} right"
                f" ({self.rows_flagged} wrong but flagged), groups {self.groups_right}/{self.groups_total}"
                f"{', ' + str(len(self.problems)) + ' other problems' if self.problems else ''}")

    def details(self) -> str:
        lines = [self.summary(), *[f"  - {p}" for p in self.problems]]
        for row in self.rows:
            if not row.right:
                lines.append(f"  - row «{row.label[:60]}»: {'; '.join(row.problems) or 'not found'}"
                             f"{' [flagged: ' + ' | '.join(row.flags) + ']' if row.flags else ' [NOT flagged]'}")
        return "\n".join(lines)


def run_import(document: Path, db: Any) -> dict[str, Any]:
    """The report ``import-plan --dry-run --json`` prints for *document* (database untouched)."""
    from cds_desktop.importers.document import ImportFailure
    from cds_desktop.importers.run import analyse_path, import_analysis

    try:
        return import_analysis(db, analyse_path(document), dry_run=True)
    except ImportFailure as exc:  # refused: every row counts as wrong
        return {"refused": str(exc)}


def _check_plan(score: Score, want: dict[str, Any], plan: dict[str, Any]) -> None:
    for key in ("title", "kind", "number", "signer", "commune", "year"):
        if key not in want:
            continue
        expected, got = want[key], plan.get(key)
        if key in ("title", "kind", "signer", "commune"):
            same = _text(expected) == _text(got)
        else:
            same = (expected or None) == (got or None)
        if not same:
            score.problems.append(f"plan {key}: expected {expected!r}, got {got!r}")
    if "issue_date" in want:
        expected = want["issue_date"]
        if expected:
            d, m, y = (int(x) for x in expected.split("/"))
            expected = date(y, m, d).isoformat()
        if (expected or None) != (plan.get("issue_date") or None):
            score.problems.append(f"plan issue_date: expected {want['issue_date']!r}, got {plan.get('issue_date')!r}")


def _check_groups(score: Score, want: dict[str, list], report: dict[str, Any]) -> None:
    got_groups = report["groups_read"]
    for section, expected in want.items():
        actual = [(g["label"], g["title"], g["items"]) for g in got_groups if g["section"] == section]
        score.groups_total += len(expected)
        for i, (label, title, count) in enumerate(expected):
            match = actual[i] if i < len(actual) else None
            if match is None:
                score.problems.append(f"{section} group {label} {title!r} ({count}): missing")
                continue
            if _fold(match[0]) == _fold(label) and _fold(match[1]) == _fold(title) and match[2] == count:
                score.groups_right += 1
            else:
                score.problems.append(f"{section} group {i + 1}: expected {label} {title!r} ({count}), got {match}")
        if len(actual) > len(expected):
            score.problems.append(f"{section}: {len(actual) - len(expected)} groups more than expected: "
                                  f"{actual[len(expected):]}")


def _find(row: dict[str, Any], items: list[dict[str, Any]], used: set[int]) -> int | None:
    start = _text(row.get("content") or row.get("content_start"))
    kind = row.get("kind")
    for i, item in enumerate(items):
        if i in used or (kind and item["kind"] != kind):
            continue
        if _text(item["content"]).startswith(start):
            return i
    for i, item in enumerate(items):  # the same content, differently spaced or cased
        if i not in used and (not kind or item["kind"] == kind) and _fold(item["content"]).startswith(_fold(start)):
            return i
    return None


def _check_row(result: RowResult, row: dict[str, Any], item: dict[str, Any], commune: str) -> None:
    problems = result.problems
    content = _text(item["content"])
    if "content" in row and content != _text(row["content"]):
        problems.append(f"content is «{content[:200]}»")
    if "content_end" in row and not content.endswith(_text(row["content_end"])):
        problems.append(f"content ends «…{content[-80:]}»")
    if "group" in row and _fold(item["group_title"]) != _fold(row["group"]):
        problems.append(f"group {item['group_title']!r}")
    if "number" in row and str(row["number"]) not in (item["number"], item["local_number"]):
        problems.append(f"number {item['number']!r}/{item['local_number']!r}")
    if "target" in row and not _same_target(row["target"], item):
        problems.append(f"target {item['target']!r} (text {item['target_text']!r})")
    if "deadline" in row and _text(item["deadline_text"]) != _text(row["deadline"]):
        problems.append(f"deadline {item['deadline_text']!r}")
    for key in ("lead", "coordinating"):
        if key in row and _unit_keys(row[key], commune) != _unit_keys(item[key], commune):
            problems.append(f"{key} {item[key]}")
    if "leader" in row and _fold(item["leader"]) != _fold(row["leader"]):
        problems.append(f"leader {item['leader']!r} (cell {item['leader_text']!r})")


def score(document: Path, report: dict[str, Any]) -> Score:
    want = expectation(document)
    result = Score(document.name)
    if "refused" in report:
        result.problems.append(report["refused"])
        result.rows = [RowResult(row) for row in want.get("rows", [])]
        result.groups_total = sum(len(groups) for groups in want.get("groups", {}).values())
        return result
    plan = report["plan"]
    _check_plan(result, want.get("plan", {}), plan)
    items = report["rows"]
    for kind, count in want.get("counts", {}).items():
        got = sum(1 for i in items if i["kind"] == kind)
        if got != count:
            result.problems.append(f"{kind} count: expected {count}, got {got}")
    _check_groups(result, want.get("groups", {}), report)
    commune = plan.get("commune") or ""
    used: set[int] = set()
    for row in want.get("rows", []):
        row_result = RowResult(row)
        index = _find(row, items, used)
        if index is not None:
            used.add(index)
            row_result.found = True
            _check_row(row_result, row, items[index], commune)
            row_result.flags = list(items[index]["flags"])
        result.rows.append(row_result)
    return result
