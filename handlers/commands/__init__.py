"""`/sync`: a pure parser (parse.py) and one short function per verb (sync.py)."""
