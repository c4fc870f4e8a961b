"""``sopdesigner verify PACKAGE.zip [--json]``: check an audit package without trusting it.

Exit 0 intact, 1 tampered (each problem printed as "file: what is wrong"), 2 unreadable or
hostile. The ``export`` and ``import`` commands live in ``cli.documents``.
"""

from __future__ import annotations

import argparse

from sopdesigner.cli.common import fail, print_json


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = subparsers.add_parser(
        "verify",
        help="check an audit package: checksums, audit hash chain, evidence",
        description="Check an audit package (.zip): the BagIt manifests and checksums, the audit trail's "
        "hash chain and its head, and every evidence file against diagram.json. The archive is treated "
        "as hostile and nothing is extracted. Exit 0: intact; 1: tampered (what and where are printed); "
        "2: unreadable or hostile.",
    )
    p.add_argument(
        "package", metavar="PACKAGE.zip", help="an audit package made by `sopdesigner export --package`"
    )
    p.add_argument("--json", action="store_true", help="print {status, summary, problems} as JSON on stdout")
    p.set_defaults(handler=run_verify)


def run_verify(args: argparse.Namespace) -> int:
    from sopdesigner.export.verify import verify_package

    report = verify_package(args.package)
    if args.json:
        print_json(report.to_dict())
    elif report.status == "intact":
        print(report.summary)
    elif report.status == "tampered":
        print(f"TAMPERED: {args.package} failed verification ({len(report.problems)} problem(s)):")
        for problem in report.problems:
            print(f"  {problem}")
    else:
        fail(report.summary)
        for problem in report.problems[1:]:
            fail(f"  {problem}")
    return report.exit_code
