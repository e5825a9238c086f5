"""Evidence files for the benchmarks: random content (incompressible, like scans and photos), sizes
log-uniform between 10 KiB and 50 MiB, as an officer's evidence folder holds them."""

from __future__ import annotations

import os
import random
from pathlib import Path

MB = 1024 * 1024


def make_files(folder: Path, total_mb: int, seed: int = 2026, exts: tuple[str, ...] = ("pdf",)) -> list[Path]:
    """Files adding up to *total_mb* MiB in *folder*, named ``minh-chung-NNNN.EXT`` (EXT drawn from *exts*)."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    budget, paths = total_mb * MB, []
    while budget > 0:
        size = max(1, min(budget, int(10 * 1024 * (5000 ** rng.random()))))
        ext = rng.choice(exts) if len(exts) > 1 else exts[0]
        path = folder / f"minh-chung-{len(paths):04d}.{ext}"
        with open(path, "wb") as fh:
            left = size
            while left:
                chunk = os.urandom(min(left, 4 * MB))
                fh.write(chunk)
                left -= len(chunk)
        paths.append(path)
        budget -= size
    return paths
