"""Render the app icon from its SVG: resources/icons/cds-desktop.ico (the sizes Windows uses:
16, 24, 32, 48, 64, 128, 256) and resources/icon.png (256 px, the window icon).

    python tools/make_icons.py            # writes the files
    python tools/make_icons.py --check    # exits 1 when the files are not what the SVGs give

The 16 and 24 pixel images come from cds-desktop-small.svg (no thin lines to blur);
the others from cds-desktop.svg.  Qt's QSvgRenderer draws, Pillow writes the .ico.
"""

from __future__ import annotations

import io
import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parent.parent
ICONS = ROOT / "resources" / "icons"
SIZES = (16, 24, 32, 48, 64, 128, 256)
SMALL = 24  # this size and below: the simplified drawing


def render(svg: Path, size: int):
    """The SVG drawn at *size* × *size* pixels, as a Pillow RGBA image."""
    from PIL import Image
    from PySide6.QtCore import QBuffer, QIODevice, Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    _app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise SystemExit(f"{svg}: not a valid SVG")
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    renderer.render(painter)
    painter.end()
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return Image.open(io.BytesIO(bytes(buffer.data()))).convert("RGBA")


def build() -> dict[Path, bytes]:
    images = {size: render(ICONS / ("cds-desktop-small.svg" if size <= SMALL else "cds-desktop.svg"), size)
              for size in SIZES}
    ico = io.BytesIO()
    largest = images[max(SIZES)]
    largest.save(ico, format="ICO", sizes=[(s, s) for s in SIZES],
                 append_images=[images[s] for s in SIZES if s != max(SIZES)])
    png = io.BytesIO()
    largest.save(png, format="PNG", optimize=True)
    return {ICONS / "cds-desktop.ico": ico.getvalue(), ROOT / "resources" / "icon.png": png.getvalue()}


def main(argv: list[str]) -> int:
    files = build()
    if "--check" in argv:
        stale = [path for path, data in files.items() if not path.exists() or path.read_bytes() != data]
        for path in stale:
            print(f"{path.relative_to(ROOT)} is not what the SVG gives: run python tools/make_icons.py")
        return 1 if stale else 0
    for path, data in files.items():
        path.write_bytes(data)
        print(f"{path.relative_to(ROOT)}: {len(data)} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
