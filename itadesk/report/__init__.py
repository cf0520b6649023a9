"""PDF report for council meetings."""
