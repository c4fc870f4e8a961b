"""The one exception family of the product.

Every error a user can cause (bad input, a refused edit, an unreadable file) is a ``SopError``
whose message is one clear sentence; the CLI prints it and the UI shows it, never a traceback.
"""

from __future__ import annotations


class SopError(Exception):
    """Base class: ``str(err)`` is one sentence meant for the user."""


class UnknownIdError(SopError):
    """An op named a node, edge, lane, role, item, evidence or sign-off that does not exist."""


class DuplicateIdError(SopError):
    """An op tried to add something whose id is already used."""


class InvalidEditError(SopError):
    """An op is well-formed but not allowed (self loop, duplicate edge, locked structure…)."""


class DocumentFileError(SopError):
    """A document file cannot be opened, read or written."""


class NotADocumentError(DocumentFileError):
    """The file is not a SOP Designer document (wrong magic, application id or schema)."""


class DamagedDocumentError(DocumentFileError):
    """The file is a document but failed an integrity check."""


class FutureVersionError(DocumentFileError):
    """The file was written by a newer SOP Designer."""


class ImportRefusedError(SopError):
    """A diagram.json or package was refused (bad schema, broken audit chain, hostile content)."""


class CancelledError(SopError):
    """Long work (hashing, export) was cancelled by the user; nothing was written."""
