"""Documents with real records for the export tests: ticks, evidence, sign-offs (including
superseded ones and non-Latin signers) and hostile-looking text, all made through the ops and
the editing session so the audit trail is a genuine hash chain."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator

from sopdesigner.editing.session import EditSession
from sopdesigner.model import Decision, Document, Evidence
from sopdesigner.ops import AttachEvidence, SetDocumentFields, SetItemDone, SignNode, StartReviewRound

HOSTILE = '<b>not bold</b> & <img src="x">'
SIGNERS = ("Zoë Łukasiewicz", "Σωκράτης Παπαδόπουλος", "Юлия Смирнова")


class MemoryBlobs:
    """A BlobSource over bytes in memory (the storage layer's blob store, minus SQLite)."""

    def __init__(self) -> None:
        self.data: dict[str, bytes] = {}

    def add(self, content: bytes) -> tuple[str, int]:
        sha = hashlib.sha256(content).hexdigest()
        self.data[sha] = content
        return sha, len(content)

    def has_blob(self, sha256: str) -> bool:
        return sha256 in self.data

    def iter_blob(self, sha256: str) -> Iterator[bytes]:
        content = self.data[sha256]
        for i in range(0, len(content), 4096):
            yield content[i : i + 4096]
        if not content:
            return


def attach(
    session: EditSession,
    blobs: MemoryBlobs,
    node_id: str,
    filename: str,
    content: bytes,
    title: str = "",
    category: str = "",
) -> Evidence:
    sha, size = blobs.add(content)
    ev = Evidence(
        id=f"ev-{len(blobs.data)}-{node_id}",
        sha256=sha,
        size=size,
        filename=filename,
        title=title,
        category=category,
    )
    session.apply(AttachEvidence(node_id, ev))
    return ev


def record_everything(doc: Document, blobs: MemoryBlobs | None = None) -> MemoryBlobs:
    """Fill ``doc`` (the factories' 6-node SOP, or any doc with those roles) with records."""
    blobs = blobs or MemoryBlobs()
    zoe, sokratis, yulia = SIGNERS
    s = EditSession(doc, actor=zoe)
    s.apply(
        SetDocumentFields(
            "request",
            {
                "model_name": "fraud-scorer",
                "model_version": "2.3.1",
                "purpose": f"Score card transactions for fraud. {HOSTILE}",
                "intended_use": "Real-time scoring of EU card payments",
                "target_environment": "prod-eu-west",
                "scope": "Retail cards only",
                "requester": zoe,
            },
        )
    )
    s.apply(
        SetDocumentFields(
            "identity",
            {
                "sop_version": "3.2",
                "owner": sokratis,
                "effective_date": "2026-01-01",
                "next_review_date": "2027-01-01",
            },
        )
    )
    s.apply(SetItemDone("validate", "metrics", True))
    s.apply(SetItemDone("validate", "data", True))
    attach(
        s,
        blobs,
        "validate",
        "metrics report.pdf",
        b"%PDF-1.4 pretend metrics\n" * 40,
        title="Validation metrics",
        category="Performance metrics and validation results",
    )
    attach(
        s,
        blobs,
        "validate",
        "metrics report.pdf",
        b"second file with the same name\n",
        title="Metrics, rerun",
        category="Performance metrics and validation results",
    )
    attach(s, blobs, "risk", "../../etc/passwd", b"root:x:0:0\n", title=HOSTILE, category="Security review")
    attach(
        s,
        blobs,
        "risk",
        "Отчёт о рисках.txt",
        "Риски: низкие\n".encode(),
        title="Отчёт",
        category="Risk assessment",
    )
    s.apply(SetItemDone("risk", "privacy", True))
    # A first round that is superseded, then the real approvals.
    s.apply(SignNode("risk", zoe, "security", Decision.REQUEST_CHANGES, comment="Pen test missing"))
    s.apply(StartReviewRound(["risk"]))
    s.apply(SignNode("risk", zoe, "security", Decision.APPROVE, comment=HOSTILE))
    legal = EditSession(doc, actor=sokratis)
    legal.apply(
        SignNode(
            "risk",
            sokratis,
            "legal",
            Decision.APPROVE_WITH_CONDITIONS,
            conditions="Re-check bias metrics after 30 days",
        )
    )
    business = EditSession(doc, actor=SIGNERS[2])
    business.apply(SignNode("decide", yulia, "business", Decision.APPROVE, meaning="Final go-live approval"))
    return blobs
