"""Area and municipality boundaries and the tile map."""
