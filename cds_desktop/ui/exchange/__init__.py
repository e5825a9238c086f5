"""Trao đổi dữ liệu: the exchange screen and its models."""
