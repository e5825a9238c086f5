"""Which offices' keys this installation trusts (trust on first use).

The trust list is ``keys/trusted-offices.json`` in the data folder: one entry per key
(office name, installation id, public key, fingerprint, when trusted, when revoked).
A package's signer is judged by :func:`judge_signer`:

- this installation's own key, or a trusted key → accepted;
- a revoked key → refused;
- a key not in the list for an installation (the id every package names) that is already
  trusted with another key → refused as a *changed key* (a forgery, or an office that made a
  new key: read the new fingerprint out over the phone, then revoke the old key).  Several
  installations may carry the same office name (the office PC and its laptop hold the same
  commune), so the name alone identifies nobody: a namesake only adds a warning;
- a key never seen → refused as *unknown* unless the officer accepts it (``trust_new``):
  the package is then imported and the key remembered;
- no signature → refused unless the officer allows unsigned packages (``allow_unsigned``).

Every refusal is a :class:`SignerRefused` (a :class:`RejectedFile`) carrying the signer,
so a screen can show the office and its fingerprint and ask.
"""

from __future__ import annotations

import json
import logging
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cds_desktop.database.errors import os_reason
from cds_desktop.exchange.errors import ExchangeError, RejectedFile
from cds_desktop.exchange.office_keys import (
    b64,
    fingerprint,
    keys_dir,
    load_office_key,
    normal_fingerprint,
    unb64,
)
from cds_desktop.models import utcnow
from cds_desktop.services.common import NotFoundError
from cds_desktop.text import fold, nfc

log = logging.getLogger(__name__)

TRUST_FILE = "trusted-offices.json"

OWN, TRUSTED, NEW, UNSIGNED = "own", "trusted", "new", "unsigned"
STATUS_LABELS = {OWN: "khóa của chính máy này", TRUSTED: "nơi gửi đã tin cậy", NEW: "nơi gửi mới, được tin cậy khi nhập",
                 UNSIGNED: "gói không có chữ ký"}


@dataclass
class Signer:
    """Who signed a package (verified signature), and what this installation thinks of it."""

    office: str
    installation: str
    public_key: bytes
    status: str = ""

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.public_key)

    def to_dict(self) -> dict[str, Any]:
        return {"office": self.office, "installation": self.installation, "fingerprint": self.fingerprint,
                "public_key": b64(self.public_key), "algorithm": "Ed25519", "status": self.status}


class SignerRefused(RejectedFile):
    """A package refused because of who signed it (or that nobody did).

    ``kind``: "unsigned" | "unknown" | "changed" | "revoked"; ``signer`` is None for unsigned.
    """

    def __init__(self, file_name: str, kind: str, signer: Signer | None, reason: str) -> None:
        self.kind = kind
        self.signer = signer
        super().__init__(file_name, reason)

    def __reduce__(self):  # crosses to the window from a worker process intact
        return (SignerRefused, (self.file_name, self.kind, self.signer, self.reason))


def trust_path(data_dir: Path) -> Path:
    return keys_dir(data_dir) / TRUST_FILE


def load_trust(data_dir: Path) -> list[dict[str, Any]]:
    path = trust_path(data_dir)
    if not path.exists():
        return []
    try:
        entries = json.loads(path.read_text(encoding="utf-8")).get("offices", [])
    except (OSError, ValueError, AttributeError) as exc:
        raise ExchangeError(f"Không đọc được danh sách nơi gửi tin cậy «{path}» ({exc}).") from exc
    return [e for e in entries if isinstance(e, dict) and isinstance(e.get("public_key"), str)]


def _save(data_dir: Path, entries: list[dict[str, Any]]) -> None:
    path = trust_path(data_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".part")
    tmp.write_text(json.dumps({"offices": entries}, ensure_ascii=False, indent=1), encoding="utf-8")
    os.replace(tmp, path)


