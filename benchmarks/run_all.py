"""Run every benchmark (benchmarks/bench_*.py) in turn and print its figures.

    python benchmarks/run_all.py [name-filter]
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main(argv: list[str]) -> int:
    wanted = argv[0] if argv else ""
    failures = 0
    for script in sorted(HERE.glob("bench_*.py")):
        if wanted not in script.stem:
            continue
        print(f"=== {script.stem}", flush=True)
        code = subprocess.call([sys.executable, str(script)], cwd=HERE.parent)
        failures += code != 0
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
