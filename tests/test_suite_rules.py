"""Rules for the test suite itself, checked on its source: a test that asserts only inside a loop
over data passes when the data is empty, and a ``test_*.py`` file without tests is a helper
module in disguise (helpers live in ``tests/support/``).  And the shared database fixtures:
copies of templates that behave like databases each test built itself."""

from __future__ import annotations

import ast
from pathlib import Path

from sqlalchemy import func, select

from cds_desktop.models import AuditEntry, Item, Plan, TaskProgress

TESTS = Path(__file__).resolve().parent
# Calls that check something as surely as an ``assert``.
_CHECKING_CALLS = {"raises", "warns", "fail", "check", "waitSignal", "waitSignals", "waitUntil", "assertNotEmitted"}
_LOOPS = (ast.For, ast.AsyncFor, ast.While)


def _name(call: ast.Call) -> str:
    func = call.func
    return func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")


def _checks(node: ast.AST) -> bool:
    if isinstance(node, ast.Assert):
        return True
    if isinstance(node, ast.Call):
        name = _name(node)
        return name.startswith(("assert", "_assert", "check", "_check")) or name in _CHECKING_CALLS
    return False


def _literal_loop(node: ast.AST) -> bool:
    """A ``for`` over a literal tuple/list/set or ``range(<constant>)``: it never runs zero times."""
    if not isinstance(node, ast.For | ast.AsyncFor):
        return False
    it = node.iter
    if isinstance(it, ast.Tuple | ast.List | ast.Set):
        return bool(it.elts)
    return (isinstance(it, ast.Call) and _name(it) == "range" and len(it.args) == 1
            and isinstance(it.args[0], ast.Constant) and bool(it.args[0].value))


def _check_sites(node: ast.AST, in_data_loop: bool = False, found: list | None = None) -> list[tuple[int, bool]]:
    """(line, inside a loop over data?) of every check in a test function's own body."""
    found = [] if found is None else found
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda | ast.ClassDef):
            continue
        if _checks(child):
            found.append((child.lineno, in_data_loop))
        inner = in_data_loop or (isinstance(child, _LOOPS) and not _literal_loop(child))
        _check_sites(child, inner, found)
    return found


def _test_files() -> list[Path]:
    files = sorted(p for p in TESTS.rglob("test_*.py") if "fixtures" not in p.relative_to(TESTS).parts)
    assert len(files) > 20
    return files


def _tests(tree: ast.Module) -> list[ast.FunctionDef]:
    return [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)
            and n.name.startswith("test_")]


def test_no_test_asserts_only_inside_a_loop_over_data():
    offenders = []
    for path in _test_files():
        for test in _tests(ast.parse(path.read_text(encoding="utf-8"))):
            sites = _check_sites(test)
            if sites and all(in_loop for _line, in_loop in sites):
                offenders.append(f"{path.relative_to(TESTS)}:{test.lineno} {test.name}")
    assert not offenders, (
        "these tests would pass on an empty list: assert the list is not empty before the loop\n  "
        + "\n  ".join(offenders))


def test_every_test_module_holds_tests():
    helpers = [str(path.relative_to(TESTS)) for path in _test_files() if not _tests(ast.parse(path.read_text(encoding="utf-8")))]
    assert not helpers, f"helper modules named test_*.py (move them to tests/support/): {helpers}"


def test_the_rule_catches_a_loop_over_data_and_spares_a_literal_loop():
    source = '''
def test_bad(rows):
    for row in rows:
        assert row

def test_good(rows):
    assert rows
    for row in rows:
        assert row

def test_literal(parse):
    for text in ("a", "b"):
        assert parse(text)
'''
    verdicts = {t.name: all(in_loop for _l, in_loop in _check_sites(t)) for t in _tests(ast.parse(source))}
    assert verdicts == {"test_bad": True, "test_good": False, "test_literal": False}


def test_db_demo_db_and_progress_db_of_one_test_are_one_database(db, demo_db, progress_db, data_dir):
    assert db is demo_db is progress_db
    assert db.paths.data_dir == data_dir.resolve()
    with db.session("test") as s:
        assert s.scalar(select(func.count(Plan.id))) == 1
        assert s.scalar(select(func.count(TaskProgress.id))) > 0


def test_template_copies_are_separate_installations(progress_db, new_db, tmp_path):
    other = new_db(tmp_path / "other", "progress")
    assert progress_db.installation_id != other.installation_id
    for database in (progress_db, other):
        with database.session("test") as s:
            changed_by = set(s.scalars(select(Item.changed_by)))
            installations = set(s.scalars(select(AuditEntry.installation)))
        assert changed_by == {database.installation_id} and installations == {database.installation_id}
    with progress_db.session("test") as s:
        s.scalar(select(Item).limit(1)).note = "changed in one copy only"
    with other.session("test") as s:
        assert s.scalar(select(func.count(Item.id)).where(Item.note == "changed in one copy only")) == 0
