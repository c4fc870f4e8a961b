"""Dockable side panels of the main window: palette, properties, problems and history."""
