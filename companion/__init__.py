"""Helpers for the BERT book: runtime, data, models, training and plots, one concern per module."""

__version__ = "0.5.0"
