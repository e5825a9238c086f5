"""``cds-desktop backup --out F`` and ``cds-desktop restore F``: one-file backups of the data
folder (database and evidence store), verified before anything is replaced."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from cds_desktop.commands.registry import command, print_json


def _configure_backup(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--out", metavar="TỆP", required=True, help="tệp sao lưu sẽ ghi (.cdsbak)")
    parser.add_argument("--force", action="store_true", help="ghi đè nếu tệp đã có")
    parser.add_argument("--json", action="store_true", help="in kết quả dạng JSON")


def _configure_restore(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", metavar="TỆP", help="tệp sao lưu (.cdsbak)")
    parser.add_argument("--check", action="store_true", help="chỉ kiểm tra tệp sao lưu, không khôi phục")
    parser.add_argument("--json", action="store_true", help="in kết quả dạng JSON")


def _sqlite_paths(args: argparse.Namespace):
    from cds_desktop.paths import app_paths
    from cds_desktop.services.backup import BackupError

    if getattr(args, "db_url", None) and not str(args.db_url).startswith("sqlite"):
        raise BackupError("Sao lưu trong phần mềm dành cho dữ liệu SQLite trên máy này; với PostgreSQL "
                          "hãy dùng pg_dump của máy chủ.")
    return app_paths(args.data_dir)


def _summary(info) -> dict:
    return {"file": str(info.path), "created_at": info.created_at.isoformat(), "schema": info.schema,
            "plans": info.plans, "evidence_files": info.evidence_count, "bytes": info.total_bytes,
            "skipped": info.skipped}


@command("backup", "sao lưu dữ liệu (cơ sở dữ liệu và kho minh chứng) vào một tệp .cdsbak", _configure_backup)
def backup_command(args: argparse.Namespace) -> int:
    from cds_desktop import __version__
    from cds_desktop.services.backup import create_backup

    paths = _sqlite_paths(args)
    out = Path(args.out)
    if out.suffix.lower() != ".cdsbak":
        out = out.with_name(out.name + ".cdsbak")
    info = create_backup(paths.db_file, paths.evidence_dir, out, app_version=__version__, overwrite=args.force)
    if args.json:
        print_json(_summary(info))
    else:
        print(f"{info.describe()} → {info.path}")
        if info.skipped:
            print(f"Bỏ qua {len(info.skipped)} tệp minh chứng bị hỏng trong kho (xem nhật ký).", file=sys.stderr)
    return 0


@command("restore", "khôi phục dữ liệu từ tệp sao lưu .cdsbak (kiểm tra trước, giữ lại dữ liệu hiện tại)",
         _configure_restore)
def restore_command(args: argparse.Namespace) -> int:
    from cds_desktop import __version__
    from cds_desktop.services.backup import restore_backup, verify_backup

    if args.check:
        info = verify_backup(Path(args.file))
        if args.json:
            print_json(_summary(info) | {"ok": True})
        else:
            print(f"Tệp sao lưu nguyên vẹn. {info.describe()}.")
        return 0
    paths = _sqlite_paths(args)
    result = restore_backup(paths, Path(args.file), app_version=__version__)
    if args.json:
        print_json(_summary(result.info) | {"kept": str(result.kept) if result.kept else None})
    else:
        print(result.describe())
    return 0
