"""The forms of a rendered page as a browser would submit them: for tests that open a page, fill what a user
fills and post what the page carries (hidden fields such as the version the user read)."""

from html.parser import HTMLParser


class _Forms(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[dict] = []
        self._select: str | None = None
        self._seen = self._chosen = False
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        a = {k: v if v is not None else "" for k, v in attrs}
        if tag == "form":
            self.forms.append({"action": a.get("action", ""), "fields": {}})
            return
        if not self.forms:
            return
        fields = self.forms[-1]["fields"]
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text")
            if kind in ("submit", "button", "file", "image", "reset"):
                return
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            fields[name] = a.get("value", "on" if kind in ("checkbox", "radio") else "")
        elif tag == "select" and name:
            self._select, self._seen, self._chosen = name, False, False
            fields[name] = ""
        elif tag == "option" and self._select:
            if "selected" in a and not self._chosen:
                fields[self._select] = a.get("value", "")
                self._chosen = True
            elif not self._seen:  # no option selected: the browser sends the first
                fields[self._select] = a.get("value", "")
            self._seen = True
        elif tag == "textarea" and name:
            self._textarea = name
            fields[name] = ""

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea and self.forms:
            fields = self.forms[-1]["fields"]
            fields[self._textarea] += data.removeprefix("\n") if not fields[self._textarea] else data


def page_forms(html: str) -> list[dict]:
    """Each form of the page: {"action": its action, "fields": what submitting it unchanged would send}."""
    parser = _Forms()
    parser.feed(html)
    return parser.forms


def form_with(html: str, field: str, value: str | None = None) -> dict:
    """The fields of the one form of the page that has `field` (with `value`, when given)."""
    found = [
        f["fields"] for f in page_forms(html) if field in f["fields"] and (value is None or f["fields"][field] == value)
    ]
    assert len(found) == 1, f"{len(found)} forms with {field}={value}"
    return dict(found[0])
