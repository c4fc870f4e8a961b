"""Everything on disk: the ``.sop`` SQLite document file, evidence blobs, autosave and
recovery, settings and the app's platform folders. Pure Python, no Qt."""
