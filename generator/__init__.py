"""govsite: publishes the governance agreements of Dutch regional cooperations as public websites."""

__version__ = "0.1.0"
