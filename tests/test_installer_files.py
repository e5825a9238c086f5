"""The delivery files agree with each other: the icon (all the sizes Windows uses), the
PyInstaller spec, the Inno Setup script (Vietnamese without the unofficial Vietnamese.isl,
per user, the file types, the version passed in) and the Windows workflow."""

from __future__ import annotations

import importlib.util
import re
import sys

from PIL import Image
from support.paths import ROOT

ICO_SIZES = {16, 24, 32, 48, 64, 128, 256}
ISS = ROOT / "installer" / "cds-desktop.iss"


def test_the_icon_has_every_size_windows_uses_and_a_png():
    with Image.open(ROOT / "resources" / "icons" / "cds-desktop.ico") as ico:
        assert {w for w, _h in ico.info["sizes"]} == ICO_SIZES
    with Image.open(ROOT / "resources" / "icon.png") as png:
        assert png.size == (256, 256)
        rgba = png.convert("RGBA")
        assert rgba.getpixel((128, 128))[3] == 255 and rgba.getpixel((1, 1))[3] < 255  # drawn, rounded corners


def test_the_spec_builds_two_programs_with_the_icon():
    spec = (ROOT / "installer" / "cds_desktop.spec").read_text(encoding="utf-8")
    assert 'name="CDS-Desktop", console=False' in spec
    assert "console=True" in spec and "cds-desktop.com" in spec
    assert 'ICON = root / "resources" / "icons" / "cds-desktop.ico"' in spec
    assert 'copy_metadata("cds-desktop")' in spec  # the version of the frozen app


def test_the_inno_setup_script_needs_no_unofficial_file():
    raw = ISS.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 with a BOM: Inno Setup reads the Vietnamese right
    text = raw.decode("utf-8-sig")
    assert "Vietnamese.isl" not in text.replace("the unofficial Vietnamese.isl", "")
    assert 'MessagesFile: "compiler:Default.isl"' in text
    assert "PrivilegesRequired=lowest" in text and "AppVersion={#AppVersion}" in text
    assert "#ifndef AppVersion" in text and '#define AppVersion "' not in text  # the one version is passed in
    assert (ISS.parent / "../resources/icons/cds-desktop.ico").resolve().is_file()
    messages = dict(line.split("=", 1) for line in text.split("[Messages]")[1].split("[CustomMessages]")[0]
                    .splitlines() if "=" in line and not line.startswith(";"))
    assert messages["ButtonNext"] == "&Tiếp >" and messages["ButtonInstall"] == "&Cài đặt"
    assert len(messages) > 100
    for key in ("Software\\Classes\\.cdspkg", "Software\\Classes\\.xlsx\\OpenWithProgids", "ChangesAssociations=yes"):
        assert key in text
    assert '"""{app}\\{#AppExe}"" ""%1"""' in text  # the file's path is the program's argument


def test_the_workflow_builds_installs_and_self_tests():
    import yaml

    flow = yaml.safe_load((ROOT / ".github" / "workflows" / "windows.yml").read_text(encoding="utf-8"))
    windows = flow["jobs"]["windows"]
    assert windows["runs-on"] == "windows-latest"
    script = "\n".join(str(step.get("run", "")) + str(step.get("uses", "")) for step in windows["steps"])
    for needed in ("actions/setup-python", "pytest", "PyInstaller", "ISCC.exe", "/VERYSILENT", "/CURRENTUSER",
                   "cds-desktop.com\" selftest", "CDS-Desktop.exe\" -ArgumentList \"selftest\"", "upload-artifact"):
        assert needed in script, needed
    assert re.search(r'"/DAppVersion=\$\{\{ steps.version.outputs.version \}\}"', script)
    assert ".ci/run" in str(flow["jobs"]["linux"]["steps"])


def _console_launcher():
    spec = importlib.util.spec_from_file_location("console_launcher", ROOT / "installer" / "console_launcher.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_console_launcher_passes_arguments_streams_and_status(capfd):
    launcher = _console_launcher()
    script = "import sys; print('đã chạy', sys.argv[1:]); print('lỗi', file=sys.stderr); sys.exit(3)"
    status = launcher.run([sys.executable, "-X", "utf8", "-c", script, "selftest", "tệp có dấu.cdspkg"])
    out, err = capfd.readouterr()
    assert status == 3
    assert out.strip() == "đã chạy ['selftest', 'tệp có dấu.cdspkg']" and err.strip() == "lỗi"
    assert launcher.run([str(ROOT / "no-such-program")]) == 1
    assert "Không chạy được" in capfd.readouterr().err
