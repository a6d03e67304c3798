from django import forms

from debitor.models import PosteringType
from ky.core.beloeb import UgyldigtBeloeb, parse_beloeb


class PosteringForm(forms.Form):
    """A dækning, afskrivning or nedregulering on a fordring (the sag page). The rules (beløb > 0 and
    ≤ restgæld, the debitorkonto must have a sag) are the service's: debitor.services.registrer_postering."""

    type = forms.ChoiceField(label="Type", choices=PosteringType.choices, error_messages={
        "required": "Type mangler.",
        "invalid_choice": "Ukendt type '%(value)s'; vælg dækning, afskrivning eller nedregulering."})
    beloeb = forms.CharField(label="Beløb", max_length=20, widget=forms.TextInput(attrs={"inputmode": "decimal"}),
                             error_messages={"required": "Beløb mangler."})
    dato = forms.DateField(label="Dato", widget=forms.DateInput(attrs={"type": "date"}),
                           error_messages={"required": "Dato mangler.",
                                           "invalid": "Dato skal være på formen ÅÅÅÅ-MM-DD."})

    def clean_beloeb(self):
        # typed by a caseworker: a Danish amount ('1.000' is 1000 kr., '2.50' is refused as ambiguous)
        try:
            return parse_beloeb(self.cleaned_data["beloeb"])
        except UgyldigtBeloeb as exc:
            raise forms.ValidationError(str(exc)) from None


class KmdAktivUploadForm(forms.Form):
    """The KMD Aktiv upload on the importer screen (issue 21): the file is imported by a batch run in the
    background (debitor.services.start_kmd_aktiv_import)."""

    fil = forms.FileField(label="KMD Aktiv-fil", error_messages={
        "required": "Vælg en KMD Aktiv-fil.", "empty": "Den valgte fil er tom.",
        "invalid": "Filen kunne ikke modtages; vælg den igen."})
    kommune = forms.TypedChoiceField(label="Kommune", coerce=int, error_messages={
        "required": "Vælg en kommune.", "invalid_choice": "Du har ikke adgang til kommune %(value)s."})
    dry_run = forms.BooleanField(label="Prøvekørsel (intet gemmes)", required=False)

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from cases.models import Kommune

        kommuner = Kommune.objects.for_user(user).order_by("kode")
        self.fields["kommune"].choices = [(k.kode, f"{k.kode} {k.navn}") for k in kommuner]


class KlikDeadlineForm(forms.Form):
    kommune = forms.IntegerField(widget=forms.HiddenInput)
    deadline = forms.DateField(label="KLIK-deadline", widget=forms.DateInput(attrs={"type": "date"}),
                               error_messages={"invalid": "Angiv en gyldig dato.", "required": "Angiv en dato."})
