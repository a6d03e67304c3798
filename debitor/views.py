"""Debitor screens: the MI 32 task page's context and the POST resolving it (mi32.md), and the
dækning / afskrivning / nedregulering form of the sag page (seed 002)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.formats import number_format
from django.views.decorators.http import require_POST

from cases import selectors as cs
from cases.models import OPEN_STATUSES, Opgave, Ydelsestype
from debitor import selectors, services
from debitor.forms import KmdAktivUploadForm, PosteringForm
from debitor.models import Fordring, KmdAktivImport, KmdAktivUpload, Mi32Aarsag
from ky.core.api import DomainError
from ky.core.permissions import Perm
from ky.core.roles import Role


def mi32_context(request, opgave) -> dict:
    konto = selectors.debitorkonti_for(request.user).filter(pk=opgave.debitorkonto_id).first()
    if konto is None:
        return {}
    # the borger's bevillinger and sager in the debitorkonto's kommune: the only ones the attach service
    # accepts (mi32.md); the search by bevillingsnr narrows them
    bevillinger = cs.bevillinger_for(request.user).filter(kommune_id=konto.kommune_id, person_id=konto.person_id)
    nr = request.GET.get("bevillingsnr", "").strip()
    if nr:
        bevillinger = bevillinger.filter(kmd_aktiv_bevillingsnr=nr)
    bevillinger = list(bevillinger.order_by("-id"))
    sager = list(cs.sager_for(request.user).filter(kommune_id=konto.kommune_id, person_id=konto.person_id)
                 .order_by("-id"))
    return {"konto": konto, "bevillinger": bevillinger, "sager": sager, "bevillingsnr": nr,
            "ydelsestyper": Ydelsestype.choices,
            "kan_loese": opgave.status in OPEN_STATUSES and request.user.has_perm(Perm.LOESE_OPGAVER),
            "aarsag_tekst": dict(Mi32Aarsag.choices).get(opgave.aarsag, opgave.aarsag)}


def _id(value: str) -> int:
    if not value.strip().isdigit():
        raise DomainError("Ugyldigt valg: vælg en bevilling eller sag i listen.", "id", None)
    return int(value)


@login_required
@require_POST
def tilknyt(request, pk: int):
    opgave = get_object_or_404(cs.opgaver_for(request.user), pk=pk)
    if not request.user.has_perm(Perm.LOESE_OPGAVER):  # mi32.md: a caseworker resolves a task (as TilknytView)
        raise PermissionDenied("Kun sagsbehandlere kan løse MI 32-opgaver.")
    kwargs = {}
    try:
        if request.POST.get("bevilling"):
            kwargs["bevilling"] = get_object_or_404(cs.bevillinger_for(request.user), pk=_id(request.POST["bevilling"]))
        elif request.POST.get("sag"):
            kwargs["sag"] = get_object_or_404(cs.sager_for(request.user), pk=_id(request.POST["sag"]))
        else:
            kwargs["opret_sag"] = {"ydelsestype": request.POST.get("ydelsestype")}
        services.tilknyt(request.user, opgave, **kwargs)
    except DomainError as exc:
        messages.error(request, str(exc))
        return redirect("cases:opgave", pk=pk)
    messages.success(request, "Debitorkontoen er tilknyttet")
    if opgave.opgavepakke_id:
        return redirect("cases:opgavepakke", pk=opgave.opgavepakke_id)
    return redirect("cases:opgave", pk=pk)


@login_required
@require_POST
def postering(request, pk: int):
    """A dækning, afskrivning or nedregulering on a fordring (sag page). Refused with the service's
    message while the debitorkonto has no sag; bad input changes nothing."""
    fordring = get_object_or_404(Fordring.objects.for_user(request.user).select_related("debitorkonto"), pk=pk)
    if not request.user.has_perm(Perm.REGISTRERE_POSTERINGER):  # as the API (PosteringView)
        raise PermissionDenied("Kun sagsbehandlere og kommuneadministratorer kan registrere på fordringer.")
    form = PosteringForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    else:
        try:
            p = services.registrer_postering(request.user, fordring, **form.cleaned_data)
        except DomainError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, f"{p.get_type_display()} på {number_format(p.beloeb, 2)} kr. er registreret på "
                                      f"fordring {fordring.fordring_id}. Restgælden er nu "
                                      f"{number_format(p.restgaeld_efter, 2)} kr.")
    sag_id = fordring.debitorkonto.sag_id
    if sag_id:
        return redirect("cases:sag", pk=sag_id)
    opgave = Opgave.objects.filter(debitorkonto_id=fordring.debitorkonto_id, type="mi32").order_by("-id").first()
    return redirect("cases:opgave", pk=opgave.pk) if opgave else redirect("cases:opgavepakker")


def _import_adgang(request):
    if not request.user.has_perm(Perm.IMPORTERE_KMD_AKTIV):  # as the import API (KmdAktivImportView)
        raise PermissionDenied("Kun kommuneadministratorer og drift kan se KMD Aktiv-importer.")


@login_required
def kmd_aktiv_importer(request, form=None):
    """The kommune's KMD Aktiv imports (issue 4: who, when, file, hash, summary), newest first; the upload
    form and the latest upload runs with their status (issue 21)."""
    _import_adgang(request)
    importer = list(KmdAktivImport.objects.for_user(request.user).select_related("bruger")
                    .defer("fejl").order_by("-id")[:200])
    uploads = list(KmdAktivUpload.objects.for_user(request.user).select_related("koersel", "bruger")
                   .defer("koersel__log", "koersel__errors").order_by("-id")[:20])
    return render(request, "debitor/kmd_aktiv_importer.html", {
        "importer": importer, "uploads": uploads, "form": form or KmdAktivUploadForm(request.user)})


@login_required
@require_POST
def kmd_aktiv_upload(request):
    """Upload a KMD Aktiv file: stored and imported by a batch run on an RQ worker, never inside this request
    (a big file takes minutes); the user is sent to the run's status page. Bad input: the form again with a
    Danish message, nothing stored."""
    _import_adgang(request)
    form = KmdAktivUploadForm(request.user, request.POST, request.FILES)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return kmd_aktiv_importer(request, form=form)
    fil = form.cleaned_data["fil"]
    try:
        koersel = services.start_kmd_aktiv_import(request.user, fil, kommune=form.cleaned_data["kommune"],
                                                  dry_run=form.cleaned_data["dry_run"])
    except DomainError as exc:
        messages.error(request, str(exc))
        return kmd_aktiv_importer(request, form=form)
    messages.success(request, f"Filen {fil.name} er modtaget. Importen kører i baggrunden som kørsel {koersel.pk}; "
                              "følg den her. Du kan roligt forlade siden, importen fortsætter.")
    return redirect("debitor:kmd_aktiv_koersel", pk=koersel.pk)


@login_required
def kmd_aktiv_koersel(request, pk: int):
    """The status of one upload's batch run (queued, running, done, failed), who started it, its log and errors,
    and the import it made. Another kommune's run answers 404."""
    _import_adgang(request)
    upload = get_object_or_404(KmdAktivUpload.objects.for_user(request.user)
                               .select_related("koersel", "koersel__startet_af", "bruger", "kmd_import"), koersel_id=pk)
    k = upload.koersel
    return render(request, "debitor/kmd_aktiv_koersel.html", {
        "upload": upload, "k": k, "fejl": (k.errors or [])[:200], "aktiv": k.status in ("queued", "running"),
        "log": k.log.split("Traceback (most recent call last)")[0].strip()})  # drift reads tracebacks in the admin


