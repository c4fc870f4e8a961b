"""``sopdesigner validate`` and ``sopdesigner gate``: the checks pipelines and reviewers run.

Exit codes (the CLI contract): ``validate`` 0 no errors (warnings allowed), 1 errors, 2 the file
cannot be read; ``gate`` 0 the model may ship, 1 it may not (reasons printed), 2 unreadable.
Neither imports Qt.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from sopdesigner.cli.common import EXIT_FAIL, EXIT_OK, print_json
from sopdesigner.model.document import Document


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "validate",
        help="list structural and governance problems",
        description="List the structural (SOP1xx) and governance (SOP2xx) problems of a document. "
        "Exit 0: no errors; 1: errors found; 2: the file cannot be read.",
    )
    p.add_argument("file", metavar="FILE", help="a .sop document")
    p.add_argument("--json", action="store_true", help="print the problems as JSON on stdout")
    p.set_defaults(handler=run_validate)

    p = subparsers.add_parser(
        "gate",
        help="may this model ship?",
        description="Decide whether the model may ship: no validation errors, every required approval "
        "given, every required checklist item done. Exit 0: ship; 1: do not ship (reasons printed); "
        "2: the file cannot be read.",
    )
    p.add_argument("file", metavar="FILE", help="a .sop document")
    p.add_argument(
        "--json", action="store_true", help='print {"ship", "reasons", "conditions"} as JSON on stdout'
    )
    p.set_defaults(handler=run_gate)


def load_document(path: str) -> Document:
    """Open a document read-only (never modifying it) and load it."""
    from sopdesigner.storage.document_file import DocumentFile

    with DocumentFile.open(Path(path), read_only=True) as f:
        return f.load()


def run_validate(args: argparse.Namespace) -> int:
    from sopdesigner.rules.validation import validate

    doc = load_document(args.file)
    problems = validate(doc)
    errors = sum(p.severity == "error" for p in problems)
    warnings = len(problems) - errors
    if args.json:
        print_json(
            {
                "file": str(args.file),
                "errors": errors,
                "warnings": warnings,
                "problems": [p.to_dict() for p in problems],
            }
        )
    else:
        for p in problems:
            print(f"{p.severity.upper()} {p.code} {p.message}")
        print(_summary(errors, warnings))
    return EXIT_FAIL if errors else EXIT_OK


def _summary(errors: int, warnings: int) -> str:
    if not errors and not warnings:
        return "No problems found."
    parts = [
        f"{errors} error{'s' if errors != 1 else ''}",
        f"{warnings} warning{'s' if warnings != 1 else ''}",
    ]
    return ", ".join(parts) + "."


def run_gate(args: argparse.Namespace) -> int:
    from sopdesigner.rules.gate import gate

    doc = load_document(args.file)
    result = gate(doc)
    if args.json:
        print_json(result.to_json())
    else:
        model = " ".join(x for x in (doc.request.model_name, doc.request.model_version) if x) or "The model"
        if result.ship:
            print(f"SHIP: {model} may ship.")
        else:
            count = len(result.reasons)
            print(f"NO SHIP: {model} may not ship ({count} reason{'s' if count != 1 else ''}):")
            for reason in result.reasons:
                print(f"  - {reason}")
        if result.conditions:
            print("Conditions:")
            for condition in result.conditions:
                print(f"  - {condition}")
    return EXIT_OK if result.ship else EXIT_FAIL
