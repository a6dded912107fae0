"""PDF copies through LibreOffice, and PNG pages through poppler's ``pdftoppm``.

LibreOffice runs with a private profile directory per call, so that conversions started at the same time
(web workers, parallel tests) do not fight over the user profile lock.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from piiplan.reports.errors import ReportError

MISSING_LIBREOFFICE = ("Không tìm thấy LibreOffice (lệnh «libreoffice» hoặc «soffice»), nên không xuất được "
                       "tệp PDF. Hãy cài LibreOffice (ví dụ: apt install libreoffice-writer) rồi thử lại; "
                       "tệp DOCX vẫn dùng được bình thường.")
MISSING_PDFTOPPM = "Không tìm thấy lệnh «pdftoppm» (gói poppler-utils), nên không chuyển được PDF sang ảnh PNG."


def find_libreoffice() -> str | None:
    """Path of the LibreOffice binary, or None."""
    return shutil.which("libreoffice") or shutil.which("soffice")


def to_pdf(path: str | Path, out_dir: str | Path, *, timeout: float = 180) -> Path:
    """Convert a DOCX/XLSX to PDF in ``out_dir``; return the PDF path. Raises ``ReportError`` in Vietnamese."""
    src = Path(path).resolve()
    if not src.exists():
        raise ReportError(f"Không tìm thấy tệp cần chuyển sang PDF: {src}")
    binary = find_libreoffice()
    if binary is None:
        raise ReportError(MISSING_LIBREOFFICE)
    out = Path(out_dir).resolve()
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="piiplan-lo-") as profile:
        cmd = [binary, f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
               "--convert-to", "pdf", "--outdir", str(out), str(src)]
        try:
            proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
        except subprocess.TimeoutExpired as exc:
            raise ReportError(f"LibreOffice không chuyển xong tệp {src.name} sang PDF sau {int(timeout)} giây.") \
                from exc
    pdf = out / (src.stem + ".pdf")
    if proc.returncode != 0 or not pdf.exists():
        detail = (proc.stderr or proc.stdout).strip()[-500:]
        raise ReportError(f"LibreOffice không chuyển được tệp {src.name} sang PDF. {detail}".strip())
    return pdf


def render_pages(pdf: str | Path, out_dir: str | Path, *, dpi: int = 60, prefix: str | None = None) -> list[Path]:
    """Render every page of ``pdf`` to PNG (``<prefix>-1.png`` …) and return the paths in page order."""
    binary = shutil.which("pdftoppm")
    if binary is None:
        raise ReportError(MISSING_PDFTOPPM)
    pdf = Path(pdf)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    stem = prefix or pdf.stem
    for old in out.glob(f"{stem}-*.png"):
        old.unlink()
    subprocess.run([binary, "-r", str(dpi), "-png", str(pdf), str(out / stem)], check=True, capture_output=True)
    pages = list(out.glob(f"{stem}-*.png"))
    return sorted(pages, key=lambda p: int(p.stem.rsplit("-", 1)[1]))


def page_count(pdf: str | Path) -> int:
    """Number of pages of a PDF (counted by ``pdftoppm``-compatible ``pdfinfo`` when present)."""
    binary = shutil.which("pdfinfo")
    if binary is None:
        raise ReportError("Không tìm thấy lệnh «pdfinfo» (gói poppler-utils).")
    out = subprocess.run([binary, str(pdf)], check=True, capture_output=True, text=True).stdout
    for line in out.splitlines():
        if line.startswith("Pages:"):
            return int(line.split()[1])
    raise ReportError(f"Không đọc được số trang của {pdf}")
