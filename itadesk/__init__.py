"""ITA Desk: turn a year's ITA results into the analysis and action plan an office must publish."""

__version__ = "0.1.0"
