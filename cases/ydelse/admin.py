"""Django admin: satser and regler are maintained here too (the overlap check gives a Danish message before
the database's exclusion constraint would); the computation's other tables are read-only."""

from django import forms
from django.contrib import admin

from cases.ydelse import models as m
from cases.ydelse.services import _overlap_sats


class SatsForm(forms.ModelForm):
    class Meta:
        model = m.Sats
        fields = ["ydelsestype", "kategori", "gyldig_fra", "gyldig_til", "beloeb", "kilde"]

    def clean(self):
        d = super().clean()
        fra, til = d.get("gyldig_fra"), d.get("gyldig_til")
        if fra and til and til < fra:
            self.add_error("gyldig_til", "Til-datoen ligger før fra-datoen.")
        elif fra and d.get("ydelsestype") and d.get("kategori") and _overlap_sats(
                d["ydelsestype"], d["kategori"], fra, til, exclude=self.instance.pk):
            self.add_error("gyldig_fra", "Perioden overlapper en anden sats for samme ydelsestype og kategori.")
        return d


@admin.register(m.Sats)
class SatsAdmin(admin.ModelAdmin):
    form = SatsForm
    list_display = ["ydelsestype", "kategori", "gyldig_fra", "gyldig_til", "beloeb", "kilde"]
    list_filter = ["ydelsestype"]
    search_fields = ["kategori", "kilde"]
    list_per_page = 100


class RegelForm(forms.ModelForm):
    class Meta:
        model = m.Regel
        fields = ["noegle", "vaerdi", "gyldig_fra", "gyldig_til", "kilde"]

    def clean(self):
        d = super().clean()
        fra, til = d.get("gyldig_fra"), d.get("gyldig_til")
        if fra and d.get("noegle"):
            qs = m.Regel.objects.filter(noegle=d["noegle"]).exclude(pk=self.instance.pk).exclude(gyldig_til__lt=fra)
            if til is not None:
                qs = qs.filter(gyldig_fra__lte=til)
            if qs.exists():
                self.add_error("gyldig_fra", "Perioden overlapper en anden regel med samme nøgle.")
        return d


@admin.register(m.Regel)
class RegelAdmin(admin.ModelAdmin):
    form = RegelForm
    list_display = ["noegle", "vaerdi", "gyldig_fra", "gyldig_til"]


class LaeseAdmin(admin.ModelAdmin):
    show_full_result_count = False
    list_per_page = 100

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(m.Indtaegt)
class IndtaegtAdmin(LaeseAdmin):
    list_display = ["id", "kommune", "person", "maaned", "art", "beloeb", "kilde"]
    list_select_related = ["kommune", "person"]
    list_filter = ["art"]


@admin.register(m.Sanktion)
class SanktionAdmin(LaeseAdmin):
    list_display = ["id", "kommune", "bevilling", "art", "fra", "til", "beloeb"]
    list_select_related = ["kommune", "bevilling"]
    list_filter = ["art"]


@admin.register(m.SaerligStoette)
class SaerligStoetteAdmin(LaeseAdmin):
    list_display = ["id", "kommune", "bevilling", "fra", "til", "beloeb"]
    list_select_related = ["kommune", "bevilling"]


@admin.register(m.Loftsindplacering)
class LoftsindplaceringAdmin(LaeseAdmin):
    list_display = ["id", "kommune", "bevilling", "maaned", "kategori", "loft", "forventet_hjaelpsbeloeb", "aendret"]
    list_select_related = ["kommune", "bevilling"]


@admin.register(m.Loftsinformation)
class LoftsinformationAdmin(LaeseAdmin):
    list_display = ["id", "kommune", "loftsindplacering", "dannet_dato", "sendt"]
    list_select_related = ["kommune", "loftsindplacering"]


@admin.register(m.SaesAnvisning)
class SaesAnvisningAdmin(LaeseAdmin):
    list_display = ["id", "kommune", "bevilling", "maaned", "bevilget", "beloeb"]
    list_select_related = ["kommune", "bevilling"]


@admin.register(m.Afgoerelsesbrev)
class AfgoerelsesbrevAdmin(LaeseAdmin):
    list_display = ["id", "kommune", "person", "titel", "status", "oprettet"]
    list_select_related = ["kommune", "person"]
