"""The program's entry: the window executable has no console (stdout/stderr are None, or
descriptors 1 and 2 are closed) and every command still works; a package or workbook
given as the only argument (a double-click) opens the window; one version everywhere."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest
from support.paths import ROOT

import cds_desktop
from cds_desktop.cli import main, split_open_file
from cds_desktop.stdio import OUTPUT_LOG

NO_STREAMS = (
    "import sys\n"
    "sys.stdout = None\n"
    "sys.stderr = None\n"
    "from cds_desktop.cli import main\n"
    "sys.exit(main(sys.argv[1:]))\n"
)


def _run(args: list[str], data: Path, code: str = NO_STREAMS, **kwargs) -> subprocess.CompletedProcess:
    env = {**os.environ, "CDS_DATA_DIR": str(data), "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run([sys.executable, "-c", code, *args], env=env, cwd=ROOT, timeout=120, **kwargs)


def test_a_command_with_no_streams_writes_its_output_to_the_log_folder(tmp_path):
    data = tmp_path / "data"
    done = _run(["info", "--json", "--create"], data, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "AttributeError" not in done.stderr
    output = (data / "logs" / OUTPUT_LOG).read_text(encoding="utf-8")
    assert json.loads(output[output.index("{"):]) == {"plans": []}  # print_json, which died on None


def test_help_with_no_streams_is_still_readable(tmp_path):
    data = tmp_path / "data"
    done = _run(["--help"], data, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    output = (data / "logs" / OUTPUT_LOG).read_text(encoding="utf-8")
    assert "Cách dùng: cds-desktop" in output and "selftest" in output


@pytest.mark.skipif(os.name != "posix", reason="closing descriptors 0–2 from a shell is a POSIX thing")
def test_closed_descriptors_are_reopened_and_output_goes_to_the_log(tmp_path):
    data = tmp_path / "data"
    script = (f"exec {sys.executable} -c 'from cds_desktop.cli import main; import sys; sys.exit(main(sys.argv[1:]))' "
              "--version </dev/null >&- 2>&-")
    env = {**os.environ, "CDS_DATA_DIR": str(data), "PYTHONPATH": str(ROOT)}
    done = subprocess.run(["sh", "-c", script], env=env, cwd=ROOT, timeout=120)
    assert done.returncode == 0
    assert (data / "logs" / OUTPUT_LOG).read_text(encoding="utf-8").strip() == f"CĐS Desktop {cds_desktop.__version__}"


def test_a_package_or_workbook_as_the_only_argument_is_a_file_to_open(tmp_path, monkeypatch):
    package = tmp_path / "Gửi xã.cdspkg"
    workbook = tmp_path / "phieu.XLSX"
    package.write_bytes(b"x")
    workbook.write_bytes(b"x")
    assert split_open_file([str(package)]) == ([], str(package))
    assert split_open_file(["--data-dir", "D", str(workbook)]) == (["--data-dir", "D"], str(workbook))
    assert split_open_file(["gui", "--demo", str(package)]) == (["gui", "--demo"], str(package))
    monkeypatch.chdir(tmp_path)
    assert split_open_file([package.name]) == ([], str(package))  # made absolute: Windows may start us elsewhere
    # a command, a missing file, another kind of file, a file after a command: not a file to open
    assert split_open_file(["import-package", str(package)]) == (["import-package", str(package)], None)
    assert split_open_file([str(tmp_path / "missing.cdspkg")]) == ([str(tmp_path / "missing.cdspkg")], None)
    (tmp_path / "ghi-chu.txt").write_text("x")
    assert split_open_file(["ghi-chu.txt"]) == (["ghi-chu.txt"], None)
    assert split_open_file(["--data-dir", str(package)]) == (["--data-dir", str(package)], None)


def test_main_opens_the_window_with_the_file(tmp_path, monkeypatch):
    import cds_desktop.ui.app as app

    package = tmp_path / "x.cdspkg"
    package.write_bytes(b"x")
    seen = {}
    monkeypatch.setattr(app, "run_gui", lambda args: seen.setdefault("args", args) and 0)
    assert main(["--data-dir", str(tmp_path / "data"), str(package)]) == 0
    args = seen["args"]
    assert args.open_file == str(package) and args.command is None


def test_the_version_comes_from_pyproject_and_is_everywhere(capsys, demo_db, tmp_path):
    version = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
    assert cds_desktop.__version__ == version
    with pytest.raises(SystemExit):
        main(["--version"])
    assert capsys.readouterr().out.strip() == f"CĐS Desktop {version}"
    from cds_desktop.exchange import export_package

    path = export_package(demo_db, tmp_path / "p.cdspkg").path
    with zipfile.ZipFile(path) as package:
        assert json.loads(package.read("manifest.json"))["app_version"] == version


def test_the_about_box_shows_the_version(qapp):
    from cds_desktop.ui.common.misc_dialogs import about_text

    text = about_text()
    assert f"phiên bản {cds_desktop.__version__}" in text and "cds-desktop selftest" in text


def test_the_programs_entry_freezes_what_the_command_made_before_the_interpreter_exits(monkeypatch):
    """``python -m cds_desktop`` and the ``cds-desktop`` script run ``cli.run``: the command's code comes
    back and its objects are out of the collector's sight (its last collections at exit visited them
    all: ~0.15 s after an evidence attach)."""
    import gc

    from cds_desktop import cli

    monkeypatch.setattr(cli, "main", lambda: 3)
    try:
        assert cli.run() == 3
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()  # (this test process goes on collecting as before)
    pyproject = (Path(__file__).resolve().parent.parent / "pyproject.toml").read_text(encoding="utf-8")
    assert 'cds-desktop = "cds_desktop.cli:run"' in pyproject
    main_module = (Path(cli.__file__).parent / "__main__.py").read_text(encoding="utf-8")
    assert "sys.exit(run())" in main_module
