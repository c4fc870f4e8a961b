"""Exports for people and programs: diagram.json, PDF report, BagIt audit package, verifier."""
