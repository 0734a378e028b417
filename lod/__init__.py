"""lod: a linked open data publishing platform for Czech public bodies."""

__version__ = "0.1.0"
