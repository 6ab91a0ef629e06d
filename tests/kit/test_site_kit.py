"""The built site and the kit: launch buttons from _config.yml, hidden install cells, the version,
links to the PDF and the site zip (the browser test also follows every link)."""
from __future__ import annotations

import re

import pytest

from conftest import ROOT, dev, need

SITE = ROOT / "_build" / "html"


def page(name: str) -> str:
    return need(SITE / "chapters" / f"{name}.html", "python3 dev.py book").read_text(encoding="utf-8")


@pytest.mark.parametrize("nb", dev.chapter_notebooks(), ids=lambda p: p.name)
def test_launch_buttons_open_this_repository_and_install_cell_is_hidden(nb):
    html = page(nb.stem)
    owner_name = dev.repo_url().removeprefix("https://github.com/")
    branch = dev.repo_branch()
    assert (f'href="https://colab.research.google.com/github/{owner_name}/blob/{branch}/chapters/{nb.name}"'
            in html)
    assert f'href="https://mybinder.org/v2/gh/{owner_name}/{branch}?urlpath=lab/tree/chapters/{nb.name}"' in html
    assert dev.INSTALL_MARK not in html and "QB_INSTALL_FROM" not in html


def test_site_shows_the_version_and_links_the_downloads():
    teaching = page("teaching")
    text = re.sub(r"<[^>]+>", "", teaching)
    assert f'version = "{dev.version()}"' in text
    for name in ("teaching", "run_it_yourself"):
        html = page(name)
        assert 'href="../open-quantum-batteries.pdf"' in html and 'href="../open-quantum-batteries-site.zip"' in html
    assert (SITE / dev.PDF_NAME).is_file() and (SITE / "open-quantum-batteries-site.zip").is_file()
    # every exercise of the syllabus is a link to it, numbered as on its chapter's page
    links = re.findall(r'href="(\w+)\.html#(ex-[\w-]+)"><span class="std std-numref">Exercise (\d+)</span>', teaching)
    assert len(links) >= 20
    for chapter, label, number in links:
        target = page(chapter)
        assert f'id="{label}"' in target
