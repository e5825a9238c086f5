"""Import a plan from the documents officers already have: pasted tables, text, Excel and Word.

Pipeline (Qt-free): :mod:`readers`/:mod:`office` turn a file into a neutral
:class:`~cds_desktop.importers.document.Document`; :mod:`tables` finds the
plan tables and :mod:`headers` maps their columns; :mod:`rows` reads groups,
items, notes and continuation rows; :mod:`frontmatter`, :mod:`units` and
:mod:`people` read the rest; :mod:`build` makes the ``cds-plan-draft/1``
dict and the warnings; :mod:`apply` writes it into the database.
"""
