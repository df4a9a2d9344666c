"""Polite HTTP outside a crawl: one client (robots.txt, a delay, a size limit), and what uses it: check-site,
capture (a fixture page and its golden) and backfill from web archives."""
