"""Minh chứng: evidence library, panel and their models."""
