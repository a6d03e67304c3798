"""The exchange layer (issue 17, ``integrations.exchange``) as breve uses it: one journal
(``integrations.Fil``: bytes, løbenummer per kommune and art, committed before upload, resumed,
receipted, send-igen, ``/api/v1/integrationer/filer/``) for the dispatch files and the answers."""

from integrations.exchange import AfvistFil, Art, Udfil, modtag, registrer, send  # noqa: F401

LAG = "integrations.exchange"
