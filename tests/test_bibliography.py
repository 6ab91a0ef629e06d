"""Every bibliography entry can be followed: a DOI, or a link to the arXiv for preprints."""
import re
from pathlib import Path

BIB = Path(__file__).resolve().parents[1] / "references.bib"


def entries():
    text = BIB.read_text(encoding="utf-8")
    return [(typ.lower(), key.strip(), body) for typ, key, body in
            re.findall(r"@(\w+)\s*\{([^,]+),(.*?)\n\}", text, re.S)]


def field(body, name):
    m = re.search(rf"\b{name}\s*=\s*\{{(.*?)\}}\s*,?\s*$", body, re.M)
    return m.group(1).strip() if m else None


def test_entries_found():
    assert len(entries()) >= 20


def test_every_entry_has_a_doi_or_an_arxiv_link():
    missing = [key for _, key, body in entries()
               if not field(body, "doi") and not (field(body, "url") or "").startswith("https://arxiv.org/")]
    assert not missing, f"entries without DOI or arXiv link: {missing}"


def test_journal_articles_do_not_link_an_arxiv_doi_as_their_doi():
    """A published article's DOI is the journal's; an arXiv DOI (10.48550) belongs in a preprint entry."""
    bad = [key for typ, key, body in entries()
           if typ == "article" and (field(body, "doi") or "").startswith("10.48550")]
    assert not bad, bad
