"""The `newsarchive` click group, and what its commands share: exit statuses, BadInput, the common options.

The command modules (crawling, reading, sites, fleet) register their commands on `cli`; crawler.cli imports them
and runs the group (`main`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from crawler import archive

EXIT_OK, EXIT_FAILED, EXIT_BAD_INPUT, EXIT_LOCKED, EXIT_DRIFT = 0, 1, 2, 3, 4
#: The largest count an option takes: more than any archive holds, and within what SQLite binds as an integer.
MANY = 1_000_000_000
DB_OPTION = click.option("--db", type=click.Path(dir_okay=False, path_type=Path), default=archive.DEFAULT_DB,
                         show_default=True, help="The archive database.")
DATE = click.DateTime(["%Y-%m-%d"])


class BadInput(click.ClickException):
    exit_code = EXIT_BAD_INPUT


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 110})
@click.version_option(package_name="newsarchive")
def cli() -> None:
    """Archive of Vietnam's party-committee press: crawl declared sites into a deduplicated SQLite archive, and
    read it back.

    \b
    Example:
        newsarchive crawl --replay data/samples/sample.warc.gz
        newsarchive stats
    """


def day(value: Any) -> str | None:
    """A --since/--until DATE as the archive compares it (ISO), None when not given."""
    return value.date().isoformat() if value else None
