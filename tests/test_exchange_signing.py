"""Signed packages: every export is signed over its manifest; an import accepts only this
office's key or a trusted one; an unknown office is accepted once on request (trust on first
use); a changed key, a bad signature, a tampered manifest or member, a revoked key or no
signature is refused with nothing written."""

from __future__ import annotations

import base64
import json
import os
import stat
import zipfile

import pytest
from support.exchange import rewrite_package, stranger_key

from cds_desktop.exchange import RejectedFile, export_package, import_package
from cds_desktop.exchange import package_format as fmt
from cds_desktop.exchange.dump import logical_dump
from cds_desktop.exchange.office_keys import fingerprint, load_office_key, normal_fingerprint
from cds_desktop.exchange.package_read import package_signer
from cds_desktop.exchange.trust import SignerRefused, load_trust, revoke, trust_path


@pytest.fixture
def office(tmp_path, new_db):
    return new_db(tmp_path / "office", "demo")


@pytest.fixture
def laptop(tmp_path, new_db):
    return new_db(tmp_path / "laptop")


@pytest.fixture
def package(office, tmp_path):
    return export_package(office, tmp_path / "van-phong.cdspkg").path


def _state(db) -> tuple:
    """Everything an import could write: records (audit too), evidence files, the trust list."""
    trust = trust_path(db.paths.data_dir)
    return (logical_dump(db, include_audit=True), trust.read_bytes() if trust.exists() else None,
            sorted(p.name for p in db.paths.evidence_dir.rglob("*")) if db.paths.evidence_dir.exists() else [])


def _refused(db, path, kind: str | None = None, **kw) -> RejectedFile:
    before = _state(db)
    with pytest.raises(RejectedFile) as info:
        import_package(db, path, **kw)
    assert _state(db) == before, "a refused package wrote something"
    if kind is not None:
        assert isinstance(info.value, SignerRefused) and info.value.kind == kind, str(info.value)
    return info.value


