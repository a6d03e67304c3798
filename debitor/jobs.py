"""Batch jobs of debitor (thin; the logic is in services.py)."""

from batch.registry import batchjob
from debitor import services


@batchjob(
    services.KMD_AKTIV_JOB,
    navn="KMD Aktiv-import (MI 32)",
    kategori="integration-ind",
    kadence="ved upload",  # never scheduled: each run is started by an upload (debitor.views.kmd_aktiv_upload)
    beskrivelse=("Importerer en uploadet KMD Aktiv-fil med debitorkonti og fordringer (seed 002, MI 32) i baggrunden "
                 "på en RQ-arbejder; resultatet står på kørslen og i listen over KMD Aktiv-importer."),
    atomic=False,  # import_file has its own transaction and keeps its import record also for a rejected file
)
def kmd_aktiv_import(ctx):
    services.koer_kmd_aktiv_import(ctx)
