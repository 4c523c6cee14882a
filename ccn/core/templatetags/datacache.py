"""`{% datacache fragment %}…{% enddatacache %}`: the body of a page kept in the shared cache under the data
version and the viewer's scope (ccn/core/pagecache.py). `fragment` is a `pagecache.Fragment` the view made (or
None: rendered as usual). On a hit the kept body is sent with this request's CSRF token and nonce; on a miss it is
rendered with placeholders for them, kept, and filled."""

from django import template
from django.utils.safestring import mark_safe

from ccn.core import pagecache

register = template.Library()


class DataCacheNode(template.Node):
    def __init__(self, nodelist, fragment):
        self.nodelist = nodelist
        self.fragment = fragment

    def render(self, context):
        fragment = self.fragment.resolve(context, ignore_failures=True)
        if not isinstance(fragment, pagecache.Fragment):
            return self.nodelist.render(context)
        if fragment.hit:
            return mark_safe(fragment.html)  # noqa: S308 - our own rendering, kept
        with context.push(**pagecache.placeholders()):
            html = self.nodelist.render(context)
        fragment.store(html)
        return mark_safe(pagecache.fill(fragment.request, html))  # noqa: S308


@register.tag
def datacache(parser, token):
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError("{% datacache fragment %} takes one argument")
    nodelist = parser.parse(("enddatacache",))
    parser.delete_first_token()
    return DataCacheNode(nodelist, parser.compile_filter(bits[1]))
