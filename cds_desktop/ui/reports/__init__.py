"""In báo cáo: the reports screen."""
