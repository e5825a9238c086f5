"""The corpus: every plan document in ``tests/fixtures/plans/`` imported as a user would, checked against
the expectation written beside it (format: ``tests/fixtures/plans/README.md``).

A row that is wrong but flagged in the preview is acceptable (the officer is told); a wrong row that
is not flagged, a wrong group, a wrong count or wrong plan data fails the document.
"""

from __future__ import annotations

import pytest
from support.corpus import documents, expectation, known_issue, run_import, score

DOCUMENTS = documents()


@pytest.fixture(scope="module")
def corpus_db(tmp_path_factory):
    from cds_desktop.database import open_database

    database = open_database(tmp_path_factory.mktemp("corpus"))
    yield database
    database.close()


def test_corpus_is_large_enough():
    assert len(DOCUMENTS) >= 2
    for document in DOCUMENTS:
        assert len(expectation(document).get("rows", [])) >= 5, f"{document.name}: fewer than 5 sampled rows"


@pytest.mark.parametrize("document", DOCUMENTS, ids=[d.name for d in DOCUMENTS])
def test_corpus_document(document, corpus_db, record_property):
    if known_issue(document):
        pytest.xfail(known_issue(document))
    result = score(document, run_import(document, corpus_db))
    record_property("rows_right", f"{result.rows_right}/{len(result.rows)}")
    print(result.summary())
    clean = not result.problems and not result.silent_wrong
    assert clean, result.details()
