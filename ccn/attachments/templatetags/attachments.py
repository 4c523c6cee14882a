"""`{% attachments_panel record %}`: the "Attachments" panel of a record's page (list, download, upload)."""

from django import template

from .. import selectors, services
from ..forms import AttachmentForm
from ..views import record_url

register = template.Library()


@register.inclusion_tag("attachments/panel.html", takes_context=True)
def attachments_panel(context, record, form=None):
    request = context.get("request")
    user = getattr(request, "user", None)
    return {
        "record": record,
        "attachments": selectors.for_record(record),
        "can_upload": services.may_attach(user, record),
        "form": form or AttachmentForm(),
        "upload_url": record_url(record),
        "next": request.get_full_path() if request else "",
        "csrf_token": context.get("csrf_token"),
    }
