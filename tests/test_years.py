"""No year is ever printed with a thousands separator ("2.026"): the pages of every role are crawled on the
sample data and each page's text is searched for a grouped year next to a word or sign that introduces one."""

import re
from collections import deque
from urllib.parse import urljoin, urlparse

import pytest
from django.core.management import call_command

GROUPED_YEAR = re.compile(
    r"(?i)(năm|year|kỳ|period|horizon|giai đoạn|/|–|-)\s*(19|20)[.,]\d{2}\b|\b(19|20)[.,]\d{2}\s*[–-]\s*(19|20)"
)
LINK = re.compile(r'href="(/[^"#]*)"')
SKIP = re.compile(
    r"\.(csv|xlsx|pdf|docx|geojson|json|xml|zip|gpkg|kml)(\?|$)|/api/|/ogc/|/logout|/admin/|/static/|/media/"
)
MAX_PAGES = 80


@pytest.fixture
def sample(db):
    for command in ("load_sample_data", "load_sample_plans", "load_sample_reports", "load_sample_procedures"):
        call_command(command, verbosity=0)
    call_command("demo_users", "--force", verbosity=0)


def crawl(client, start="/"):
    seen, queue, problems = {start}, deque([start]), []
    while queue and len(seen) <= MAX_PAGES:
        url = queue.popleft()
        response = client.get(url)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        html = response.content.decode()
        text = re.sub(r"<[^>]+>", " ", re.sub(r"(?s)<(script|style)\b.*?</\1>", " ", html))
        for match in GROUPED_YEAR.finditer(text):
            problems.append((url, text[max(0, match.start() - 40) : match.end() + 20].strip()))
        for href in LINK.findall(html):
            target = urljoin(url, href.replace("&amp;", "&"))
            path = urlparse(target).path
            if SKIP.search(target) or path in {urlparse(s).path for s in seen if "?" in s} and "?" in target:
                continue
            if target not in seen:
                seen.add(target)
                queue.append(target)
    return problems, len(seen)


@pytest.mark.parametrize("username", [None, "khanhhoa.editor", "bo.congthuong"])
def test_no_page_prints_a_year_with_a_thousands_separator(client, sample, username):
    from ccn.accounts.models import User

    if username:
        client.force_login(User.objects.get(username=username))
    problems, pages = crawl(client)
    assert pages > 20
    assert problems == []
