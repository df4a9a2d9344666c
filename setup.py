"""Only for `scrapyd-deploy`, which builds the egg it uploads to Scrapyd with `python setup.py bdist_egg` and,
when a project has no setup.py, writes one of its own into the project root (an untracked leftover). Everything
about the package, including the `[scrapy] settings` entry point by which Scrapyd finds the project's settings, is
in pyproject.toml."""

from setuptools import setup

setup()