@login_required
def kmd_aktiv_import(request, pk: int):
    """One import with its errors (line, field, message)."""
    _import_adgang(request)
    imp = get_object_or_404(KmdAktivImport.objects.for_user(request.user).select_related("bruger"), pk=pk)
    return render(request, "debitor/kmd_aktiv_import.html", {"imp": imp, "fejl": imp.fejl[:2000]})


def klik_context(request, pakke) -> dict:
    """The MI 32 package page's KLIK block (seed 002): deadline, pace, whether the package makes it; the
    kommuneadmin's form to set the deadline."""
    from django.utils import timezone

    from debitor.forms import KlikDeadlineForm

    status = selectors.klik_status(pakke, timezone.localdate())
    if status is None:
        return {}
    ctx = {"klik": status}
    if request.user.role == Role.KOMMUNEADMIN:
        ctx["klik_form"] = KlikDeadlineForm(initial={"kommune": pakke.kommune_id, "deadline": status["deadline"]})
    return ctx


@login_required
@require_POST
def klik_deadline(request):
    """The kommuneadmin sets the KLIK deadline of the MI 32 package; back to the package page."""
    from debitor.forms import KlikDeadlineForm
    from debitor.models import MI32_PAKKE_KODE

    if request.user.role != Role.KOMMUNEADMIN:
        raise PermissionDenied
    form = KlikDeadlineForm(request.POST)
    pakke = None
    if form.is_valid():
        pakke = cs.opgavepakker_for(request.user).filter(kommune_id=form.cleaned_data["kommune"],
                                                         kode=MI32_PAKKE_KODE).first()
        try:
            k = services.saet_klik_deadline(request.user, kommune=form.cleaned_data["kommune"],
                                            deadline=form.cleaned_data["deadline"])
            messages.success(request, f"KLIK-deadline er sat til {k.deadline:%d-%m-%Y}.")
            pakke = pakke or k.opgavepakke
        except DomainError as exc:
            messages.error(request, exc.fejl[0]["tekst"])
    else:
        messages.error(request, "; ".join(e for errs in form.errors.values() for e in errs))
    return redirect("cases:opgavepakke", pk=pakke.pk) if pakke else redirect("cases:opgavepakker")
