"""Reliability trials: kill-during-write, I/O faults, hostile files and packages, tampering.

Each ``*.py`` script here runs the full trial (``--trials N``) and prints a summary; the fast
subsets in ``tests/trials/`` import the same trial functions.
"""
