"""Test-only jobs, registered only with KY_BATCH_TEST_JOBS=1 (see batch.apps)."""

import time

from batch.registry import batchjob


@batchjob("test-langsom", navn="Test: langsomt job", kategori="opfoelgning", kadence="dagligt",
          beskrivelse="Kun til test: sover i små skridt og melder fremdrift.", kilde="test")
def test_langsom(ctx):
    from cases.models import Opgavepakke

    total = 20
    for i in range(total):
        time.sleep(0.1)
        ctx.progress(i + 1, total)
    # a write that must exist exactly once after a crash and a re-run
    Opgavepakke.objects.get_or_create(kommune=ctx.kommune, kode="TEST-LANGSOM", defaults={"navn": "Test"})
    ctx.count("created")