def _members(path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {name: zf.read(name) for name in zf.namelist()}


def test_every_package_is_signed_over_its_manifest_with_the_office_key(office, package):
    members = _members(package)
    assert list(members)[-1] == fmt.SIGNATURE
    signature = json.loads(members[fmt.SIGNATURE])
    assert signature["algorithm"] == "Ed25519" and signature["office"] == "xã Bát Tràng"
    assert signature["installation"] == office.installation_id
    key = load_office_key(office.paths.data_dir, create=False)
    signer = package_signer(package)
    assert signer.public_key == key.public_key and signer.office == "xã Bát Tràng"
    assert signer.fingerprint == key.fingerprint


def test_the_key_file_is_private_and_the_fingerprint_is_six_groups_of_five_digits(office, package):
    key = load_office_key(office.paths.data_dir, create=False)
    pem = key.folder / "office-key.pem"
    if os.name == "posix":
        assert stat.S_IMODE(pem.stat().st_mode) == 0o600
    assert key.protection == "file" and b"PRIVATE KEY" in pem.read_bytes()
    groups = key.fingerprint.split(" ")
    assert len(groups) == 6 and all(len(g) == 5 and g.isdigit() for g in groups)
    assert fingerprint(key.public_key) == key.fingerprint
    assert normal_fingerprint(key.fingerprint.replace(" ", "-")) == key.fingerprint
    assert normal_fingerprint("123") == ""
    # the same key is loaded again, not a new one
    assert load_office_key(office.paths.data_dir).public_key == key.public_key


def test_the_private_key_is_protected_by_the_os_keystore_when_there_is_one(tmp_path, monkeypatch):
    import keyring
    from keyring.backend import KeyringBackend

    class MemoryKeyring(KeyringBackend):
        priority = 1
        secrets: dict = {}

        def get_password(self, service, username):
            return self.secrets.get((service, username))

        def set_password(self, service, username, password):
            self.secrets[(service, username)] = password

        def delete_password(self, service, username):
            self.secrets.pop((service, username), None)

    previous = keyring.get_keyring()
    keyring.set_keyring(MemoryKeyring())
    monkeypatch.setenv("CDS_KEYRING", "1")
    try:
        key = load_office_key(tmp_path / "data")
        assert key.protection == "keyring"
        assert b"ENCRYPTED PRIVATE KEY" in (key.folder / "office-key.pem").read_bytes()
        assert load_office_key(tmp_path / "data").public_key == key.public_key
        MemoryKeyring.secrets.clear()  # the data folder copied to another user or PC
        from cds_desktop.exchange.errors import ExchangeError

        with pytest.raises(ExchangeError, match="kho khóa"):
            load_office_key(tmp_path / "data")
    finally:
        keyring.set_keyring(previous)


def test_own_packages_are_accepted(office, package):
    result = import_package(office, package, dry_run=True)
    assert result.signer.status == "own" and result.to_dict()["signer"]["status"] == "own"


def test_an_unknown_office_is_refused_then_trusted_once(laptop, package, office, tmp_path):
    refusal = _refused(laptop, package, "unknown")
    assert "xã Bát Tràng" in str(refusal) and refusal.signer.fingerprint in str(refusal)
    assert "--trust" in str(refusal)
    preview = import_package(laptop, package, dry_run=True, trust_new=True)
    assert preview.signer.status == "new" and load_trust(laptop.paths.data_dir) == []
    result = import_package(laptop, package, trust_new=True)
    assert result.applied and result.counts["created"] > 100
    (entry,) = load_trust(laptop.paths.data_dir)
    assert entry["office"] == "xã Bát Tràng" and entry["installation"] == office.installation_id
    assert entry["fingerprint"] == result.signer.fingerprint
    # the next package from that office needs no question
    again = import_package(laptop, export_package(office, tmp_path / "lan-2.cdspkg").path)
    assert again.signer.status == "trusted"


def _trusting(laptop, package):
    import_package(laptop, package, trust_new=True)
    return laptop


def test_a_tampered_manifest_is_refused(laptop, package, tmp_path):
    _trusting(laptop, package)
    original = _members(package)[fmt.SIGNATURE]

    def edit(_records, manifest):
        manifest["scope"]["plan_label"] = "Kế hoạch giả"
    forged = rewrite_package(package, tmp_path / "manifest.cdspkg", edit, signature=original)
    assert "bảng kê (manifest.json) đã bị thay đổi sau khi ký" in str(_refused(laptop, forged))


def test_a_tampered_member_is_refused_even_with_its_hash_updated(laptop, package, tmp_path):
    _trusting(laptop, package)
    original = _members(package)[fmt.SIGNATURE]

    def edit(records, _manifest):
        records["items"][0]["content"] = "Nội dung bị sửa"
    forged = rewrite_package(package, tmp_path / "member.cdspkg", edit, signature=original)
    assert "đã bị thay đổi sau khi ký" in str(_refused(laptop, forged))


def test_a_tampered_signature_is_refused(laptop, package, tmp_path):
    _trusting(laptop, package)
    signature = json.loads(_members(package)[fmt.SIGNATURE])
    raw = bytearray(base64.b64decode(signature["signature"]))
    raw[10] ^= 1
    signature["signature"] = base64.b64encode(bytes(raw)).decode()
    forged = rewrite_package(package, tmp_path / "signature.cdspkg", lambda r, m: None,
                             signature=json.dumps(signature).encode())
    assert "chữ ký số của gói không hợp lệ" in str(_refused(laptop, forged))
    signature["signature"] = "không phải base64"
    garbage = rewrite_package(package, tmp_path / "garbage.cdspkg", lambda r, m: None,
                              signature=json.dumps(signature, ensure_ascii=False).encode())
    assert "chữ ký số của gói không hợp lệ" in str(_refused(laptop, garbage))


def test_swapped_keys_are_refused(laptop, package, tmp_path):
    _trusting(laptop, package)
    stranger = stranger_key(tmp_path)
    # a forger signs with an own key in the name (and installation) of the trusted office
    forged = rewrite_package(package, tmp_path / "forged.cdspkg", lambda r, m: None, key=stranger)
    refusal = _refused(laptop, forged, "changed", trust_new=True)  # never accepted, even when asked
    assert "khóa khác" in str(refusal) and stranger.fingerprint in str(refusal)
    # the public key in signature.json swapped for another one: the signature no longer verifies
    signature = json.loads(_members(package)[fmt.SIGNATURE])
    signature["public_key"] = base64.b64encode(stranger.public_key).decode()
    swapped = rewrite_package(package, tmp_path / "swapped.cdspkg", lambda r, m: None,
                              signature=json.dumps(signature, ensure_ascii=False).encode())
    assert "chữ ký số của gói không hợp lệ" in str(_refused(laptop, swapped, trust_new=True))


def test_an_unsigned_package_is_refused_unless_allowed(laptop, package, tmp_path):
    unsigned = rewrite_package(package, tmp_path / "cu.cdspkg", lambda r, m: None)
    assert fmt.SIGNATURE not in _members(unsigned)
    refusal = _refused(laptop, unsigned, "unsigned", trust_new=True)
    assert "--allow-unsigned" in str(refusal) and "không có chữ ký số" in str(refusal)
    result = import_package(laptop, unsigned, allow_unsigned=True)
    assert result.applied and result.signer is None and result.to_dict()["signer"] == {"status": "unsigned"}
    assert load_trust(laptop.paths.data_dir) == []


def test_a_revoked_key_is_refused(laptop, package, tmp_path, office):
    first = _trusting(laptop, package)
    signer = package_signer(package)
    (entry,) = revoke(first.paths.data_dir, signer.fingerprint.replace(" ", ""))
    assert entry["revoked_at"]
    refusal = _refused(laptop, export_package(office, tmp_path / "sau.cdspkg").path, "revoked", trust_new=True)
    assert "đã bị thu hồi" in str(refusal)


def test_a_second_machine_with_the_same_office_name_is_a_new_office_with_a_warning(laptop, package, tmp_path,
                                                                                  new_db):
    _trusting(laptop, package)
    other = new_db(tmp_path / "may-2", "demo")  # same commune, its own installation and key
    refusal = _refused(laptop, export_package(other, tmp_path / "may-2.cdspkg").path, "unknown")
    assert "cùng tên «xã Bát Tràng»" in str(refusal)
