"""Helpers shared by the exchange tests (no tests here): a demo database with
progress and evidence built once, cheap clones of it with their own
installation id, and a corpus of crafted hostile zip files."""

from __future__ import annotations

import atexit
import hashlib
import io
import json
import shutil
import sqlite3
import struct
import tempfile
import warnings
import zipfile
from datetime import date
from functools import cache
from pathlib import Path

from cds_desktop.database import Database, open_database
from cds_desktop.models import new_uuid
from support import postgres
from support.databases import copy_data_dir as _copy_data_dir
from support.databases import database_state, new_installation_url, session_templates

SEAL = b"CDSPKG1:" + b"0" * 64


@cache
def template_dir() -> Path:
    """A data directory with the demo plan, its progress and two evidence files (built once)."""
    from sqlalchemy import select

    from cds_desktop.models import Item, TaskProgress
    from cds_desktop.services.evidence import attach_files

    root = Path(tempfile.mkdtemp(prefix="cds-exchange-template-"))
    atexit.register(shutil.rmtree, root, ignore_errors=True)
    with postgres.prefix(postgres.worker_prefix() + "keep_"):  # outlives the test that builds it
        # the session's demo-with-progress template under an installation id of its own
        _copy_data_dir(session_templates().path("progress"), root / "data")
        db = open_database(root / "data")
    try:
        files = root / "files"
        files.mkdir()
        (files / "QĐ 12-QĐ-UBND.pdf").write_bytes(b"%PDF-1.4\n" + b"quyet dinh " * 300)
        (files / "anh hop thon.jpg").write_bytes(bytes(range(256)) * 40)
        with db.session() as session:
            item = session.scalar(select(Item.uuid).order_by(Item.id).limit(1))
            progress = session.scalar(select(TaskProgress.uuid).order_by(TaskProgress.id).limit(1))
        attach_files(db, [files / "QĐ 12-QĐ-UBND.pdf"], [("item", item)], source="test")
        attach_files(db, [files / "anh hop thon.jpg"], [("task_progress", progress)], source="test")
    finally:
        db.close()
    return root / "data"


@cache
def template_package() -> Path:
    """The template database exported as a package (built once)."""
    from cds_desktop.exchange import export_package

    db = open_database(template_dir())
    try:
        return export_package(db, template_dir().parent / "template.cdspkg").path
    finally:
        db.close()


@cache
def _clone_template() -> Path:
    """An empty database that imported the template package (built once)."""
    from cds_desktop.exchange import import_package

    dest = template_dir().parent / "clone"
    with postgres.prefix(postgres.worker_prefix() + "keep_"):  # outlives the test that builds it
        db = open_database(dest)
    try:
        import_package(db, template_package(), trust_new=True)
    finally:
        db.close()
    return dest


def clone_db(dest: Path) -> Database:
    """A new copy of the template data: an empty database that imported the template package
    (a copy of one built once, under its own installation id)."""
    _copy_data_dir(_clone_template(), dest)
    return open_database(dest)


def copy_data_dir(source: Path, dest: Path) -> Database:
    """A byte copy of a data directory under a new installation id (a cloned PC)."""
    shutil.copytree(source, dest)
    if postgres.copy_database(dest):
        new_installation_url(dest, rows=False)
        return open_database(dest)
    with sqlite3.connect(dest / "cds.sqlite") as conn:
        conn.execute("UPDATE settings SET value = ? WHERE key = 'installation_id'", (json.dumps(new_uuid()),))
    return open_database(dest)


def file_state(path: Path) -> tuple[str, int]:
    """The database file's content (its data directory's database on a server: ``database_state``)."""
    if path.name == "cds.sqlite" and postgres.settings_database(path.parent) is not None:
        return database_state(path.parent), 0
    data = path.read_bytes()
    return hashlib.sha256(data).hexdigest(), len(data)


def today() -> date:
    return date(2026, 6, 20)


# --------------------------------------------------------------------------
# Hostile zips


def plain_zip(members: list[tuple[str, bytes]], comment: bytes = SEAL, *, compress: int = zipfile.ZIP_DEFLATED,
              symlink: str | None = None) -> bytes:
    buffer = io.BytesIO()
    with warnings.catch_warnings(), zipfile.ZipFile(buffer, "w", compression=compress) as zf:
        warnings.simplefilter("ignore")  # duplicate names are the point of some of these
        for name, data in members:
            info = zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0))
            info.compress_type = compress
            if symlink and name == symlink:
                info.external_attr = (0o120777 << 16)
                info.create_system = 3
            zf.writestr(info, data)
        zf.comment = comment
    return buffer.getvalue()


