"""The drift screen of the exchange layer (issue 17): every exchange's last files, failures and
receipts on one page, and "Send igen" for a failed outbound file. Thin: selectors/exchange."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from integrations import exchange, selectors
from ky.core.permissions import Perm


def _drift(user):
    if not user.has_perm(Perm.DRIFT):
        raise PermissionDenied("Kun drift kan se integrationernes filer.")


@login_required
def oversigt(request):
    _drift(request.user)
    return render(request, "integrations/oversigt.html", {
        "arter": selectors.drift_oversigt(request.user), "fejlede": selectors.fejlede_filer(request.user)[:50]})


@login_required
@require_POST
def send_igen(request, pk: int):
    from integrations import sftp

    _drift(request.user)
    fil = get_object_or_404(selectors.filer_for(request.user), pk=pk)
    t = sftp.transport()
    try:
        ny = exchange.send_igen(fil, t)
        messages.success(request, f"{fil.filnavn} er sendt igen som {ny.filnavn}.")
    except exchange.Afvisning as exc:
        messages.error(request, exc.tekst)
    except OSError as exc:  # the SFTP server did not answer: the new file is journalled, the next run sends it
        messages.error(request, f"Forbindelsen til Serviceplatformen fejlede ({exc}); filen sendes ved næste kørsel.")
    finally:
        t.close()
    return redirect("integrations:oversigt")
