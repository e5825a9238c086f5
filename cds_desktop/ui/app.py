"""Start the desktop application: ``run_gui(args)`` (called by ``cds_desktop.cli``).

Environment:

- ``CDS_AUTO_DEMO=1`` (or ``args.demo``): on an empty database, create the
  demo plan without asking;
- ``CDS_STARTUP_PROBE=<file>``: write ``time.time()`` to *file* when the main
  window paints its first frame, then quit (used by the start-up benchmark).

Start-up stays light: no report/export libraries are imported here.
"""

from __future__ import annotations

import logging
import os
import sys

from PySide6.QtCore import QEvent, QTimer
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

from cds_desktop import APP_ID, APP_NAME
from cds_desktop.ui.common.pyside_features import skip_source_scan

skip_source_scan()  # PySide6 would read the source of every module imported from now on

log = logging.getLogger(__name__)

# Fonts with full Vietnamese coverage, best first (Windows, then common Linux ones).
PREFERRED_FONTS = ("Segoe UI", "Noto Sans", "DejaVu Sans", "Liberation Sans", "Arial", "Tahoma")
FONT_POINT_SIZE = 10
PREWARM_AFTER_MS = 2000  # a worker process is started this long after the data layer took over
FINISH_AFTER_MS = 5  # the frame is finished this long after the first paint (a turn after the icon's)
LOADER_AFTER_MS = 40  # the data layer starts loading this long after the first paint (see painted)


def pick_font_family(available: list[str] | None = None) -> str | None:
    families = set(available if available is not None else QFontDatabase.families())
    for name in PREFERRED_FONTS:
        if name in families:
            return name
    return None


def create_application(argv: list[str] | None = None, *, icon: bool = True) -> QApplication:
    """The QApplication (reused if one exists), named and with a Vietnamese-capable font (and the
    window icon, unless *icon* is False: the window sets it after its first paint)."""
    app = QApplication.instance()
    if app is None:
        app = QApplication(argv if argv is not None else sys.argv[:1])
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName(APP_NAME)
    # (The version, read from pyproject.toml or the metadata, is set once the window is up: see attached.)
    app.setOrganizationName(APP_ID)
    apply_font(app)
    from cds_desktop.ui.common import collector
    from cds_desktop.ui.common.questions import install_vietnamese

    install_vietnamese()
    collector.install(app)  # no collection in a job's thread (see ui.common.collector)
    if icon:
        set_window_icon(app)
    return app


def set_window_icon(app: QApplication) -> None:
    """The app's icon on its windows (decoding it costs ~12 ms: not before the first paint)."""
    from PySide6.QtGui import QIcon  # (its enums are not made before the first paint)

    from cds_desktop.paths import resources_dir

    icon_file = resources_dir() / "icon.png"
    if icon_file.exists():
        app.setWindowIcon(QIcon(str(icon_file)))


def apply_font(app: QApplication) -> None:
    family = pick_font_family()
    font = QFont(family) if family else QFont(app.font())
    font.setPointSize(FONT_POINT_SIZE)
    app.setFont(font)
    log.info("UI font: %s %spt", family or font.family(), FONT_POINT_SIZE)


def auto_demo_requested(args) -> bool:
    return bool(getattr(args, "demo", False)) or os.environ.get("CDS_AUTO_DEMO", "").strip() not in ("", "0")


def open_in_window(window, path: str):
    """Show the exchange screen with *path* (a package or a unit workbook) checked by a dry
    run, ready to import; returns the check's job."""
    screen = window.workspace.show_screen("exchange")
    window.raise_()
    window.activateWindow()
    return screen.open_file(path)


def new_data_dir_confirmed(args) -> bool:
    """A ``--data-dir`` without data is most likely mistyped: ask before a new, empty database
    is made there (``--create`` or ``--demo`` say it is meant; the user's own folder is not asked)."""
    from cds_desktop.commands.registry import missing_data_dir

    if auto_demo_requested(args) or missing_data_dir(args) is None:
        return True
    from cds_desktop.paths import app_paths
    from cds_desktop.ui.common import questions

    folder = app_paths(args.data_dir).data_dir
    created = questions.ask(
        None, "Thư mục dữ liệu chưa có dữ liệu",
        f"Thư mục «{folder}» chưa có dữ liệu của CĐS Desktop.",
        informative="Có thể đường dẫn bị gõ sai. Tạo dữ liệu mới (trống) ở thư mục này, "
                    "hay thoát để kiểm tra lại đường dẫn?",
        yes="Tạo dữ liệu mới", no="Thoát", default_yes=False)
    log.info("Data folder %s has no data: %s", folder, "creating" if created else "not opened")
    return created


