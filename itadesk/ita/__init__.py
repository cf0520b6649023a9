"""The ITA rules: catalog, scoring, levels, comparison and findings. Pure Python: no Qt, no SQL."""
