"""The editing session: the only writer of a Document (see ``session.EditSession``)."""

from sopdesigner.editing.session import EditSession, Outcome, default_actor

__all__ = ["EditSession", "Outcome", "default_actor"]
