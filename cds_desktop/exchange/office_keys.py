"""This office's signing key (Ed25519) and the fingerprints officers read to each other.

Every installation has one key pair, made the first time it is needed (the app's first
start, or the first export).  It lives in the data folder::

    keys/office-key.pem     the private key (PKCS#8 PEM), readable only by the user (0600)
    keys/office-key.json    the public key, when it was made, how the private key is protected

Where the OS has a user keystore that ``keyring`` can reach (Windows: the Credential
Manager, protected by DPAPI; macOS: the Keychain), the PEM is encrypted with a random
passphrase kept in that keystore, so a copy of the data folder alone does not carry a
usable key.  Elsewhere (Linux, or ``keyring`` not installed, or ``CDS_KEYRING=0``) the PEM
is unencrypted and protected only by its file permissions.  ``keyring`` is optional.

**Fingerprint.**  SHA-256 of the 32 raw bytes of the public key; its first 30 bytes are
cut into six chunks of five bytes, each read as a big-endian number modulo 100 000 and
written as five digits: ``12345 67890 13579 24680 11223 34455`` (30 digits, ~100 bits, in
the spirit of Signal's safety numbers: short enough to read out over the phone, digits
because every officer can say them).
"""

from __future__ import annotations

import base64
import hashlib
import json
import logging
import os
import secrets
import sys
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from cds_desktop.exchange.errors import ExchangeError
from cds_desktop.models import utcnow

log = logging.getLogger(__name__)

ALGORITHM = "Ed25519"
KEYS_DIR = "keys"
PRIVATE_FILE = "office-key.pem"
INFO_FILE = "office-key.json"
KEYRING_SERVICE = "CDS Desktop office key"


def fingerprint(public_key: bytes) -> str:
    """Six groups of five digits from SHA-256 of the raw public key (see the module docstring)."""
    digest = hashlib.sha256(public_key).digest()
    groups = [int.from_bytes(digest[i:i + 5], "big") % 100_000 for i in range(0, 30, 5)]
    return " ".join(f"{g:05d}" for g in groups)


def normal_fingerprint(text: str) -> str:
    """A fingerprint as typed (spaces, dashes, dots anywhere): its 30 digits, or '' if it is not one."""
    digits = "".join(ch for ch in text if ch.isdigit())
    if len(digits) != 30 or any(ch not in "0123456789 -.\t" for ch in text.strip()):
        return ""
    return " ".join(digits[i:i + 5] for i in range(0, 30, 5))


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"), validate=True)


def verify(public_key: bytes, signature: bytes, message: bytes) -> bool:
    try:
        Ed25519PublicKey.from_public_bytes(public_key).verify(signature, message)
    except (InvalidSignature, ValueError):
        return False
    return True


@dataclass
class OfficeKey:
    """This installation's key pair (the private key in memory only while signing)."""

    private: Ed25519PrivateKey
    public_key: bytes  # 32 raw bytes
    protection: str  # "keyring" | "file"
    folder: Path

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.public_key)

    def sign(self, message: bytes) -> bytes:
        return self.private.sign(message)


def keys_dir(data_dir: Path) -> Path:
    return Path(data_dir) / KEYS_DIR


def _keyring():
    """The ``keyring`` module when this OS has a real user keystore, else None."""
    if os.environ.get("CDS_KEYRING", "") == "0":
        return None
    if sys.platform not in ("win32", "darwin") and os.environ.get("CDS_KEYRING", "") != "1":
        return None  # Linux: a file readable only by the user (a desktop keystore may be absent or locked)
    try:
        import keyring
        from keyring.backends import fail
    except ImportError:
        return None
    try:
        if isinstance(keyring.get_keyring(), fail.Keyring):
            return None
    except Exception:  # a broken keyring backend: fall back to the file
        log.warning("keyring backend unusable; the office key is protected by file permissions only")
        return None
    return keyring


def _account(folder: Path) -> str:
    return hashlib.sha256(str(folder.resolve()).encode()).hexdigest()[:32]


def _write_private(path: Path, data: bytes) -> None:
    tmp = path.with_name(path.name + ".part")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    os.chmod(tmp, 0o600)
    os.replace(tmp, path)


def load_office_key(data_dir: Path, *, create: bool = True) -> OfficeKey | None:
    """This installation's key (made and stored when *create* and there is none yet)."""
    folder = keys_dir(data_dir)
    private_path, info_path = folder / PRIVATE_FILE, folder / INFO_FILE
    if private_path.exists():
        return _read(folder, private_path, info_path)
    if not create:
        return None
    return _create(folder, private_path, info_path)


def _read(folder: Path, private_path: Path, info_path: Path) -> OfficeKey:
    try:
        info = json.loads(info_path.read_text(encoding="utf-8"))
        pem = private_path.read_bytes()
    except (OSError, ValueError) as exc:
        raise ExchangeError(f"Không đọc được khóa ký của cơ quan trong «{folder}» ({exc}).") from exc
    password = None
    protection = info.get("protection", "file")
    if protection == "keyring":
        keyring = _keyring()
        secret = keyring.get_password(KEYRING_SERVICE, _account(folder)) if keyring else None
        if not secret:
            raise ExchangeError("Khóa ký của cơ quan được bảo vệ bằng kho khóa của Windows nhưng không lấy được "
                                "mật khẩu từ kho khóa (dữ liệu được chép từ máy hoặc tài khoản khác?). Muốn "
                                f"tạo khóa mới: xóa thư mục «{folder}» rồi gửi mã khóa mới cho các nơi nhận gói.")
        password = secret.encode()
    try:
        private = serialization.load_pem_private_key(pem, password=password)
    except (ValueError, TypeError) as exc:
        raise ExchangeError(f"Tệp khóa ký «{private_path}» bị hỏng.") from exc
    if not isinstance(private, Ed25519PrivateKey):
        raise ExchangeError(f"Tệp khóa ký «{private_path}» không phải khóa Ed25519.")
    public = private.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return OfficeKey(private, public, protection, folder)


def _create(folder: Path, private_path: Path, info_path: Path) -> OfficeKey:
    folder.mkdir(parents=True, exist_ok=True)
    private = Ed25519PrivateKey.generate()
    protection, encryption = "file", serialization.NoEncryption()
    keyring = _keyring()
    if keyring is not None:
        secret = secrets.token_urlsafe(32)
        try:
            keyring.set_password(KEYRING_SERVICE, _account(folder), secret)
            protection, encryption = "keyring", serialization.BestAvailableEncryption(secret.encode())
        except Exception as exc:  # a keystore that refuses: the file alone
            log.warning("keyring refused the office key's passphrase (%s); file permissions only", exc)
    pem = private.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption)
    public = private.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    _write_private(private_path, pem)
    info = {"algorithm": ALGORITHM, "public_key": b64(public), "fingerprint": fingerprint(public),
            "protection": protection, "created_at": utcnow().isoformat()}
    info_path.write_text(json.dumps(info, ensure_ascii=False, indent=1), encoding="utf-8")
    log.info("Created the office signing key in %s (%s, protected by %s)", folder, fingerprint(public), protection)
    return OfficeKey(private, public, protection, folder)
