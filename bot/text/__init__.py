"""The Persian text engine: normalization, ZWNJ repair, article cleanup, summaries and hashtags."""
