"""Tổng quan: the dashboard screen."""
