"""``keys show|export|trust|revoke`` and the signer in ``import-package``: trust on first use
from the command line."""

from __future__ import annotations

import json

import pytest
from support.cli import run_cli


@pytest.fixture
def office(demo_data_dir):
    return demo_data_dir


def test_show_and_export_the_office_key(capsys, office, tmp_path):
    code, out, _ = run_cli(capsys, "keys", "show", "--data-dir", office, "--json")
    shown = json.loads(out)
    assert code == 0 and shown["office"] == "xã Bát Tràng" and shown["trusted"] == []
    assert len(shown["fingerprint"].split()) == 6 and shown["protection"] == "file"
    code, out, _ = run_cli(capsys, "keys", "show", "--data-dir", office)
    assert code == 0 and shown["fingerprint"] in out and "Nơi gửi tin cậy: 0" in out
    code, out, _ = run_cli(capsys, "keys", "export", "--data-dir", office, "--out", tmp_path / "bat-trang")
    key_file = json.loads((tmp_path / "bat-trang.cdskey").read_text(encoding="utf-8"))
    assert code == 0 and key_file["fingerprint"] == shown["fingerprint"] and shown["fingerprint"] in out
    assert "PRIVATE" not in (tmp_path / "bat-trang.cdskey").read_text(encoding="utf-8")


def test_trust_a_key_file_only_when_the_fingerprint_read_out_matches(capsys, office, tmp_path):
    run_cli(capsys, "keys", "export", "--data-dir", office, "--out", tmp_path / "bt.cdskey")
    fingerprint = json.loads((tmp_path / "bt.cdskey").read_text(encoding="utf-8"))["fingerprint"]
    other = tmp_path / "other"
    code, _out, err = run_cli(capsys, "keys", "trust", "--create", "--data-dir", other, tmp_path / "bt.cdskey",
                           "--fingerprint", "11111 22222 33333 44444 55555 66666")
    assert code == 1 and "Mã khóa không khớp" in err
    code, out, _ = run_cli(capsys, "keys", "trust", "--create", "--data-dir", other, tmp_path / "bt.cdskey",
                        "--fingerprint", fingerprint.replace(" ", "-"))
    assert code == 0 and "Đã tin cậy «xã Bát Tràng»" in out
    code, out, _ = run_cli(capsys, "keys", "show", "--data-dir", other, "--json")
    (entry,) = json.loads(out)["trusted"]
    assert entry["fingerprint"] == fingerprint and not entry["revoked_at"]


def test_import_package_trust_on_first_use_and_revoke(capsys, office, tmp_path):
    package = tmp_path / "bt.cdspkg"
    assert run_cli(capsys, "export-package", "--data-dir", office, "--out", package)[0] == 0
    target = tmp_path / "target"
    code, out, err = run_cli(capsys, "import-package", "--data-dir", target, package, "--json")
    refusal = json.loads(out)
    assert code == 4 and refusal["refused"] == "unknown" and refusal["signer"]["office"] == "xã Bát Tràng"
    assert "chưa được tin cậy" in err and refusal["signer"]["fingerprint"] in err
    code, out, _ = run_cli(capsys, "import-package", "--data-dir", target, package, "--json", "--trust")
    result = json.loads(out)
    assert code == 0 and result["signer"]["status"] == "new" and result["created"] > 100
    fingerprint = result["signer"]["fingerprint"]
    code, out, _ = run_cli(capsys, "import-package", "--data-dir", target, package)
    assert code == 0 and f"Người ký: xã Bát Tràng, mã khóa {fingerprint} (nơi gửi đã tin cậy)" in out
    code, out, _ = run_cli(capsys, "keys", "revoke", "--data-dir", target, "Xa Bat Trang")
    assert code == 0 and "Đã thu hồi" in out and fingerprint in out
    code, out, err = run_cli(capsys, "import-package", "--data-dir", target, package, "--json", "--trust")
    assert code == 4 and json.loads(out)["refused"] == "revoked" and "thu hồi" in err


def test_trust_the_signer_of_a_package_and_refuse_an_unsigned_one(capsys, office, tmp_path):
    from support.exchange import rewrite_package

    package = tmp_path / "bt.cdspkg"
    run_cli(capsys, "export-package", "--data-dir", office, "--out", package)
    target = tmp_path / "target"
    code, out, _ = run_cli(capsys, "keys", "trust", "--create", "--data-dir", target, package)
    assert code == 0 and "Đã tin cậy «xã Bát Tràng»" in out
    code, out, _ = run_cli(capsys, "import-package", "--data-dir", target, package, "--dry-run", "--json")
    assert code == 0 and json.loads(out)["signer"]["status"] == "trusted"
    unsigned = rewrite_package(package, tmp_path / "cu.cdspkg", lambda r, m: None)
    code, _out, err = run_cli(capsys, "keys", "trust", "--data-dir", target, unsigned)
    assert code == 1 and "không có chữ ký số" in err
    code, _out, err = run_cli(capsys, "import-package", "--data-dir", target, unsigned)
    assert code == 4 and "--allow-unsigned" in err
    code, out, _ = run_cli(capsys, "import-package", "--data-dir", target, unsigned, "--allow-unsigned", "--dry-run")
    assert code == 0 and "Người ký: không có" in out
