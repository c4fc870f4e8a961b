"""The issue-7 benchmark suite behind ``benchmarks/run.py``: each module measures the product and
its floor (bare PySide6 / pydantic / sqlite3 / networkx / reportlab doing the same work) side by
side, in the same process or in freshly spawned ones for cold paths."""
