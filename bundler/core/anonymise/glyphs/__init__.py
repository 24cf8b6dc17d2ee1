"""Text whose characters a reader could know but we might not: fonts without a sure mapping."""
