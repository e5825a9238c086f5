"""CĐS Desktop: offline plan keeping and reporting for the commune
digital-transformation (chuyển đổi số) officer."""

__version__ = "0.1.0"
APP_NAME = "CĐS Desktop"
APP_ID = "cds-desktop"
