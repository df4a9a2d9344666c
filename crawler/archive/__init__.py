"""The SQLite archive: its schema, writing records, runs, copy detection and read-only access.

A facade: it only re-exports the names callers use (`from crawler import archive; archive.open_archive(...)`).
The code is in the submodules, which import one another directly, never this package: schema (migrations,
opening), store (articles, failures, the failure memory), validators (the HTTP validators of discovery pages, kept
between runs), copies (fingerprints, the copy check), runs (a run's row and its summaries), errors; and readsql,
search, export, browse, lock, outputs and retries.
"""

from crawler.archive.copies import CopyCandidates
from crawler.archive.errors import ArchiveError, cannot_write
from crawler.archive.runs import (add_run_counts, failed_summary, finish_run, last_crawl_interrupted,
                                  mark_interrupted_runs, start_run)
from crawler.archive.schema import (DEFAULT_DB, check_is_database, column_or_null, migrations, open_archive,
                                    open_readonly)
from crawler.archive.store import fingerprints, known_articles, not_due_articles, record_failures, store_article
from crawler.archive.validators import discovery_validators, record_validators

__all__ = [
    "ArchiveError", "CopyCandidates", "DEFAULT_DB", "add_run_counts", "cannot_write", "check_is_database",
    "column_or_null", "discovery_validators", "failed_summary", "fingerprints", "finish_run", "known_articles",
    "last_crawl_interrupted", "mark_interrupted_runs", "migrations", "not_due_articles", "open_archive",
    "open_readonly", "record_failures", "record_validators", "start_run", "store_article",
]
