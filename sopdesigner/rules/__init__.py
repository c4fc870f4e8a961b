"""Governance rules on networkx views of a document: validation problems, the ship gate, auto layout."""
