"""Nhập báo cáo kỳ: the month-entry screen and its table models."""
