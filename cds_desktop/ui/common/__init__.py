"""Shared widgets, dialogs, table-model base, background jobs and the error dialog."""