def run_gui(args) -> int:
    """Show the main window at once, then load the data layer; returns the exit code.

    The first paint shows the current plan (group tree, item tables) read with plain
    ``sqlite3`` (:class:`~cds_desktop.services.view_rows.LightReader`); SQLAlchemy, the
    models and the services load and the database opens in a background thread
    (:class:`~cds_desktop.ui.first_view.DataLayerLoader`); then the ORM takes over the
    plan on screen (``MainWindow.attach``).  With ``CDS_STARTUP_PROBE`` set, the start-up
    is timed (:mod:`cds_desktop.ui.startup_probe`) and the app quits when everything is
    loaded (after the demo plan is made, with CDS_AUTO_DEMO); ``CDS_STARTUP_SCREEN=plan``
    opens the Kế hoạch screen first (the benchmark's plan table).
    """
    from cds_desktop.services.view_rows import LightReader
    from cds_desktop.ui.common.errors import install_excepthook
    from cds_desktop.ui.first_view import DataLayerLoader
    from cds_desktop.ui.main_window import MainWindow
    from cds_desktop.ui.startup_probe import FirstPaintWatcher, StartupProbe

    app = create_application(icon=False)
    install_excepthook()
    data_dir, db_url = getattr(args, "data_dir", None), getattr(args, "db_url", None)
    from cds_desktop.paths import app_paths
    from cds_desktop.ui.instance_lock import Claim, InstanceLock

    instance_lock = InstanceLock(app_paths(data_dir).data_dir)
    claim = instance_lock.claim()  # QtNetwork loads only when another window may be open (~20 ms)
    if claim is not Claim.OWNED and _handed_over(args, claim is Claim.HELD):
        return 0  # the window already open on this data shows it
    if not new_data_dir_confirmed(args):
        return 2
    window = MainWindow()
    instance = None
    probe_path = os.environ.get("CDS_STARTUP_PROBE")
    probe = StartupProbe(probe_path, app) if probe_path else None
    first_screen = os.environ.get("CDS_STARTUP_SCREEN", "").strip()
    reader = LightReader.open(data_dir, db_url)
    light = reader is not None and window.show_light(reader, first_screen)
    if reader is not None and not light:
        reader.close()
    if light and first_screen:
        window.workspace.show_screen(first_screen)
    state = {"code": 0, "db": None}

    def open_requested(path: str) -> None:  # another start on this data asked for *path*
        if state.get("attached"):
            open_in_window(window, path)
        else:
            args.open_file = path  # opened once the data layer has taken over (attached)

    def listen() -> None:  # later starts on this data hand their file to this window
        nonlocal instance
        from cds_desktop.ui.single_instance import InstanceServer, bring_to_front, server_name

        if not state.get("closed"):
            instance = InstanceServer(server_name(data_dir, db_url), window)
            instance.requested.connect(bring_to_front(window, open_requested))

    shown = window.current_plan() if light else None
    with_figures = light and window.workspace.current_key() == "dashboard"  # the first screen's figures

    prefetched = {}

    def open_db():
        from cds_desktop.logging_setup import rotate_from_now

        rotate_from_now()  # the log file rotates from here on (its import was kept from the first paint)
        from cds_desktop.database import open_database
        from cds_desktop.ui.first_view import prefetch

        db = open_database(data_dir, db_url)
        try:  # the office's signing key is made on the first start (packages are signed with it)
            from cds_desktop.exchange.office_keys import load_office_key

            load_office_key(db.paths.data_dir)
        except Exception:  # made again at the first export, which then says what is wrong
            log.exception("Could not make or read the office signing key")
        if not db.read_only:
            from cds_desktop.services.leftovers import clean_leftovers

            clean_leftovers(db.paths, db.evidence_dir)  # what a killed run left (staging of an import, half-copied evidence)
        if shown is not None:
            try:
                prefetched["plan"] = prefetch(db, shown.id, shown.uuid, dashboard=with_figures)
            except Exception:  # the take-over reads again and shows what is wrong
                log.exception("Reading the plan in the background failed")
        return db

    def failed(exc: BaseException) -> None:
        if state.get("closed"):
            return
        from cds_desktop.ui.common.errors import show_error

        show_error(exc, window, block=probe is None, title="Không mở được dữ liệu")
        state["code"] = 1
        window.close()
        app.exit(1)

    def opened(db) -> None:
        state["db"] = db
        if state.get("closed"):
            return
        if probe is not None:
            probe.step("data_layer_loaded")
        window.dataAttached.connect(attached)
        window.attach(db, prefetched.pop("plan", None), staged=True)  # the window paints between the steps

    def attached() -> None:
        if state.get("closed"):
            return
        import cds_desktop

        state["attached"] = True
        if claim is not Claim.OWNED:  # a data folder made by this start: later starts find this window by its lock
            instance_lock.claim()
        QApplication.instance().setApplicationVersion(cds_desktop.__version__)
        from cds_desktop.ui.backup_actions import daily_backup

        daily_backup(window)  # the first start of the day keeps a copy (7 daily + 4 weekly)
        if probe is None:  # a worker process ready before the first report, import or package needs one:
            # starting one holds the interpreter lock ~20 ms on Linux (fork + exec), and its start-up
            # takes a CPU for ~0.3 s; while the officer is still reading the first screen, nobody notices
            from cds_desktop.ui.common.worker_pool import prewarm_worker

            QTimer.singleShot(PREWARM_AFTER_MS, prewarm_worker)
        if first_screen and not light:
            window.workspace.show_screen(first_screen)
        auto = auto_demo_requested(args)
        if probe is not None:
            probe.step("attached")
            if window.has_plans() or not auto:
                _probe_ready(window, probe, first_screen)
                return
        open_file = getattr(args, "open_file", None)
        if open_file:  # a package or workbook double-clicked: check it, ready to import
            open_in_window(window, open_file)
            return
        if not window.has_plans():
            job = window.offer_demo(auto=auto)
            if probe is not None and job is not None:
                job.finished.connect(lambda *_a: _probe_ready(window, probe, first_screen))

    loader = DataLayerLoader(open_db, window)
    loader.opened.connect(opened)
    loader.failed.connect(failed)

    def painted(at: float | None) -> None:
        if probe is not None:
            probe.first_paint(at)
            if light and first_screen == "plan":
                probe.ready_at(at)  # the first paint showed the plan table filled
            elif window.dashboard_snapshot is not None and window.workspace.current_key() == "dashboard":
                probe.ready_at(at)  # the first paint showed the dashboard's figures (its snapshot)
        QTimer.singleShot(0, lambda: set_window_icon(app))  # (each in a turn of its own: ~5-10 ms)
        QTimer.singleShot(0, listen)
        QTimer.singleShot(FINISH_AFTER_MS, window.finish_frame)  # what the first paint did not need
        # The plan's rows left for after the first paint (the dashboard came first), then the data
        # layer loads in the background while the window stays responsive.  Not at once: right
        # after its first paint the window still works ~20 ms (Qt, the window system); the loader
        # started meanwhile slowed that work to a 60-70 ms stall (measured under Xvfb, 2 cores).
        window.fill_light_plan_then(lambda: QTimer.singleShot(LOADER_AFTER_MS, loader.start))

    FirstPaintWatcher(window.centralWidget(), painted)
    window.show()
    try:
        code = app.exec()
    finally:
        from cds_desktop.ui.common.jobs import wait_for_jobs
        from cds_desktop.ui.common.worker_pool import stop_workers

        state["closed"] = True
        workspace = getattr(window, "workspace", None)
        dashboard = workspace.screen("dashboard", create=False) if workspace is not None else None
        if dashboard is not None and hasattr(dashboard, "finish_snapshot"):
            dashboard.finish_snapshot()  # the figures on screen, kept for the next start
        if instance is not None:
            instance.server.close()  # a later start opens its own window
        instance_lock.release()
        if loader.thread.ident is not None:
            loader.thread.join()  # a database opened meanwhile is closed below
        wait_for_jobs()
        stop_workers()
        evidence = sys.modules.get("cds_desktop.ui.evidence.models")
        if evidence is not None:
            evidence.wait_for_thumbnails()
        window.close()
        # quit() closes the windows, which posts one more Quit: drop it, so that a
        # caller that keeps the QApplication (tests) still has working event loops.
        app.removePostedEvents(app, QEvent.Type.Quit)
        if state["db"] is None:
            state["db"] = loader.result
        if state["db"] is not None:
            state["db"].close()
    code = code or state["code"]
    log.info("GUI closed (exit code %s)", code)
    return int(code)


def _handed_over(args, window_open: bool) -> bool:
    """Give this start's file to the window already open on the same data; *window_open*: its
    lock is held, so wait for it to listen (it does so right after its first paint)."""
    from cds_desktop.ui.single_instance import HANDOVER_WAIT_MS, hand_over, server_name

    name = server_name(getattr(args, "data_dir", None), getattr(args, "db_url", None))
    return hand_over(name, getattr(args, "open_file", None), wait_ms=HANDOVER_WAIT_MS if window_open else 0)


def _probe_ready(window, probe, first_screen: str) -> None:
    """The probe's end: the plan (or the dashboard's figures) painted, then quit."""
    dashboard = window.workspace.screen("dashboard", create=False) if first_screen != "plan" else None
    if dashboard is not None and getattr(dashboard, "dashboard", None) is None and window.has_plans():
        def shown() -> None:
            dashboard.refreshed.disconnect(shown)
            probe.step("figures")
            probe.ready(window.workspace)
            probe.finish()
        dashboard.refreshed.connect(shown)
        return
    probe.ready(window.workspace)
    probe.finish()
