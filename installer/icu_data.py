"""Linux build: a smaller ICU data library for the frozen app (used by installer/cds_desktop.spec).

Qt Core links ICU on Linux, and the PySide6 wheel's ``libicudata.so.NN`` is 31 MiB: the data of
every language ICU knows (collation, break rules, names of languages, currencies, units and time
zones in some 800 locales), the legacy character-set converters and the transliterators.  Qt uses
ICU for collation (QCollator, locale-aware sorting), case mapping, time-zone names and text codecs;
the app shows Vietnamese (and Qt's English fallbacks) and reads text with Python's codecs.

``trimmed_icu_data`` rebuilds the library with only the root, English and Vietnamese locale data,
no ``.cnv`` converters (UTF-8/16/32, ASCII and Latin-1 are built into ICU's code), no
transliterators and no character-name table (``unames.icu``): 7 MiB.  Everything else (break
iterator rules and dictionaries, normalisation, time-zone rules, plural and number rules, the
supplemental data) is kept.  Vietnamese collation, upper-casing and time-zone names give the same
results with it (tests/test_installer_icu.py).

Tools: ``icupkg`` (Debian: icu-devtools) lists and removes the data items and checks that nothing
kept depends on something removed; ``readelf``, ``as`` and ``ld`` (binutils) read the original
library and link the new one (the data included with ``.incbin``, exported under the same symbol
``icudtNN_dat`` that libicuuc needs).  When a tool is missing the original is kept.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

KEPT_LANGUAGES = frozenset({"root", "en", "vi"})
TOOLS = ("icupkg", "readelf", "as", "ld")
# a locale's data file: language, then optional script, region, variant ("de_", "es__TRADITIONAL"
# are the collation aliases of German and Spanish)
LOCALE_ITEM = re.compile(r"^([a-z]{2,3}|root)(_[A-Za-z0-9_]*)?\.res$")
SHARED_ITEMS = frozenset({"res_index.res", "pool.res"})  # each tree's index and string pool


def dropped(item: str) -> bool:
    """Whether the ICU data item *item* ("coll/de.res", "ibm-943_P15A-2003.cnv") is left out."""
    folder, _, name = item.rpartition("/")
    if name.endswith(".cnv") or folder == "translit" or name == "unames.icu":
        return True
    if name.endswith(".dict") or name in SHARED_ITEMS:
        return False  # break dictionaries: brkitr/root.res refers to each of them
    match = LOCALE_ITEM.match(name)
    return match is not None and match.group(1) not in KEPT_LANGUAGES


def _run(*args: str) -> str:
    return subprocess.run(args, check=True, capture_output=True, text=True).stdout


def _data_blob(library: Path) -> tuple[str, bytes]:
    """The symbol (icudt73_dat) and bytes of the ICU common data inside *library*."""
    symbols = re.findall(r":\s+([0-9a-f]+)\s+(0x[0-9a-f]+|\d+)\s+OBJECT\s+GLOBAL\s+\w+\s+\d+\s+(icudt\d+_dat)\b",
                         _run("readelf", "--dyn-syms", "-W", str(library)))
    if len(symbols) != 1:
        raise ValueError(f"{library.name}: no single icudtNN_dat symbol")
    address, size, symbol = int(symbols[0][0], 16), int(symbols[0][1], 0), symbols[0][2]
    for line in _run("readelf", "-l", "-W", str(library)).splitlines():
        fields = line.split()
        if fields[:1] == ["LOAD"]:
            offset, vaddr, file_size = int(fields[1], 16), int(fields[2], 16), int(fields[4], 16)
            if vaddr <= address and address + size <= vaddr + file_size:
                start = offset + address - vaddr
                return symbol, library.read_bytes()[start:start + size]
    raise ValueError(f"{library.name}: {symbol} is in no loaded segment")


def trimmed_icu_data(library: Path, work: Path) -> Path | None:
    """A copy of *library* (libicudata.so.NN) with only the data the app uses, built in *work*;
    None (keep the original) when a tool is missing or anything fails."""
    missing = [tool for tool in TOOLS if shutil.which(tool) is None]
    if missing:
        print(f"WARNING: {', '.join(missing)} missing (apt-get install icu-devtools binutils): "
              f"the full ICU data is kept ({library.stat().st_size / 2**20:.0f} MiB)")
        return None
    work = work / "icu"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    try:
        symbol, blob = _data_blob(library)
        # icupkg wants the file named as the package its items are in: icudt73l (l: little-endian)
        package = symbol.removesuffix("_dat") + ("l" if sys.byteorder == "little" else "b")
        full, trimmed = work / "full" / f"{package}.dat", work / f"{package}.dat"
        full.parent.mkdir()
        full.write_bytes(blob)
        items = _run("icupkg", "-l", str(full)).split()
        (work / "dropped.txt").write_text("".join(f"{item}\n" for item in items if dropped(item)))
        # icupkg refuses (non-zero) when a kept item depends on a dropped one
        _run("icupkg", "-r", str(work / "dropped.txt"), str(full), str(trimmed))
        (work / "data.S").write_text(
            '\t.section .note.GNU-stack,"",%progbits\n\t.section .rodata\n'
            f"\t.globl {symbol}\n\t.type {symbol},%object\n\t.balign 16\n{symbol}:\n"
            f'\t.incbin "{trimmed}"\n\t.size {symbol}, .-{symbol}\n')
        _run("as", "-o", str(work / "data.o"), str(work / "data.S"))
        output = work / library.name
        _run("ld", "-shared", "-soname", library.name, "-o", str(output), str(work / "data.o"))
    except (OSError, ValueError, subprocess.CalledProcessError) as error:
        detail = getattr(error, "stderr", "") or error
        print(f"WARNING: the ICU data could not be trimmed, the full data is kept: {detail}")
        return None
    print(f"ICU data: {library.stat().st_size / 2**20:.1f} -> {output.stat().st_size / 2**20:.1f} MiB")
    return output
