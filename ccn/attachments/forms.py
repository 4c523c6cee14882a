from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Kind


class AttachmentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Kind.choices, initial=Kind.SIGNED_SCAN)
    file = forms.FileField(label=_("File (PDF, image or office document)"))
    description = forms.CharField(label=_("Description"), required=False, max_length=300)
