"""piiplan — Provincial Innovation Index engine, decision support and plan workspace."""

__version__ = "0.1.0"
