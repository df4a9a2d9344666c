"""`newsarchive`: the command line, a thin layer over library calls.

Exit status, for every command: 0 done; 1 the work itself failed (a crawl that could not run to its end, a query or
search stopped by its --timeout); 2 bad input (unknown site, unreadable file, not a database, SQL that does more
than read, a search of too many words, bad option, an output that cannot be written whole: full disk, closed pipe),
reported in one line on stderr with nothing changed; 3 another
run is writing to the same archive (a crawl does not start); 4 a crawl finished but a site's layout drifted (too
few articles read by its own selectors) or a site yielded no article. Ctrl-C: one line, exit 130.
Commands that only read the archive never import Scrapy.

The group and what the commands share are in crawler.cli.group; the commands, by what they do, in crawling
(crawl, reparse, backfill), reading (query, search, export, browse, runs, stats), sites (sites, extract,
check-site, capture) and fleet (enqueue, store, fleet). Here: running the group, every error as one line and its
exit status.
"""

from __future__ import annotations

import errno
import os
import sys

import click

from crawler.archive.errors import ArchiveError, CannotWrite, as_archive_errors
from crawler.archive.lock import RunLocked
from crawler.archive.outputs import OutputError, describe, discard_standard_output
from crawler.archive.readsql import TimedOut
from crawler.archive.search import QueryTooLong
from crawler.cli import crawling, fleet, reading, sites  # noqa: F401 (importing them registers their commands)
from crawler.cli.group import EXIT_BAD_INPUT, EXIT_FAILED, EXIT_LOCKED, EXIT_OK, cli
from crawler.evidence.warc import WarcError
from crawler.sites import SiteDeclarationError, UnknownSite

__all__ = ["cli", "main", "run"]

#: What writing to a full disk, a closed pipe or a failing device raises.
OUTPUT_ERRNOS = frozenset({errno.EPIPE, errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EIO})


def main(argv: list[str] | None = None) -> int:
    """Entry point: every error is one line on stderr and a documented exit status, never a traceback."""
    if sys.stdout is None:  # started with `>&-`: nothing could be printed, not even a summary
        _error("standard output is closed")
        return EXIT_BAD_INPUT
    try:
        with as_archive_errors():  # an SQLite error a command lets through: CannotWrite or ArchiveError
            result = cli.main(args=argv, prog_name="newsarchive", standalone_mode=False)
        sys.stdout.flush()  # a full disk or a closed pipe is reported here, not as "Exception ignored" at exit
        return result if isinstance(result, int) else EXIT_OK
    except OutputError as e:
        _error(str(e))
        return EXIT_BAD_INPUT
    except click.exceptions.Exit as e:
        return e.exit_code
    except click.UsageError as e:
        command = e.ctx.command_path if e.ctx else "newsarchive"
        _error(f"{e.format_message()} (see: {command} --help)")
        return EXIT_BAD_INPUT
    except click.ClickException as e:
        _error(e.format_message())
        return e.exit_code
    except (CannotWrite, TimedOut) as e:  # a full disk under a reparse, a backfill or the fleet's writer; --timeout
        _error(str(e))
        return EXIT_FAILED
    except (ArchiveError, WarcError, UnknownSite, SiteDeclarationError, QueryTooLong) as e:
        _error(str(e))
        return EXIT_BAD_INPUT
    except RunLocked as e:
        _error(str(e))
        return EXIT_LOCKED
    except (click.exceptions.Abort, KeyboardInterrupt):
        _error("interrupted")
        return 130
    except SystemExit as e:
        return e.code if isinstance(e.code, int) else EXIT_FAILED
    except OSError as e:
        if e.errno not in OUTPUT_ERRNOS:
            return _unexpected(e)
        discard_standard_output()
        _error(f"cannot write the output: {describe(e)}")
        return EXIT_BAD_INPUT
    except Exception as e:  # the last net: one line, never a traceback (NEWSARCHIVE_DEBUG=1 shows it)
        return _unexpected(e)


def _unexpected(e: Exception) -> int:
    if os.environ.get("NEWSARCHIVE_DEBUG"):
        raise e
    _error(f"unexpected {type(e).__name__}: {e} (NEWSARCHIVE_DEBUG=1 shows where)")
    return EXIT_FAILED


def _error(message: str) -> None:
    click.echo(f"newsarchive: error: {' '.join(message.split())}", err=True)


def run() -> None:
    """Console-script entry point."""
    sys.exit(main())


if __name__ == "__main__":
    run()
