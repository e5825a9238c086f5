"""Signing a package over its manifest, and checking that signature.

The manifest already holds the SHA-256 and size of every other member, so signing the
manifest signs the whole package.  The signature is the member ``signature.json``,
written after the manifest (and covered by the seal like every deflated member)::

    {"format": "cds-desktop-signature", "version": 1, "algorithm": "Ed25519",
     "office": "Xã Bát Tràng", "installation": "<uuid>", "public_key": "<base64, 32 bytes>",
     "manifest_sha256": "<hex>", "signature": "<base64, 64 bytes>"}

The signature is Ed25519 over the canonical JSON (keys sorted, no spaces, UTF-8) of every
field but ``signature``: the office's name and installation travel signed too.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from cds_desktop.exchange import package_format as fmt
from cds_desktop.exchange.errors import RejectedFile
from cds_desktop.exchange.office_keys import ALGORITHM, OfficeKey, b64, unb64, verify
from cds_desktop.exchange.trust import Signer
from cds_desktop.exchange.zipsafe import CheckedZip, read_member
from cds_desktop.text import nfc

FORMAT = "cds-desktop-signature"
VERSION = 1
MAX_SIGNATURE = 64 << 10


def canonical(payload: dict[str, Any]) -> bytes:
    return json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def signature_member(key: OfficeKey, manifest_data: bytes, office: str, installation: str) -> bytes:
    """The bytes of ``signature.json`` for a manifest."""
    payload = {"format": FORMAT, "version": VERSION, "algorithm": ALGORITHM, "office": nfc(office),
               "installation": installation, "public_key": b64(key.public_key),
               "manifest_sha256": hashlib.sha256(manifest_data).hexdigest()}
    payload["signature"] = b64(key.sign(canonical(payload)))
    return json.dumps(payload, ensure_ascii=False, indent=1).encode("utf-8")


def check_signature(checked: CheckedZip, manifest: dict[str, Any]) -> Signer | None:
    """The verified signer of the package, None when it carries no signature; a signature
    that does not verify raises :class:`RejectedFile`."""
    if checked.info(fmt.SIGNATURE) is None:
        return None
    display = checked.display
    manifest_sha = hashlib.sha256(read_member(checked, fmt.MANIFEST, fmt.MAX_MANIFEST)).hexdigest()
    bad = "chữ ký số của gói không hợp lệ — gói đã bị sửa sau khi ký, hoặc chữ ký bị giả mạo"
    try:
        data = json.loads(read_member(checked, fmt.SIGNATURE, MAX_SIGNATURE))
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise ValueError("not a signature")
        if data.get("version") != VERSION or data.get("algorithm") != ALGORITHM:
            raise RejectedFile(display, f"chữ ký số theo thuật toán «{str(data.get('algorithm'))[:20]}» chưa được "
                                        "hỗ trợ; hãy cập nhật phần mềm.")
        signature = unb64(data.pop("signature"))
        public_key = unb64(data["public_key"])
        office, installation = data["office"], data["installation"]
        if not isinstance(office, str) or not isinstance(installation, str) or len(public_key) != 32:
            raise ValueError("bad fields")
    except RejectedFile:
        raise
    except (ValueError, KeyError, TypeError, AttributeError, RecursionError, UnicodeDecodeError) as exc:
        raise RejectedFile(display, f"{bad} (không đọc được «{fmt.SIGNATURE}»).") from exc
    if not verify(public_key, signature, canonical(data)):
        raise RejectedFile(display, f"{bad}.")
    if data.get("manifest_sha256") != manifest_sha:
        raise RejectedFile(display, f"{bad}: bảng kê (manifest.json) đã bị thay đổi sau khi ký.")
    if installation != manifest["source"]["installation"]:
        raise RejectedFile(display, f"{bad}: chữ ký thuộc về một máy khác với nơi tạo gói ghi trong bảng kê.")
    return Signer(nfc(office), installation, public_key)
