"""``attach``, ``tick`` and ``sign``: pipelines and scripts adding records to a ``.sop`` file.

Each command opens the file (refusing hostile ones untouched), applies one op through an
``EditSession`` so the audit trail records who did what, and saves document, audit events and
any evidence bytes in one transaction.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from sopdesigner.cli.common import EXIT_OK, actor_from
from sopdesigner.cli.open_document import change_document, resolve_item, resolve_node, resolve_role, say
from sopdesigner.editing.session import EditSession
from sopdesigner.errors import InvalidEditError
from sopdesigner.model.document import Evidence
from sopdesigner.model.enums import Decision
from sopdesigner.model.ids import new_id

DECISIONS = tuple(d.value for d in Decision)


def register(sub: argparse._SubParsersAction) -> None:
    attach = sub.add_parser(
        "attach",
        help="attach an evidence file to a node",
        description="Attach an evidence file to a node (stored inside the document).",
    )
    attach.add_argument("file", metavar="FILE", help="the .sop document")
    attach.add_argument("--node", required=True, metavar="N", help="node id or exact title")
    attach.add_argument("path", metavar="PATH", help="the evidence file")
    attach.add_argument("--title", default="", metavar="T", help="evidence title (default: the file name)")
    attach.add_argument("--category", default="", metavar="C", help="evidence category")
    attach.add_argument("--actor", metavar="A", help="who is recorded in the audit trail")
    attach.set_defaults(handler=cmd_attach)

    tick = sub.add_parser(
        "tick",
        help="tick (or untick) a checklist item",
        description="Tick a node's checklist item, or untick it with --undo.",
    )
    tick.add_argument("file", metavar="FILE", help="the .sop document")
    tick.add_argument("--node", required=True, metavar="N", help="node id or exact title")
    tick.add_argument("--item", required=True, metavar="I", help="1-based item number or exact item text")
    tick.add_argument("--undo", action="store_true", help="untick the item instead")
    tick.add_argument("--actor", metavar="A", help="who is recorded in the audit trail")
    tick.set_defaults(handler=cmd_tick)

    sign = sub.add_parser(
        "sign",
        help="record a sign-off on a node",
        description="Record a sign-off: who signed, for which role, and the decision.",
    )
    sign.add_argument("file", metavar="FILE", help="the .sop document")
    sign.add_argument("--node", required=True, metavar="N", help="node id or exact title")
    sign.add_argument("--role", required=True, metavar="R", help="role id or name")
    sign.add_argument("--signer", required=True, metavar="S", help="the signer's printed name")
    sign.add_argument("--decision", required=True, metavar="D", help=" | ".join(DECISIONS))
    sign.add_argument("--meaning", default="", metavar="M", help="what the signature means")
    sign.add_argument("--comment", default="", metavar="C")
    sign.add_argument("--conditions", default="", metavar="C", help="conditions of a conditional approval")
    sign.add_argument("--actor", metavar="A", help="who is recorded in the audit trail")
    sign.set_defaults(handler=cmd_sign)


def cmd_attach(args: argparse.Namespace) -> int:
    from sopdesigner.ops.records import AttachEvidence
    from sopdesigner.storage.blobs import FileBlobs, display_filename, hash_file, media_type_for

    src = Path(args.path)
    filename = display_filename(src)
    # save() reads the bytes from here, inside the same transaction as the document.
    blobs = FileBlobs({})

    def edit(session: EditSession) -> tuple[str, Evidence]:
        node = resolve_node(session.document, args.node)
        # Hashed only once the document is known to be good, streamed (evidence can be GBs).
        sha, size = hash_file(src)
        try:
            evidence = Evidence(
                id=new_id(),
                sha256=sha,
                size=size,
                filename=filename,
                title=args.title.strip() or filename,
                category=args.category.strip(),
                media_type=media_type_for(filename),
            )
        except ValueError:
            raise InvalidEditError(
                "The evidence title or category is too long (500 characters at most)."
            ) from None
        session.apply(AttachEvidence(node.id, evidence))
        blobs.files[sha] = src
        return node.title, evidence

    title, evidence = change_document(args.file, actor_from(args), edit, blobs=blobs)
    say(
        f"Attached '{evidence.filename}' ({_size(evidence.size)}, sha256 {evidence.sha256[:12]}…) "
        f"to '{title}'."
    )
    return EXIT_OK


def cmd_tick(args: argparse.Namespace) -> int:
    from sopdesigner.ops.checklist import SetItemDone

    done = not args.undo

    def edit(session: EditSession) -> tuple[str, str, bool]:
        node = resolve_node(session.document, args.node)
        item = resolve_item(node, args.item)
        if item.done == done:
            # Re-running a pipeline step is not an error; the record of who ticked it stays.
            return node.title, item.text, False
        session.apply(SetItemDone(node.id, item.id, done))
        return node.title, item.text, True

    node_title, item_text, changed = change_document(args.file, actor_from(args), edit)
    if not changed:
        say(f"'{item_text}' on '{node_title}' was already {'ticked' if done else 'unticked'}; nothing changed.")
    else:
        say(f"{'Ticked' if done else 'Unticked'} '{item_text}' on '{node_title}'.")
    return EXIT_OK


def parse_decision(text: str) -> Decision:
    key = text.strip().lower().replace("-", "_").replace(" ", "_")
    try:
        return Decision(key)
    except ValueError:
        raise InvalidEditError(f"'{text}' is not a decision; use one of {', '.join(DECISIONS)}.") from None


def cmd_sign(args: argparse.Namespace) -> int:
    from sopdesigner.ops.records import SignNode

    decision = parse_decision(args.decision)

    def edit(session: EditSession) -> tuple[str, str]:
        doc = session.document
        node = resolve_node(doc, args.node)
        role = resolve_role(doc, args.role)
        session.apply(
            SignNode(
                node.id,
                args.signer,
                role.id,
                decision,
                meaning=args.meaning,
                comment=args.comment,
                conditions=args.conditions,
            )
        )
        return node.title, role.name

    node_title, role_name = change_document(args.file, actor_from(args), edit)
    say(f"Recorded '{decision.value}' by {args.signer.strip()} ({role_name}) on '{node_title}'.")
    return EXIT_OK


def _size(n: int) -> str:
    if n < 1000:
        return f"{n} bytes"
    value = float(n)
    for unit in ("kB", "MB", "GB", "TB"):
        value /= 1000
        if value < 1000 or unit == "TB":
            break
    return f"{value:.1f} {unit}"
