"""The choices an officer makes before a paper is produced: its number, date, signer and recipients."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .contexts import AUTHORITIES, Signing

AUTHORITY_LABELS = {key: " / ".join(lines) for key, lines in AUTHORITIES.items()}


class SigningForm(forms.Form):
    number = forms.CharField(
        label=_("Number"),
        max_length=40,
        required=False,
        help_text=_("Leave empty for the records office to write it by hand when the paper is issued."),
    )
    day = forms.DateField(label=_("Date of the paper"), required=False, input_formats=["%d/%m/%Y", "%Y-%m-%d"])
    authority = forms.ChoiceField(label=_("Signed as"), choices=list(AUTHORITY_LABELS.items()))
    signer_name = forms.CharField(label=_("Signer's full name"), max_length=120, required=False)
    recipients = forms.CharField(
        label=_("Recipients"),
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        max_length=2000,
        help_text=_("One per line; the records office's copy (Lưu) is added by itself."),
    )

    @classmethod
    def for_defaults(cls, defaults: Signing, data=None):
        authority = next((k for k, v in AUTHORITIES.items() if v == defaults.authority), "director")
        initial = {
            "number": defaults.number,
            "day": defaults.day.strftime("%d/%m/%Y") if defaults.day else "",
            "authority": authority,
            "signer_name": defaults.signer_name,
            "recipients": "\n".join(r for r in defaults.recipients if r),
        }
        return cls(data=data, initial=initial)

    def signing(self) -> Signing:
        data = self.cleaned_data
        return Signing(
            number=data["number"].strip(),
            authority=AUTHORITIES[data["authority"]],
            signer_name=data["signer_name"].strip(),
            recipients=[line.strip() for line in data["recipients"].splitlines() if line.strip()],
            day=data["day"],
        )


class SignedScanForm(forms.Form):
    """The signed, sealed paper: its scan and what the signature says."""

    file = forms.FileField(label=_("Signed scan (PDF or image)"))
    number = forms.CharField(label=_("Number and symbol"), max_length=60)
    signed_on = forms.DateField(label=_("Signed on"), input_formats=["%d/%m/%Y", "%Y-%m-%d"])
    signer = forms.CharField(
        label=_("Signed by (title and name)"), max_length=200, help_text=_("E.g. GIÁM ĐỐC Nguyễn Văn A.")
    )
