"""Fixed-width records (formats/sf2520.md, formats/sf2530.md).

A layout is declared ONCE as data (a list of ``Felt``) and gives both a writer
(record dict -> 120-character str) and a strict reader (str -> dict) that
raises ``LayoutFejl`` naming the field and line when a record breaks the
layout. Files are ISO-8859-1 with CRLF after every record, the last included.

Types:
- ``num``    right-aligned, zero-padded non-negative integer (read as int)
- ``digits`` exactly ``length`` digits kept as a string (CPR, HHMMSS)
- ``text``   left-aligned, space-padded (read with trailing spaces stripped)
- ``date``   ``YYYYMMDD`` (read as datetime.date); ``nullable`` allows zeros (None)
- ``const``  always ``value``
- ``choice`` one of ``choices``
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from collections.abc import Iterable

ENCODING = "iso-8859-1"
CRLF = "\r\n"


class LayoutFejl(ValueError):
    """A record breaks its layout."""

    def __init__(self, tekst: str, *, linje: int | None = None, felt: str | None = None):
        self.linje, self.felt, self.tekst = linje, felt, tekst
        where = []
        if linje is not None:
            where.append(f"linje {linje}")
        if felt:
            where.append(f"felt {felt}")
        super().__init__(f"{', '.join(where)}: {tekst}" if where else tekst)


@dataclass(frozen=True)
class Felt:
    name: str
    pos: int  # 1-based
    length: int
    type: str = "text"  # num, digits, text, date, const, choice
    value: str = ""  # const
    choices: tuple[str, ...] = ()
    nullable: bool = False  # date: zeros mean None

    @property
    def start(self) -> int:
        return self.pos - 1

    @property
    def end(self) -> int:
        return self.pos - 1 + self.length


@dataclass
class Layout:
    name: str
    felter: list[Felt]
    length: int = 120
    _writers: list = field(default_factory=list, repr=False)

    def __post_init__(self):
        pos = 1
        for f in self.felter:
            if f.pos != pos:
                raise ValueError(f"{self.name}: felt {f.name} starter i {f.pos}, forventet {pos}")
            if f.type == "const" and len(f.value) != f.length:
                raise ValueError(f"{self.name}: konstant {f.name} har forkert længde")
            pos += f.length
        if pos - 1 != self.length:
            raise ValueError(f"{self.name}: felterne dækker {pos - 1} tegn, ikke {self.length}")

    # -- writing ---------------------------------------------------------------------------------
    def _compile(self):
        """One generated f-string per layout: the fast writer. Any value that does
        not fit makes the record's length wrong, and then the checking writer
        (``write_checked``) names the field."""
        parts = []
        for f in self.felter:
            key = repr(f.name)
            if f.type == "const":
                parts.append(f.value.replace("{", "{{").replace("}", "}}"))
            elif f.type == "num":
                parts.append(f"{{int(r.get({key}) or 0):0{f.length}d}}")
            elif f.type == "date":
                parts.append(f"{{_d(r.get({key}))}}")
            elif f.type == "text":
                parts.append(f"{{_t(r.get({key})):<{f.length}}}")
            else:  # digits, choice
                parts.append(f"{{r.get({key})}}")
        src = "def _w(r):\n    return f" + repr("".join(parts)) + "\n"
        ns = {"_d": _date8, "_t": _text}
        exec(src, ns)  # noqa: S102 - source built from the layout declaration only
        return ns["_w"]

    def write(self, record: dict) -> str:
        fast = self.__dict__.get("_fast")
        if fast is None:
            fast = self.__dict__["_fast"] = self._compile()
        try:
            line = fast(record)
        except (TypeError, ValueError, AttributeError):
            line = None
        if line is not None and len(line) == self.length and self._fast_ok(record):
            return line
        return self.write_checked(record)

    def _fast_ok(self, record: dict) -> bool:
        for f in self.felter:
            if f.type == "digits":
                v = record.get(f.name)
                if not (isinstance(v, str) and len(v) == f.length and v.isdigit()):
                    return False
            elif f.type == "choice" and record.get(f.name) not in f.choices:
                return False
            elif f.type == "num" and (record.get(f.name) or 0) < 0:
                return False
        return True

    def write_checked(self, record: dict) -> str:
        parts = []
        for f in self.felter:
            t = f.type
            if t == "const":
                parts.append(f.value)
                continue
            v = record.get(f.name)
            if t == "num":
                s = str(int(v or 0))
                if len(s) > f.length or s.startswith("-"):
                    raise LayoutFejl(f"værdien {v!r} passer ikke i {f.length} cifre", felt=f.name)
                parts.append(s.rjust(f.length, "0"))
            elif t == "digits":
                s = str(v)
                if len(s) != f.length or not s.isdigit():
                    raise LayoutFejl(f"skal være {f.length} cifre, ikke {v!r}", felt=f.name)
                parts.append(s)
            elif t == "date":
                parts.append("0" * f.length if v is None else v.strftime("%Y%m%d"))
            elif t == "choice":
                s = v or ""
                if s not in f.choices:
                    raise LayoutFejl(f"{s!r} er ikke en af {f.choices}", felt=f.name)
                parts.append(s)
            else:  # text
                s = "" if v is None else str(v)
                if len(s) > f.length:
                    raise LayoutFejl(f"teksten er længere end {f.length} tegn", felt=f.name)
                parts.append(s.ljust(f.length))
        line = "".join(parts)
        if len(line) != self.length:
            raise LayoutFejl(f"posten får {len(line)} tegn, skal have {self.length}")
        return line

    # -- reading ---------------------------------------------------------------------------------
    def read(self, line: str, linje: int | None = None) -> dict:
        if len(line) != self.length:
            raise LayoutFejl(f"posten har {len(line)} tegn, skal have {self.length}", linje=linje)
        out = {}
        for f in self.felter:
            raw = line[f.start:f.end]
            t = f.type
            if t == "const":
                if raw != f.value:
                    raise LayoutFejl(f"forventet {f.value!r}, fandt {raw!r}", linje=linje, felt=f.name)
                out[f.name] = raw
            elif t == "num":
                if not (raw.isascii() and raw.isdigit()):
                    raise LayoutFejl(f"ikke et tal: {raw!r}", linje=linje, felt=f.name)
                out[f.name] = int(raw)
            elif t == "digits":
                if not (raw.isascii() and raw.isdigit()):
                    raise LayoutFejl(f"skal være {f.length} cifre: {raw!r}", linje=linje, felt=f.name)
                out[f.name] = raw
            elif t == "date":
                if f.nullable and raw == "0" * f.length:
                    out[f.name] = None
                    continue
                try:
                    if not (raw.isascii() and raw.isdigit()):
                        raise ValueError
                    out[f.name] = dt.date(int(raw[:4]), int(raw[4:6]), int(raw[6:8]))
                except ValueError:
                    raise LayoutFejl(f"ugyldig dato: {raw!r}", linje=linje, felt=f.name) from None
            elif t == "choice":
                if raw not in f.choices:
                    raise LayoutFejl(f"{raw!r} er ikke en af {f.choices}", linje=linje, felt=f.name)
                out[f.name] = raw
            else:
                out[f.name] = raw.rstrip(" ")
        return out

    def record_type(self) -> str | None:
        first = self.felter[0]
        return first.value if first.type == "const" else None


def _date8(v) -> str:
    return "00000000" if v is None else f"{v.year:04d}{v.month:02d}{v.day:02d}"


def _text(v) -> str:
    return "" if v is None else str(v)


def encode_file(lines: Iterable[str]) -> bytes:
    """Records as ISO-8859-1 bytes, CRLF after every record (the last included). A character
    ISO-8859-1 cannot hold raises LayoutFejl naming the line."""
    lines = list(lines)
    text = "".join(line + CRLF for line in lines)
    if text.count("\n") != len(lines) or text.count("\r") != len(lines):  # two C-speed scans
        linje = next(i for i, line in enumerate(lines, 1) if "\r" in line or "\n" in line)
        raise LayoutFejl("et felt indeholder et linjeskift (CR eller LF)", linje=linje)
    try:
        return text.encode(ENCODING)
    except UnicodeEncodeError as exc:
        linje = text.count(CRLF, 0, exc.start) + 1
        raise LayoutFejl(f"tegnet {text[exc.start]!r} findes ikke i ISO-8859-1", linje=linje) from None


def split_file(data: bytes, length: int = 120) -> list[str]:
    """Decode and split a file into records, strictly: every record ends in CRLF."""
    text = data.decode(ENCODING)
    if not text:
        raise LayoutFejl("filen er tom")
    parts = text.split("\n")
    for i, part in enumerate(parts[:-1], 1):
        if not part.endswith("\r") or "\r" in part[:-1]:
            raise LayoutFejl("posten slutter ikke med CRLF", linje=i)
    if parts[-1]:
        raise LayoutFejl("sidste post slutter ikke med CRLF", linje=len(parts))
    return [part[:-1] for part in parts[:-1]]


def read_file(data: bytes, layouts: dict[str, Layout], *, start: str = "00", end: str = "99") -> list[tuple[int, dict]]:
    """Read a whole file of start record, detail records, end record; every record
    is checked against the layout for its 2-character type. Returns (line, record)."""
    lines = split_file(data)
    out = []
    for i, line in enumerate(lines, 1):
        kind = line[:2]
        layout = layouts.get(kind)
        if layout is None:
            raise LayoutFejl(f"ukendt posttype {kind!r}", linje=i, felt="posttype")
        if kind == start and i != 1:
            raise LayoutFejl("startpost skal være første linje", linje=i, felt="posttype")
        if kind == end and i != len(lines):
            raise LayoutFejl("slutpost skal være sidste linje", linje=i, felt="posttype")
        out.append((i, layout.read(line, i)))
    if lines[0][:2] != start:
        raise LayoutFejl("første linje er ikke en startpost", linje=1, felt="posttype")
    if lines[-1][:2] != end:
        raise LayoutFejl("sidste linje er ikke en slutpost", linje=len(lines), felt="posttype")
    return out
