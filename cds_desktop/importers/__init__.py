"""Import a plan from the documents officers already have: pasted tables, text, Excel and Word.

Pipeline (Qt-free):

- :mod:`readers` (text, encodings) and :mod:`office` (.xlsx, .docx) turn a file into a neutral
  :class:`~cds_desktop.importers.document.Document` (paragraphs and raw tables with source rows);
- :mod:`tables` finds the plan tables, :mod:`headers` maps their columns by meaning;
- :mod:`rows` reads groups, items, notes and continuation rows and flags damaged rows; :mod:`groups` finds the
  group rows a table writes without a numeral in its own cell;
- :mod:`frontmatter`, :mod:`units` and :mod:`people` read the plan's data, unit names and people; :mod:`roles`
  sorts out who leads, who coordinates and who is the leader (people and name fragments never become units);
- :mod:`build` makes the ``cds-plan-draft/1`` dict and the warnings (``{"table", "row", "message"}``);
- :mod:`apply` writes a draft in one transaction (create, or merge into the same plan);
- :mod:`run` runs it all for the CLI (``import-plan``) and the GUI; :mod:`preview` prepares what the
  preview dialog (:mod:`cds_desktop.ui.plan.import_preview`) shows.
"""