def _raw_name_zip(raw_name: bytes, data: bytes = b"x") -> bytes:
    """A zip whose single member has exactly *raw_name* as its name bytes (any byte allowed)."""
    placeholder = b"P" * len(raw_name)
    blob = plain_zip([(placeholder.decode(), data)], compress=zipfile.ZIP_STORED)
    return blob.replace(placeholder, raw_name)


def overlapping_zip() -> bytes:
    """Two central directory entries pointing at the same local header (an overlap bomb)."""
    blob = bytearray(plain_zip([("records/a.jsonl", b"a" * 100), ("records/b.jsonl", b"b" * 100)],
                               compress=zipfile.ZIP_STORED))
    second_cd = blob.rfind(b"PK\x01\x02")
    struct.pack_into("<L", blob, second_cd + 42, 0)  # its local header offset -> the first member's
    return bytes(blob)


def lying_size_zip() -> bytes:
    """A deflated manifest whose headers declare 10 bytes but which inflates to 1 MB."""
    payload = b"A" * (1 << 20)
    blob = bytearray(plain_zip([("manifest.json", payload)]))
    for sig, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        at = blob.find(sig)
        struct.pack_into("<L", blob, at + offset, 10)
    return bytes(blob)


def bomb_zip(size: int = 200 << 20) -> bytes:
    """A zip bomb: *size* bytes of zeros deflated to a few hundred KB."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        info = zipfile.ZipInfo("records/items.jsonl", date_time=(2026, 1, 1, 0, 0, 0))
        info.compress_type = zipfile.ZIP_DEFLATED
        with zf.open(info, "w") as member:
            chunk = b"\0" * (1 << 20)
            for _ in range(size // len(chunk)):
                member.write(chunk)
        zf.comment = SEAL
    return buffer.getvalue()


def many_entries_zip(count: int) -> bytes:
    return plain_zip([(f"evidence/{i:064x}", b"") for i in range(count)], compress=zipfile.ZIP_STORED)


@cache
def hostile_corpus() -> dict[str, bytes]:
    """Crafted archives, each of which must be rejected (name → bytes)."""
    corpus = {
        "absolute.cdspkg": plain_zip([("/etc/passwd", b"x")]),
        "drive.cdspkg": plain_zip([("C:/Windows/win.ini", b"x")]),
        "dotdot.cdspkg": plain_zip([("records/../../escape.txt", b"x")]),
        "dotdot-leading.cdspkg": plain_zip([("../escape.txt", b"x")]),
        "backslash.cdspkg": _raw_name_zip(b"records\\..\\..\\x.jsonl"),
        "colon.cdspkg": plain_zip([("records/a:b.jsonl", b"x")]),
        "control.cdspkg": _raw_name_zip(b"records/a\x07b.jsonl"),
        "nul.cdspkg": _raw_name_zip(b"records/a\x00b.jsonl"),
        "reserved-con.cdspkg": plain_zip([("records/CON", b"x")]),
        "reserved-nul.cdspkg": plain_zip([("evidence/nul.txt", b"x")]),
        "reserved-com1.cdspkg": plain_zip([("Com1.jsonl", b"x")]),
        "trailing-dot.cdspkg": plain_zip([("records/items.jsonl.", b"x")]),
        "trailing-space.cdspkg": plain_zip([("records/items.jsonl ", b"x")]),
        "symlink.cdspkg": plain_zip([("records/items.jsonl", b"/etc/passwd")], symlink="records/items.jsonl"),
        "case-collision.cdspkg": plain_zip([("records/items.jsonl", b"a"), ("records/ITEMS.jsonl", b"b")]),
        "nfc-collision.cdspkg": plain_zip([("evidence/Tho\u0302n.txt", b"a"), ("evidence/Th\u00f4n.txt", b"b")]),
        "duplicate.cdspkg": plain_zip([("manifest.json", b"{}"), ("manifest.json", b"{}")]),
        "overlap.cdspkg": overlapping_zip(),
        "lying-size.cdspkg": lying_size_zip(),
        "bomb.cdspkg": bomb_zip(),
        "too-many.cdspkg": many_entries_zip(210_000),
        "unsealed.cdspkg": plain_zip([("manifest.json", b"{}")], comment=b""),
        "not-a-zip.cdspkg": b"MZ" + b"\0" * 4000,
        "empty.cdspkg": b"",
    }
    return corpus


def _xlsx_with(replace: dict[str, bytes] | None = None, extra: list[tuple[str, bytes]] | None = None) -> bytes:
    """A real (openpyxl) workbook with some members replaced or added."""
    from openpyxl import Workbook

    buffer = io.BytesIO()
    Workbook().save(buffer)
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for info in source.infolist():
            zf.writestr(info.filename, (replace or {}).get(info.filename, source.read(info.filename)))
        for name, data in extra or []:
            zf.writestr(name, data)
    return out.getvalue()


_LAUGHS = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
           + b"".join(b'<!ENTITY lol%d "%s">' % (n, (b"&lol%d;" % (n - 1) if n > 1 else b"&lol;") * 10)
                      for n in range(1, 10))
           + b']><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
           b'<row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row></sheetData></worksheet>')
_XXE = (b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        b'<row r="1"><c r="A1" t="inlineStr"><is><t>&xxe;</t></is></c></row></sheetData></worksheet>')


@cache
def hostile_workbooks() -> dict[str, bytes]:
    """Crafted .xlsx files, each of which must be rejected."""
    return {
        "billion-laughs.xlsx": _xlsx_with({"xl/worksheets/sheet1.xml": _LAUGHS}),
        "xxe.xlsx": _xlsx_with({"xl/worksheets/sheet1.xml": _XXE}),
        "traversal.xlsx": _xlsx_with(extra=[("../../evil.xml", b"<x/>")]),
        "bomb.xlsx": _xlsx_with(extra=[("xl/media/big.bin", b"\0" * (300 << 20))]),
        "not-ours.xlsx": _xlsx_with(),
        "garbage.xlsx": b"PK\x03\x04" + b"\xff" * 1000,
    }


def write_corpus(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, data in {**hostile_corpus(), **hostile_workbooks()}.items():
        path = folder / name
        path.write_bytes(data)
        paths.append(path)
    return paths


def stranger_key(tmp_path: Path):
    """The office key of a data folder nobody trusts yet (a hostile sender's own key)."""
    from cds_desktop.exchange.office_keys import load_office_key

    return load_office_key(tmp_path / "stranger")


def rewrite_package(source: Path, target: Path, edit, key=None, office: str | None = None,
                    signature: bytes | None = None) -> Path:
    """Re-pack *source* after ``edit(records: {table: [dict]}, manifest)`` and seal it properly:
    a well-formed package with crafted content (what a hostile sender could make).  Signed with
    *key* (an ``OfficeKey``) under *office* (default: the manifest's) when given; else carrying
    *signature* as its ``signature.json`` (bytes) when given; else unsigned."""
    from cds_desktop.exchange import package_format as fmt
    from cds_desktop.exchange.package_sign import signature_member
    from cds_desktop.exchange.zipsafe import PACKAGE_LIMITS, open_checked

    with zipfile.ZipFile(source) as zf:
        manifest = json.loads(zf.read(fmt.MANIFEST))
        records = {name[len(fmt.RECORDS_PREFIX):-len(".jsonl")]: [json.loads(line) for line in
                                                                   zf.read(name).decode().splitlines() if line]
                   for name in zf.namelist() if name.startswith(fmt.RECORDS_PREFIX)}
        evidence = {name: zf.read(name) for name in zf.namelist() if name.startswith(fmt.EVIDENCE_PREFIX)}
    edit(records, manifest)
    members, tables = [], {}
    with zipfile.ZipFile(target, "w") as zf:
        for table, rows in records.items():
            name = f"{fmt.RECORDS_PREFIX}{table}.jsonl"
            data = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows).encode()
            zf.writestr(zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0)), data, zipfile.ZIP_DEFLATED)
            members.append({"name": name, "size": len(data), "sha256": hashlib.sha256(data).hexdigest()})
            tables[table] = {"member": name, "count": len(rows)}
        for name, data in evidence.items():
            zf.writestr(zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0)), data, zipfile.ZIP_STORED)
            members.append({"name": name, "size": len(data), "sha256": hashlib.sha256(data).hexdigest()})
        manifest.update(members=members, tables=tables)
        data = json.dumps(manifest, ensure_ascii=False).encode()
        zf.writestr(zipfile.ZipInfo(fmt.MANIFEST, date_time=(2026, 1, 1, 0, 0, 0)), data, zipfile.ZIP_DEFLATED)
        if key is not None:
            origin = manifest["source"]
            signature = signature_member(key, data, origin["commune"] if office is None else office,
                                         origin["installation"])
        if signature is not None:
            zf.writestr(zipfile.ZipInfo(fmt.SIGNATURE, date_time=(2026, 1, 1, 0, 0, 0)), signature,
                        zipfile.ZIP_DEFLATED)
        zf.comment = fmt.PLACEHOLDER_SEAL
    with open(target, "r+b") as fh:
        checked = open_checked(fh, target.name, PACKAGE_LIMITS, strict_layout=True)
        digest = fmt.seal_digest(fh, checked.data_ranges, checked.file_size, hashlib.sha256(data).hexdigest())
        checked.close()
        fh.seek(-fmt.SEAL_LENGTH, 2)
        fh.write(fmt.SEAL_PREFIX + digest.encode())
    return target
