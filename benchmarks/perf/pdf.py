"""T16/T19: the PDF report of a stored document (``write_pdf``, as File → Export runs it in its
worker), or its floor (bare platypus, ``floors.floor_pdf``), in a process of its own so that the
peak resident memory is the export's.

    python -m benchmarks.perf.pdf product|floor FILE.sop ROUNDS   # prints one JSON line
"""

from __future__ import annotations

import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

from benchmarks import floors
from benchmarks.perf.common import peak_rss_mib
from sopdesigner.storage.document_file import DocumentFile


def main(argv: list[str]) -> int:
    which, source, rounds = argv[0], Path(argv[1]), int(argv[2])
    with DocumentFile.open(source, read_only=True) as f:
        doc = f.load()
    base_rss = peak_rss_mib()
    n = len(doc.nodes)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "report.pdf"
        if which == "product":
            from sopdesigner.export.pdf_report import write_pdf

            def run() -> None:
                write_pdf(doc, out, progress=lambda done, total: None, cancel=lambda: False)
        else:

            def run() -> None:
                floors.floor_pdf(n, out)

        wall, cpu = [], []
        for _ in range(rounds):
            t0, c0 = time.perf_counter(), time.process_time()
            run()
            wall.append(time.perf_counter() - t0)
            cpu.append(time.process_time() - c0)
        size = out.stat().st_size
    print(
        json.dumps(
            {
                "wall": statistics.median(wall) * 1000,
                "cpu": statistics.median(cpu) * 1000,
                "peak_rss": peak_rss_mib(),
                "loaded_rss": base_rss,
                "bytes": size,
            }
        ),
        flush=True,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
