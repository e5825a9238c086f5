"""The floor of a package import's database half: parse every record of an unzipped
package (``records/*.jsonl``) with ``json`` and insert them with ``sqlite3``
``executemany``, one table per file, in one transaction, with the app's durability
settings (WAL, synchronous=FULL) and its import's page cache (48 MiB).  No checks, no merge: the least any import of the
same records must do.

    python benchmarks/floor_insert.py UNZIPPED_FOLDER DATABASE_FILE [SCHEMA_DATABASE]

With *SCHEMA_DATABASE* (an app database, e.g. a fresh data folder's ``cds.sqlite``)
the records go into empty tables made by its schema: the app's real tables, with the
same indexes and unique constraints the import has to maintain (the honest floor,
since 26/11/2026; a reference to another record stays its uuid text, where the app
stores an integer id).  Without it, into bare tables made from each file's columns
(the floor before: no index to maintain).
"""

from __future__ import annotations

import json
import sqlite3
import sys
from itertools import islice
from pathlib import Path

CACHE_KIB = 48 * 1024


def main(folder: str, database: str, schema: str | None = None) -> int:
    conn = sqlite3.connect(database)
    if schema:
        source = sqlite3.connect(schema)
        statements = [row[0] for row in source.execute(
            "SELECT sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%' ORDER BY rowid")]
        source.close()
        conn.executescript("BEGIN;\n" + ";\n".join(statements) + ";\nCOMMIT;")  # one commit, not one per table
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute(f"PRAGMA cache_size=-{CACHE_KIB}")  # as the app's import (exchange/packages.py BIG_CACHE_KIB)
    with conn:
        for path in sorted(Path(folder, "records").glob("*.jsonl")):
            with open(path, "rb") as fh:
                first = fh.readline()
                if not first:
                    continue
                columns = [c for c in json.loads(first) if not c.startswith("_")]
                if schema:
                    existing = {row[1] for row in conn.execute(f'PRAGMA table_info("{path.stem}")')}
                    columns = [c for c in columns if c in existing]
                else:
                    conn.execute(f'CREATE TABLE "{path.stem}" ({", ".join(f"{c!r}" for c in columns)})')
                sql = (f'INSERT INTO "{path.stem}" ({", ".join(f"{c!r}" for c in columns)}) '
                       f'VALUES ({", ".join("?" for _ in columns)})')
                fh.seek(0)
                while True:
                    batch = [json.loads(line) for line in islice(fh, 5000)]
                    if not batch:
                        break
                    conn.executemany(sql, [tuple(_plain(r.get(c)) for c in columns) for r in batch])
    conn.close()
    return 0


def _plain(value):
    return json.dumps(value, ensure_ascii=False) if isinstance(value, dict | list) else value


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:4]))
