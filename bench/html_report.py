"""How long the HTML report of a large run takes to open in headless Chromium.

    python bench/html_report.py [--corpus ../shared/corpus/bbc] [--runs 5] [--report FILE]

Writes `checker --format html` of the corpus (or takes --report), then loads it
--runs times in one headless Chromium (a fresh tab each time) and prints, per
run and as medians:
  wall     from the WebDriver's navigation request until two animation frames
           after the report's script said it was ready (the index is on screen):
           what a user waits for, with WebDriver's own overhead on top;
  load     the page's load event (navigation timing);
  ready    the report's `checker-ready` performance mark (its script has run);
  fcp/lcp  first and largest contentful paint (the index table is the largest).
It also opens an article (hash route) and times that. The issue asks for under
2 s for BBC (2,217 articles). Needs chromium and chromium-driver (Debian) and
selenium; skips with a message when the corpus is absent.
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from browser import new_driver  # noqa: E402  (tests/browser.py: the same Chromium the tests use)

FRAMES = """
const done = arguments[arguments.length - 1];
requestAnimationFrame(() => requestAnimationFrame(() => done(performance.now())));
"""

TIMINGS = """
const nav = performance.getEntriesByType('navigation')[0];
const paint = Object.fromEntries(performance.getEntriesByType('paint').map(e => [e.name, e.startTime]));
const ready = performance.getEntriesByName('checker-ready')[0];
return {load: nav.loadEventEnd, dcl: nav.domContentLoadedEventEnd, fcp: paint['first-contentful-paint'] || null,
        ready: ready ? ready.startTime : null, rows: document.querySelectorAll('#files tbody tr').length};
"""

LCP = """
const done = arguments[arguments.length - 1];
new PerformanceObserver((list) => { const e = list.getEntries(); done(e[e.length - 1].startTime); })
  .observe({type: 'largest-contentful-paint', buffered: true});
"""


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", default=str(ROOT.parent / "shared" / "corpus" / "bbc"))
    parser.add_argument("--report", help="an existing report to load instead of writing one")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    workdir = tempfile.mkdtemp(prefix="html-bench-")
    if args.report:
        report = Path(args.report).resolve()
    else:
        if not Path(args.corpus).is_dir():
            print(f"skipped: {args.corpus} is absent (../shared is research material outside the repository)")
            return 0
        report = Path(workdir) / "report.html"
        started = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-m", "checker", "--no-cache", "--format", "html", "-o", str(report), args.corpus],
            cwd=ROOT, capture_output=True, text=True,
        )
        if done.returncode not in (0, 1):
            print(done.stderr, file=sys.stderr)
            return 2
        print(f"wrote {report} in {time.perf_counter() - started:.2f} s: {report.stat().st_size / 1e6:.2f} MB")

    driver = new_driver(os.path.join(workdir, "profile"))
    try:
        driver.set_script_timeout(60)
        url = report.as_uri()
        rows = []
        for run in range(args.runs):
            driver.get("about:blank")
            started = time.perf_counter()
            driver.get(url)  # returns after the load event
            while driver.execute_script("return document.documentElement.dataset.ready") != "1":
                time.sleep(0.005)
            driver.execute_async_script(FRAMES)
            wall = (time.perf_counter() - started) * 1000
            timing = driver.execute_script(TIMINGS)
            lcp = driver.execute_async_script(LCP)
            opened = time.perf_counter()
            driver.execute_script("location.hash = '#f0'")
            while driver.execute_script("return document.getElementById('article').hidden"):
                time.sleep(0.002)
            driver.execute_async_script(FRAMES)
            article = (time.perf_counter() - opened) * 1000
            row = {"wall": wall, "load": timing["load"], "ready": timing["ready"], "fcp": timing["fcp"], "lcp": lcp, "article": article}
            rows.append(row)
            print(f"run {run + 1}: " + "  ".join(f"{k} {v:7.0f} ms" for k, v in row.items()) + f"  ({timing['rows']} files in the index)")
        print("median: " + "  ".join(f"{k} {statistics.median(r[k] for r in rows):7.0f} ms" for k in rows[0]))
    finally:
        driver.quit()
    return 0


if __name__ == "__main__":
    sys.exit(main())
