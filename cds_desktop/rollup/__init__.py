"""Receiving mode (*Tổng hợp*): many communes' packages in one data folder (Qt-free).

- :mod:`.mode` — whether this data folder receives packages (a setting);
- :mod:`.importing` — importing a folder or a ``.zip`` of ``.cdspkg`` files, one by one,
  through the exchange (a pipeline: the next package verified while one is applied; a result per file);
- :mod:`.pillars` — which pillar an item belongs to, and the key matching indicators;
- :mod:`.snapshot` — each received plan's figures, computed by the status engine;
- :mod:`.overview` — the communes × pillars overview, sorted and filtered in SQL;
- :mod:`.matching` — shared indicators across communes, confirmed or corrected;
- :mod:`.summary` — the data of the summary reports and their documents
  (:mod:`cds_desktop.reports.rollup_tables`).

The received communes' data is read-only here (:mod:`cds_desktop.database.readonly`).
"""
