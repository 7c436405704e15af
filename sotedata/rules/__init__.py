"""The rules: pure functions over the stored frames (the figures, what changed, grants, notes).
Imports only sotedata.domain.
"""
