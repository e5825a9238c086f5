"""``cds-desktop selftest``: does this copy of the program work, here, end to end?

In a temporary data folder of its own (the user's data is never touched) it runs the
commands as a user would: demo → info → status → every report as PDF and as Excel →
evidence attach and check → export a package → import it into a second new folder →
check that folder, and compares the two.  The window executable (and a source
checkout) adds one step run by the ``cli``: the main window, offscreen, opens the
package on the exchange screen (``args.window_check``).

It prints one Vietnamese line per step and a summary, and exits with 1 when any step
failed (details of an unexpected failure go to the log file).  Built for the frozen
app's smoke test in CI (``.ci/run``, ``.github/workflows/windows.yml``), also useful on
an office PC when something looks broken.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import logging
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from cds_desktop import APP_NAME, __version__
from cds_desktop.commands.registry import COMMANDS, build_parser, command

log = logging.getLogger(__name__)

DEMO_DAY = "2026-09-18"  # the demo's reference day (services.demo_progress.DEMO_TODAY)
DEMO_PERIOD = "2026-09"
REPORT_KINDS = ("phu-luc-01", "phu-luc-02", "unit-plan", "progress", "reminders", "evidence")
MAGIC = {"pdf": b"%PDF-", "xlsx": b"PK\x03\x04"}


class StepFailed(Exception):
    """A step did not give what it should (the message says what, in Vietnamese)."""


@dataclass
class StepResult:
    label: str
    ok: bool
    seconds: float
    detail: str


def _configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--keep", action="store_true", help="giữ lại thư mục tạm sau khi chạy (để xem các tệp đã lập)")
    parser.add_argument("--no-window", action="store_true", help="không thử mở cửa sổ chương trình")


class SelfTest:
    """The steps, each run through the same command handlers as the command line."""

    def __init__(self, root: Path, echo: Callable[[str], None]) -> None:
        self.root = root
        self.data = root / "du-lieu"
        self.copy = root / "ban-nhap"
        self.out = root / "ket-qua"
        self.out.mkdir(parents=True, exist_ok=True)
        self.echo = echo
        self.results: list[StepResult] = []
        self.package = self.out / "tu-kiem-tra.cdspkg"

    # -- running ----------------------------------------------------------------------
    def run_command(self, argv: list[str]) -> str:
        """Run one command in-process; returns what it printed, raises StepFailed on a non-zero exit."""
        from cds_desktop.database.errors import DatabaseError
        from cds_desktop.services.common import ServiceError

        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                args = build_parser(with_commands=True).parse_args(argv)
                code = COMMANDS[args.command][2](args)
            except SystemExit as exc:
                code = exc.code if isinstance(exc.code, int) else 2
            except (DatabaseError, ServiceError) as exc:
                print(f"Lỗi: {exc}", file=sys.stderr)
                code = 1
        if code:
            message = err.getvalue().strip() or out.getvalue().strip()
            raise StepFailed(f"«cds-desktop {' '.join(argv[:2])}» kết thúc với mã {code}: {message[:300]}")
        return out.getvalue()

    def json_command(self, argv: list[str]) -> dict:
        text = self.run_command(argv)
        try:
            return json.loads(text)
        except ValueError as exc:
            raise StepFailed(f"«{' '.join(argv[:2])} --json» không in ra JSON hợp lệ: {text[:200]}") from exc

    def step(self, label: str, fn: Callable[[], str]) -> bool:
        started = time.perf_counter()
        try:
            detail, ok = fn() or "", True
        except StepFailed as exc:
            detail, ok = str(exc), False
        except Exception as exc:  # anything else is a failure of this step, not the end of the test
            log.exception("Self-test step failed: %s", label)
            detail, ok = f"lỗi không mong đợi: {type(exc).__name__}: {exc}", False
        result = StepResult(label, ok, time.perf_counter() - started, detail)
        self.results.append(result)
        mark = "✓" if ok else "✗"
        seconds = f"{result.seconds:.1f}".replace(".", ",")
        self.echo(f"{mark} {label} ({seconds} giây){': ' + detail if detail else ''}")
        return ok

    # -- the steps ----------------------------------------------------------------------
    def run(self, window_check: Callable[[Path, Path], str] | None = None) -> bool:
        d = ["--data-dir", str(self.data)]
        if not self.step("Tạo kế hoạch mẫu có tiến độ (demo)",
                         lambda: self.run_command(["demo", "--with-progress", *d]).splitlines()[0]):
            return False  # nothing else can run without data
        self.step("Thông tin kế hoạch (info)", lambda: self._info(d))
        self.step("Tình hình thực hiện (status)", lambda: self._status(d))
        unit = self._first_unit()
        for kind in REPORT_KINDS:
            for fmt in ("pdf", "xlsx"):
                self.step(f"Báo cáo {kind} ({fmt.upper()})", lambda k=kind, f=fmt: self._report(d, k, f, unit))
        self.step("Gắn minh chứng (evidence attach)", lambda: self._attach(d))
        self.step("Kiểm tra kho minh chứng (evidence check)", lambda: self._evidence_check(d))
        self.step("Xuất gói dữ liệu (export-package)", lambda: self._export(d))
        c = ["--data-dir", str(self.copy)]
        self.step("Nhập gói vào thư mục dữ liệu mới (import-package)", lambda: self._import(c))
        self.step("Kiểm tra dữ liệu đã nhập (check)", lambda: self._check(c))
        self.step("Dữ liệu đã nhập khớp bản gốc (info)", lambda: self._same(d, c))
        self.step("Trình điều khiển PostgreSQL cho cơ sở dữ liệu dùng chung (psycopg)", _postgres_driver)
        if window_check is not None:
            self.step("Cửa sổ chương trình mở gói trên màn hình Trao đổi dữ liệu",
                      lambda: window_check(self.copy, self.package))
        return all(r.ok for r in self.results)

    def _info(self, d: list[str]) -> str:
        plans = self.json_command(["info", "--json", *d])["plans"]
        if not plans or not plans[0]["indicator_count"] or not plans[0]["task_count"]:
            raise StepFailed(f"thông tin kế hoạch không đủ: {plans}")
        plan = plans[0]
        return f"{plan['indicator_count']} chỉ tiêu, {plan['task_count']} nhiệm vụ, {plan['unit_count']} đơn vị"

    def _status(self, d: list[str]) -> str:
        report = self.json_command(["status", "--json", "--today", DEMO_DAY, *d])
        if "warnings" not in report:
            raise StepFailed("báo cáo tình hình thiếu phần cảnh báo")
        return f"{len(report['warnings'])} cảnh báo"

    def _first_unit(self) -> str | None:
        from cds_desktop.database import open_database
        from cds_desktop.reports.loading import plan_units
        from cds_desktop.services.lookup import resolve_plan

        try:
            db = open_database(self.data)
        except Exception:  # the report steps say what is wrong
            log.exception("Self-test: no database to find a unit in")
            return None
        try:
            with db.session(source="cli") as session:
                units = plan_units(session, resolve_plan(session, None))
                return units[0].uuid if units else None
        finally:
            db.close()

    def _report(self, d: list[str], kind: str, fmt: str, unit: str | None) -> str:
        out = self.out / f"{kind}.{fmt}"
        argv = ["report", kind, "--out", str(out), *d]
        if kind == "unit-plan":
            if unit is None:
                raise StepFailed("kế hoạch mẫu không có đơn vị nào được phân công")
            argv += ["--unit", unit]
        if kind in ("progress", "reminders"):
            argv += ["--period", DEMO_PERIOD, "--today", DEMO_DAY]
        self.run_command(argv)
        return _check_file(out, fmt)

    def _attach(self, d: list[str]) -> str:
        from cds_desktop.database import open_database
        from cds_desktop.services.lookup import resolve_plan

        db = open_database(self.data)
        try:
            with db.session(source="cli") as session:
                items = resolve_plan(session, None).items
                item = items[0].uuid if items else None
        finally:
            db.close()
        if item is None:
            raise StepFailed("kế hoạch mẫu không có chỉ tiêu, nhiệm vụ nào")
        source = self.out / "phu-luc-01.pdf"
        if not source.exists():
            source = self.out / "minh-chung.txt"
            source.write_text("Minh chứng của lần tự kiểm tra.\n", encoding="utf-8")
        text = self.run_command(["evidence", "attach", str(source), "--item", item, "--kind", "report",
                                 "--description", "Tự kiểm tra", "--date", "18/09/2026", *d])
        return text.splitlines()[0] if text else ""

    def _evidence_check(self, d: list[str]) -> str:
        result = self.json_command(["evidence", "check", "--json", *d])
        if not result.get("ok") or not result.get("files"):
            raise StepFailed(f"kho minh chứng có vấn đề: {' '.join(result.get('problems', []))}")
        return f"{result['files']} tệp, mã băm khớp"

    def _export(self, d: list[str]) -> str:
        result = self.json_command(["export-package", "--out", str(self.package), "--json", *d])
        if not self.package.is_file() or not result.get("evidence_files"):
            raise StepFailed(f"gói dữ liệu chưa đủ: {result}")
        return f"{result['evidence_files']} tệp minh chứng, {result['size'] / 1e6:.1f} MB".replace(".", ",")

    def _import(self, c: list[str]) -> str:
        # a new folder has its own key: it trusts the package's office, as the officer would
        result = self.json_command(["import-package", str(self.package), "--json", "--trust", *c])
        if not result.get("created"):
            raise StepFailed(f"không nhập được bản ghi nào: {result}")
        return f"{result['created']} bản ghi mới"

    def _check(self, c: list[str]) -> str:
        result = self.json_command(["check", "--json", *c])
        if not result.get("ok"):
            raise StepFailed("dữ liệu đã nhập có lỗi: " + " ".join(result.get("problems", [])))
        store = result.get("evidence") or {}
        return f"lược đồ {result.get('schema_version')}, {store.get('files', 0)} tệp minh chứng"

    def _same(self, d: list[str], c: list[str]) -> str:
        original = self.json_command(["info", "--json", *d])["plans"]
        imported = self.json_command(["info", "--json", *c])["plans"]
        if original != imported:
            raise StepFailed("thông tin kế hoạch của bản nhập khác bản gốc")
        return f"{len(imported)} kế hoạch giống hệt"


def _postgres_driver() -> str:
    """The PostgreSQL driver (psycopg with its own libpq) loads and SQLAlchemy takes it; no server needed."""
    try:
        import psycopg
    except ImportError as exc:
        raise StepFailed(f"chương trình thiếu trình điều khiển PostgreSQL (psycopg): {exc}") from exc
    from sqlalchemy import create_engine, literal, select

    engine = create_engine("postgresql+psycopg://tu-kiem-tra@127.0.0.1/tu-kiem-tra")  # connects to nothing
    try:
        if engine.dialect.dbapi is not psycopg or "%(" not in str(select(literal(1)).compile(engine)):
            raise StepFailed("SQLAlchemy không dùng được trình điều khiển psycopg")
    finally:
        engine.dispose()
    libpq = psycopg.pq.version()
    return f"psycopg {psycopg.__version__} ({psycopg.pq.__impl__}), libpq {libpq // 10000}.{libpq % 100}"


def _check_file(path: Path, fmt: str) -> str:
    if not path.is_file() or path.stat().st_size < 200:
        raise StepFailed(f"tệp «{path.name}» không được lập hoặc rỗng")
    with path.open("rb") as f:
        head = f.read(8)
    if not head.startswith(MAGIC[fmt]):
        raise StepFailed(f"tệp «{path.name}» không phải tệp {fmt.upper()}")
    size = f"{path.stat().st_size / 1024:.0f} KB"
    if fmt == "pdf":  # the preview in the app draws pages with PDFium: check that it is there and reads it
        import pypdfium2

        pdf = pypdfium2.PdfDocument(str(path))
        try:
            pages = len(pdf)
            bitmap = pdf[0].render(scale=0.3)
            if pages < 1 or bitmap.width < 10:
                raise StepFailed(f"không vẽ được trang đầu của «{path.name}»")
        finally:
            pdf.close()
        return f"{pages} trang, {size}"
    from openpyxl import load_workbook

    book = load_workbook(path, read_only=True)
    try:
        sheets = len(book.sheetnames)
    finally:
        book.close()
    return f"{sheets} trang tính, {size}"


@command("selftest", "tự kiểm tra chương trình: chạy thử mọi việc chính trong một thư mục tạm", _configure)
def selftest_command(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    root = Path(tempfile.mkdtemp(prefix="cds-selftest-"))
    print(f"Tự kiểm tra {APP_NAME} {__version__} (Python {sys.version.split()[0]}, {sys.platform})"
          f"{' — bản đóng gói' if getattr(sys, 'frozen', False) else ''}")
    print(f"Thư mục tạm: {root}")
    window_check = None if args.no_window else getattr(args, "window_check", None)
    test = SelfTest(root, lambda line: print(line, flush=True))
    try:
        ok = test.run(window_check)
    finally:
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)
    failed = [r for r in test.results if not r.ok]
    seconds = f"{time.perf_counter() - started:.0f}"
    if ok:
        print(f"Kết quả: đạt cả {len(test.results)} bước ({seconds} giây).")
        return 0
    print(f"Kết quả: {len(failed)}/{len(test.results)} bước KHÔNG ĐẠT ({seconds} giây): "
          + "; ".join(r.label for r in failed) + ".", file=sys.stderr)
    return 1
