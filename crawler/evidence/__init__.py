"""The evidence: WARC files. Writing them during a crawl (capture), reading them safely (warcrecords), indexing and
replaying them as a website (warc, replay), and reparsing them into the archive (reparse)."""
