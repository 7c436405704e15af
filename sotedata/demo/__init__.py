"""The example data (`sote demo`)."""
