"""seed_demo [--kommuner 101,751] [--borgere N] [--seed N] [--if-empty] (commands.md).

Deterministic synthetic data: the core (cases.demo) and then every app's
``<app>.demo.seed(kommuner, rng)`` (DEMO_HOOK.md). All in one transaction:
on failure nothing is stored (exit 1). Last stdout line: JSON counts per model.
"""

import argparse
import json
import random
import sys
import time

from django.core.management.base import BaseCommand
from django.db import transaction

from cases import demo
from cases.models import Sag


def kommune_list(value: str) -> list[int]:
    try:
        codes = [int(k) for k in value.split(",") if k.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"ugyldige kommunekoder: {value!r}") from None
    if not codes:
        raise argparse.ArgumentTypeError("mindst én kommunekode")
    return list(dict.fromkeys(codes))


def non_negative(value: str) -> int:
    try:
        n = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"ikke et tal: {value!r}") from None
    if n < 0 or n > 10_000_000:
        raise argparse.ArgumentTypeError("skal være mellem 0 og 10000000")
    return n


class Command(BaseCommand):
    help = "Indlæser deterministiske demodata (borgere, sager, bevillinger, debitorkonti, opgaver ...)."

    def add_arguments(self, parser):
        parser.add_argument("--kommuner", type=kommune_list, default=[101, 751],
                            help="kommunekoder, kommasepareret (standard 101,751)")
        parser.add_argument("--borgere", type=non_negative, default=2000, help="antal borgere (standard 2000)")
        parser.add_argument("--seed", type=int, default=2026, help="startværdi for tilfældighed (standard 2026)")
        parser.add_argument("--if-empty", action="store_true",
                            help="gør intet hvis der allerede findes sager (bruges af make run)")

    def handle(self, *args, kommuner, borgere, seed, if_empty, **opts):
        if if_empty and Sag.objects.exists():
            self.stderr.write("Databasen har allerede sager; seed_demo springes over (--if-empty).")
            self.stdout.write(json.dumps({}))
            return
        start = time.monotonic()
        tty = sys.stderr.isatty()

        def progress(done, total):
            msg = f"borgere: {done}/{total}"
            self.stderr.write(("\r" + msg) if tty else msg, ending="" if tty else "\n")

        rng = random.Random(seed)
        try:
            with transaction.atomic():
                counts = demo.build(kommuner, borgere, rng, progress=progress)
                for key, value in demo.app_hooks(kommuner, seed).items():
                    counts[key] = counts.get(key, 0) + value
        except ValueError as exc:
            if tty:
                self.stderr.write("")
            self.stderr.write(f"seed_demo fejlede: {exc}")
            sys.exit(1)
        if tty:
            self.stderr.write("")
        self.stderr.write(f"seed_demo færdig på {time.monotonic() - start:.1f} s")
        self.stdout.write(json.dumps(counts, ensure_ascii=False))
