"""Only for `scrapyd-deploy`, which builds the egg it uploads to Scrapyd with `python setup.py bdist_egg`.

Everything about the package is in pyproject.toml; this file adds the one thing an egg for Scrapyd needs and
pyproject.toml does not declare: the entry point `[scrapy] settings = crawler.settings`, by which Scrapyd's runner
finds the project's settings module (scrapyd.runner.activate_egg). Without a setup.py, scrapyd-deploy writes its own
into the project root (an untracked leftover), and setuptools drops that one's entry_points, because the
[project] table of pyproject.toml owns them: the egg then has no settings entry point and every Scrapyd job fails.

Were the entry point declared in pyproject.toml ([project.entry-points.scrapy] settings = "crawler.settings"),
this file would shrink to `setup()`.
"""

from setuptools import setup
from setuptools.command.egg_info import egg_info


class EggInfoWithScrapySettings(egg_info):
    """egg_info that also writes the `scrapy` entry point into the metadata (EGG-INFO/entry_points.txt)."""

    def run(self) -> None:
        entry_points = dict(self.distribution.entry_points or {})
        entry_points["scrapy"] = ["settings = crawler.settings"]
        self.distribution.entry_points = entry_points
        super().run()


setup(cmdclass={"egg_info": EggInfoWithScrapySettings})
