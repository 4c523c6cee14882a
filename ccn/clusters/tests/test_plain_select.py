"""The investor filter's select, written in Python for speed, gives the same options as Django's own select."""

from html.parser import HTMLParser

import pytest
from django import forms

from ccn.clusters.filters import ClusterFilterSet
from ccn.clusters.forms import PlainSelect
from ccn.clusters.tests.factories import make_cluster, make_org

pytestmark = pytest.mark.django_db


class _Options(HTMLParser):
    def __init__(self):
        super().__init__()
        self.select, self.options, self._current = None, [], None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "select":
            self.select = attrs
        elif tag == "option":
            self._current = [attrs.get("value"), "selected" in attrs, ""]
            self.options.append(self._current)

    def handle_data(self, data):
        if self._current is not None:
            self._current[2] += data.strip()

    def handle_endtag(self, tag):
        if tag == "option":
            self._current = None


def _parse(html):
    parser = _Options()
    parser.feed(str(html))
    return parser.select, parser.options


def test_same_options_as_django_select_and_escaped():
    evil = make_org("Công ty <script>alert(1)</script> & Co", tax_code="0312345675")
    plain = make_org("Công ty Hạ tầng Sông Cầu", tax_code="0301234564")
    make_cluster(code="KHA-EVIL", status="established", investor=evil)
    make_cluster(code="KHA-PLAIN", status="established", investor=plain)
    form = ClusterFilterSet({"investor": str(plain.pk)}).form
    field = form.fields["investor"]
    assert isinstance(field.widget, PlainSelect)
    html = field.widget.render("investor", plain.pk, attrs={"id": "id_investor", "required": False, "disabled": True})
    django_html = forms.Select(choices=field.choices).render(
        "investor", plain.pk, attrs={"id": "id_investor", "required": False, "disabled": True}
    )
    assert _parse(html) == _parse(django_html)
    select, options = _parse(html)
    assert select == {"name": "investor", "id": "id_investor", "disabled": None}
    assert [o for o in options if o[1]] == [[str(plain.pk), True, plain.name]]
    assert options[0][:2] == ["", False]
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert len(options) == 3
