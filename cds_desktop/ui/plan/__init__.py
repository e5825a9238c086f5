"""The Kế hoạch screen: group tree, item table, detail panel, item commands and import preview."""
