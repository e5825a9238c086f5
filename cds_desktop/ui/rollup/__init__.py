"""The receiving mode screen (Tổng hợp): communes × pillars, shared indicators, received files."""
