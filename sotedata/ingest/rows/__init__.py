"""One module per kind of sheet row (grants, indicators, notes)."""
