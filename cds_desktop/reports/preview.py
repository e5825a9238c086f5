"""Page images of a rendered PDF, for the preview and for printing (Qt-free).

Backends, tried in order:

1. ``pypdfium2`` (PDFium in a PyPI wheel: works on Windows with nothing else installed);
2. ``pdftoppm`` from poppler-utils, when it is on the PATH (Linux, CI).

When neither is there, :class:`PreviewUnavailable` says so in Vietnamese and the
screen falls back to opening the PDF in the system's viewer.
"""

from __future__ import annotations

import logging
import shutil
import subprocess
from pathlib import Path

from cds_desktop.services.common import ServiceError

log = logging.getLogger(__name__)


class PreviewUnavailable(ServiceError):
    """No way to turn PDF pages into images on this machine."""


def backend() -> str | None:
    """"pdfium", "pdftoppm", or None."""
    try:
        import pypdfium2  # noqa: F401
    except ImportError:
        pass
    else:
        return "pdfium"
    return "pdftoppm" if shutil.which("pdftoppm") else None


def _pdfium(pdf: Path, out_dir: Path, dpi: int, first: int, last: int | None) -> list[Path]:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(str(pdf))
    try:
        count = len(document)
        stop = count if last is None else min(last, count)
        paths = []
        for index in range(first - 1, stop):
            page = document[index]
            bitmap = page.render(scale=dpi / 72)
            path = out_dir / f"page-{index + 1:03d}.png"
            bitmap.to_pil().save(path)
            paths.append(path)
            page.close()
        return paths
    finally:
        document.close()


def _pdftoppm(pdf: Path, out_dir: Path, dpi: int, first: int, last: int | None) -> list[Path]:
    exe = shutil.which("pdftoppm")
    assert exe is not None
    command = [exe, "-r", str(dpi), "-png", "-f", str(first)]
    if last is not None:
        command += ["-l", str(last)]
    subprocess.run(command + [str(pdf), str(out_dir / "page")], check=True, capture_output=True, timeout=300)
    # pdftoppm numbers pages with as many digits as the page count needs: sort by number.
    pages = sorted(out_dir.glob("page-*.png"), key=lambda p: int(p.stem.rsplit("-", 1)[1]))
    return pages


def pdf_page_images(pdf: str | Path, out_dir: str | Path, dpi: int = 80, first: int = 1,
                    last: int | None = None) -> list[Path]:
    """PNG images of the pages *first*..*last* of *pdf* in *out_dir* (emptied first), in page order."""
    pdf, folder = Path(pdf), Path(out_dir)
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("page-*.png"):
        old.unlink()
    chosen = backend()
    if chosen is None:
        raise PreviewUnavailable(
            "Máy này chưa có công cụ hiển thị trang PDF; hãy bấm «Mở tệp» để xem bằng chương trình đọc PDF."
        )
    try:
        pages = (_pdfium if chosen == "pdfium" else _pdftoppm)(pdf, folder, dpi, first, last)
    except (OSError, subprocess.SubprocessError) as exc:
        log.warning("Rendering %s to images with %s failed", pdf, chosen, exc_info=True)
        raise PreviewUnavailable(f"Không tạo được ảnh xem trước ({exc}); hãy bấm «Mở tệp».") from exc
    log.info("Rendered %d page image(s) of %s with %s at %d dpi", len(pages), pdf, chosen, dpi)
    return pages
