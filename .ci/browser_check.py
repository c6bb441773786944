"""Render the embedded example's reports in headless Chromium (CI step).

For the French report (the one a French analyst hands to a funder) and the
English one:

* fails on console errors, a missing headline figure or missing charts;
* measures the page at 1280 px: no horizontal overflow of the document, and
  the theory-of-change diagram shown at its natural size (text of 12 px);
* prints it to PDF (A4 landscape) and checks that the printed value map keeps
  every column heading, and that the PDF's figures are the report's.

Writes ci-artifacts/report_{fr,en}.html, .pdf and full-page screenshots, and
refreshes the gallery images docs/_static/gallery/report_fr_1280.png (the first
screen at 1280 px) and docs/_static/gallery/report_fr_print.png (the value-map
page of the printed PDF) that docs/gallery.md shows: the committed copies are
small, and CI remakes them from the current code on every run.
"""

from __future__ import annotations

import html
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import impactkit as ik

FLAGS = ["--headless", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--enable-logging=stderr", "--v=0", "--hide-scrollbars"]
if hasattr(os, "geteuid") and os.geteuid() == 0:
    FLAGS.append("--no-sandbox")

# measured in the page itself, written into the DOM that --dump-dom prints
PROBE = """<script>
window.addEventListener('load', function () {
  var d = document.documentElement, svgs = document.querySelectorAll('figure svg'), toc = null;
  svgs.forEach(function (s) { if (s.getBoundingClientRect().width > (toc ? toc.w : 0)) {
    toc = {w: s.getBoundingClientRect().width, n: s.width.baseVal.value}; } });
  document.body.setAttribute('data-probe', JSON.stringify({
    scrollWidth: d.scrollWidth, clientWidth: d.clientWidth,
    widestFigure: toc ? toc.w : 0, widestNatural: toc ? toc.n : 0}));
});
</script>"""


def run(args: list[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, capture_output=True, text=True, timeout=180)


def pdf_text(pdf: Path) -> str:
    if shutil.which("pdftotext"):
        return run(["pdftotext", "-layout", str(pdf), "-"]).stdout
    try:
        from pypdf import PdfReader
    except ImportError:
        return ""
    return "\n".join(p.extract_text() or "" for p in PdfReader(str(pdf)).pages)


def check(lang: str, chromium: str, out: Path, gallery: Path) -> list[str]:
    model = ik.examples.load_example()
    content = ik.report.analyse(model, lang=lang, n_draws=5_000, seed=0)
    res = content.result
    page = out / f"report_{lang}.html"
    ik.report.write(content, page)
    text = page.read_text(encoding="utf-8")
    probe_page = out / f"report_{lang}_probe.html"
    probe_page.write_text(text.replace("</body>", PROBE + "</body>"), encoding="utf-8")
    problems: list[str] = []
    with tempfile.TemporaryDirectory() as profile:
        base = [chromium, *FLAGS, f"--user-data-dir={profile}"]
        png = out / f"report_{lang}_1280.png"
        shot = run([*base, f"--screenshot={png}", "--window-size=1280,2400",
                    page.resolve().as_uri()])
        if lang == "fr":  # the gallery keeps the first screen only (a small image)
            run([*base, f"--screenshot={gallery / 'report_fr_1280.png'}",
                 "--window-size=1280,800", page.resolve().as_uri()])
        dom = run([*base, "--window-size=1280,2400", "--virtual-time-budget=5000",
                   "--dump-dom", probe_page.resolve().as_uri()])
        pdf = out / f"report_{lang}.pdf"
        printed = run([*base, "--no-pdf-header-footer", f"--print-to-pdf={pdf}",
                       page.resolve().as_uri()])
    logs = shot.stderr + dom.stderr + printed.stderr
    console = [ln for ln in logs.splitlines() if "CONSOLE" in ln]
    errors = [ln for ln in console if re.search(r"Uncaught|Error|Failed", ln)]
    if errors:
        problems.append("console errors:\n  " + "\n  ".join(errors))
    if f'data-value="{res.ratio!r}"' not in dom.stdout:
        problems.append("the rendered page lacks the headline SROI ratio")
    if dom.stdout.count("<svg") < 5:
        problems.append("the rendered page lacks its charts")
    probe = re.search(r"data-probe=\"([^\"]+)\"", dom.stdout)
    if probe is None:
        problems.append("the page could not be measured")
    else:
        import json

        m = json.loads(html.unescape(probe.group(1)))
        if m["scrollWidth"] > m["clientWidth"]:
            problems.append(f"horizontal overflow at 1280 px: {m}")
        if m["widestNatural"] and m["widestFigure"] < 0.99 * m["widestNatural"]:
            problems.append(f"the widest chart is shrunk below its natural size: {m}")
    if not png.exists() or png.stat().st_size < 10_000:
        problems.append("no screenshot was produced")
    if not pdf.exists() or pdf.read_bytes()[:5] != b"%PDF-":
        problems.append("no PDF was printed")
    else:
        printed_text = re.sub(r"\s+", " ", pdf_text(pdf))
        heads = re.search(r"<table data-table=\"value_map\"><thead><tr>(.*?)</tr>", text)
        assert heads is not None
        columns = [html.unescape(h) for h in re.findall(r"<th>(.*?)</th>", heads.group(1))]
        words = {w for c in columns for w in c.split()}
        # the printed value map only: from its heading to the next section's
        start = printed_text.find(ik.report.t("value_map", lang))
        end = printed_text.find(ik.report.t("inputs", lang), start + 1)
        section = printed_text[start:end] if start >= 0 and end > start else ""
        if printed_text and not section:
            problems.append("the printed PDF has no value-map section")
        def printed(word: str) -> bool:  # a hyphenated heading may wrap at its hyphen
            head, *rest = word.split("-")
            return word in section or (
                bool(rest) and f"{head}-" in section and all(r in section for r in rest)
            )

        lost = sorted(w for w in words if not printed(w))
        if not printed_text:
            problems.append("no PDF text extractor (pdftotext or pypdf) to check the columns")
        elif lost:
            problems.append(f"the printed value map lost columns: {lost}")
        figure = ik.report.fmt_money(res.present_value, res.currency, lang).replace("\xa0", " ")
        if printed_text and figure.replace("\u202f", " ") not in printed_text.replace(
            "\u202f", " "
        ).replace("\xa0", " "):
            problems.append(f"the PDF lacks the present value {figure!r}")
        if shutil.which("pdftoppm") and lang == "fr":
            page_no = _page_of(pdf, columns[-1])
            stem = gallery / "report_fr_print"
            run(["pdftoppm", "-png", "-r", "60", "-singlefile", "-f", str(page_no),
                 "-l", str(page_no), str(pdf), str(stem)])
    print(f"browser check ({lang}): {len(console)} console messages; {png}; {pdf}")
    return problems


def _page_of(pdf: Path, words: str) -> int:
    """The first page of the PDF showing the value map (its heading), 1 if unknown."""
    if not shutil.which("pdftotext"):
        return 1
    title = ik.report.t("value_map", "fr")
    for i in range(1, 30):
        done = run(["pdftotext", "-f", str(i), "-l", str(i), str(pdf), "-"])
        if done.returncode != 0:
            break
        if title in done.stdout:
            return i
    return 1


def main() -> int:
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        print("browser check: chromium is not installed", file=sys.stderr)
        return 1
    out = Path("ci-artifacts")
    out.mkdir(exist_ok=True)
    gallery = Path("docs/_static/gallery")
    gallery.mkdir(parents=True, exist_ok=True)
    problems = []
    for lang in ("fr", "en"):
        problems += [f"[{lang}] {p}" for p in check(lang, chromium, out, gallery)]
    if problems:
        print("browser check failed:\n  " + "\n  ".join(problems), file=sys.stderr)
        return 1
    print(f"browser check: reports rendered by {os.path.basename(chromium)}, no errors")
    return 0


if __name__ == "__main__":
    sys.exit(main())