def _active(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [e for e in entries if not e.get("revoked_at")]


def _describe(signer: Signer) -> str:
    return f"«{signer.office or 'không rõ tên'}» (mã khóa {signer.fingerprint})"


def judge_signer(data_dir: Path, signer: Signer | None, display: str, *, trust_new: bool = False,
                 allow_unsigned: bool = False) -> Signer | None:
    """The signer with its ``status`` set, or :class:`SignerRefused` (see the module docstring)."""
    if signer is None:
        if allow_unsigned:
            return None
        raise SignerRefused(display, UNSIGNED, None,
                            "gói không có chữ ký số của nơi gửi (gói do phiên bản cũ tạo ra, hoặc chữ ký đã bị gỡ), "
                            "nên không biết chắc ai đã tạo ra gói. Chỉ nhập khi bạn chắc chắn về nguồn gốc: "
                            "xác nhận «Vẫn nhập gói không ký» trong màn hình Trao đổi dữ liệu, hoặc thêm "
                            "«--allow-unsigned» vào lệnh import-package.")
    own = load_office_key(data_dir, create=False)
    key = b64(signer.public_key)
    if own is not None and own.public_key == signer.public_key:
        signer.status = OWN
        return signer
    entries = load_trust(data_dir)
    for entry in entries:
        if entry["public_key"] == key:
            if entry.get("revoked_at"):
                raise SignerRefused(display, "revoked", signer,
                                    f"khóa của {_describe(signer)} đã bị thu hồi ngày "
                                    f"{str(entry['revoked_at'])[:10]}; gói không được nhập.")
            signer.status = TRUSTED
            return signer
    for entry in _active(entries):
        if entry.get("installation") == signer.installation:
            raise SignerRefused(display, "changed", signer,
                                f"nơi gửi «{entry.get('office', '')}» đã được tin cậy với một khóa khác (mã khóa "
                                f"{entry.get('fingerprint', '')}), nhưng gói này được ký bằng khóa mới "
                                f"{signer.fingerprint}. Có thể gói bị giả mạo. Nếu nơi gửi thật sự đã tạo khóa "
                                "mới, hãy gọi điện đối chiếu mã khóa mới, thu hồi khóa cũ (cds-desktop keys "
                                "revoke) rồi nhập lại.")
    if trust_new:
        signer.status = NEW
        return signer
    name = fold(signer.office)
    namesakes = [e for e in _active(entries) if name and fold(e.get("office", "")) == name]
    warning = (f" Lưu ý: đã có {len(namesakes)} máy khác cùng tên «{signer.office}» được tin cậy với khóa khác "
               "(ví dụ máy xách tay của cùng cơ quan) — hãy đối chiếu mã khóa thật cẩn thận.") if namesakes else ""
    raise SignerRefused(display, "unknown", signer,
                        f"gói được ký bởi nơi gửi chưa được tin cậy: {_describe(signer)}. Hãy gọi điện cho nơi gửi "
                        "để đối chiếu mã khóa; nếu đúng, chọn «Tin cậy và kiểm tra» trong màn hình Trao đổi dữ liệu, "
                        "hoặc thêm «--trust» vào lệnh import-package." + warning)


def trust_signer(data_dir: Path, signer: Signer) -> bool:
    """Remember *signer*'s key as trusted (False when it already was)."""
    entries = load_trust(data_dir)
    key = b64(signer.public_key)
    if any(e["public_key"] == key and not e.get("revoked_at") for e in entries):
        return False
    entries = [e for e in entries if e["public_key"] != key]
    entries.append({"office": nfc(signer.office), "installation": signer.installation, "public_key": key,
                    "fingerprint": signer.fingerprint, "trusted_at": utcnow().isoformat(), "revoked_at": None})
    _save(data_dir, entries)
    log.info("Trusted office %s (%s)", signer.office, signer.fingerprint)
    return True


def revoke(data_dir: Path, ref: str) -> list[dict[str, Any]]:
    """Revoke the trusted key(s) named by *ref* (a fingerprint, or an office's name); returns them."""
    entries = load_trust(data_dir)
    wanted = normal_fingerprint(ref)
    name = fold(ref)
    hits = [e for e in _active(entries)
            if (wanted and e.get("fingerprint") == wanted) or (not wanted and fold(e.get("office", "")) == name)]
    if not hits:
        raise ExchangeError(f"Không có nơi gửi tin cậy nào có mã khóa hoặc tên «{ref}».")
    when = utcnow().isoformat()
    for entry in hits:
        entry["revoked_at"] = when
    _save(data_dir, entries)
    return hits


def signer_from_key_file(path: Path) -> Signer:
    """The signer described by a public key file (``keys export``)."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        if data.get("format") != "cds-desktop-office-key":
            raise ValueError("không phải tệp khóa của CĐS Desktop")
        public = unb64(data["public_key"])
        if len(public) != 32:
            raise ValueError("khóa công khai không hợp lệ")
        return Signer(nfc(str(data.get("office", ""))), str(data.get("installation", "")), public)
    except FileNotFoundError as exc:
        raise NotFoundError(f"Không tìm thấy tệp khóa «{Path(path).name}».") from exc
    except OSError as exc:
        raise ExchangeError(f"Không đọc được tệp khóa «{Path(path).name}»: {os_reason(exc)}.") from exc
    except ValueError as exc:  # our own reasons, or JSON that does not parse
        reason = str(exc) if str(exc).startswith(("không", "khóa")) else "không phải tệp khóa của CĐS Desktop"
        raise RejectedFile(Path(path).name, reason + ".") from exc
    except (KeyError, TypeError, AttributeError) as exc:
        raise RejectedFile(Path(path).name, "không phải tệp khóa của CĐS Desktop.") from exc


def key_file_data(data_dir: Path, office: str, installation: str) -> dict[str, Any]:
    """What ``keys export`` writes: this office's public key, to send ahead of the packages."""
    key = load_office_key(data_dir)
    assert key is not None
    return {"format": "cds-desktop-office-key", "algorithm": "Ed25519", "office": office,
            "installation": installation, "public_key": b64(key.public_key), "fingerprint": key.fingerprint}
