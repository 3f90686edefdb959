"""Large XML exports, one record at a time, in bounded memory, with the line of every fault.

The file is cut into its records (`<post>…</post>`, `<item>…</item>`) by a byte scanner that
skips CDATA and comments; each record is parsed alone inside the document's own root tag, so
its namespaces resolve. Strict mode first checks the whole document with expat (nothing is
imported from a malformed file). Lenient mode parses what it can: a stray byte before
`<?xml`, an unquoted attribute, an undefined entity or a control character is repaired and
reported; a record that still fails is skipped and reported. DTDs are refused (no entity
expansion, no external entities).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from html.entities import name2codepoint
from pathlib import Path
from xml.parsers import expat

from belowline.importers.records import Fault

CHUNK = 1 << 20
_UNQUOTED = re.compile(rb"(<[A-Za-z][^<>]*?\s[\w:.-]+)=([^\s\"'<>=/][^\s<>]*?)(?=[\s/>])")
_BAD_ENTITY = re.compile(rb"&(?!(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);)([A-Za-z]\w*;)?")
_CONTROL = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_DTD = re.compile(rb"<!DOCTYPE|<!ENTITY", re.IGNORECASE)
_ROOT = re.compile(rb"<([A-Za-z_][\w:.-]*)(?:\s[^<>]*)?>")


class _Refused(Exception):
    pass


def _refuse_dtd(*_args: object) -> None:
    raise _Refused


def _entity(match: re.Match[bytes]) -> bytes:
    """An HTML entity (&nbsp;) becomes its character; a bare & becomes &amp;."""
    name = (match.group(1) or b"")[:-1].decode()
    if name in name2codepoint:
        return f"&#{name2codepoint[name]};".encode()
    return b"&amp;" + (match.group(1) or b"")


def _repair(record: bytes) -> tuple[bytes, list[str]]:
    """Fix the faults real exports have; say which were found."""
    found = []
    fixed = _CONTROL.sub(b"", record)
    if fixed != record:
        found.append("control character")
    record, fixed = fixed, _BAD_ENTITY.sub(_entity, fixed)
    if fixed != record:
        found.append("undefined entity or bare &")
    record = fixed
    while True:  # one unquoted attribute per pass and tag
        fixed = _UNQUOTED.sub(rb'\1="\2"', record)
        if fixed == record:
            break
        if "unquoted attribute value" not in found:
            found.append("unquoted attribute value")
        record = fixed
    return record, found


class XmlRecords:
    """Yields (line, element) for each record tag at the top of the document, or a Fault."""

    def __init__(
        self,
        path: Path,
        *,
        record_tags: tuple[str, ...],
        lenient: bool,
        salvage: str | None = None,
    ) -> None:
        self.path = path
        self.lenient = lenient
        # A child tag (WXR's wp:comment) each parsed alone when its record will not parse whole.
        self._salvage = (
            re.compile(
                rb"<"
                + re.escape(salvage.encode())
                + rb"[\s>].*?</"
                + re.escape(salvage.encode())
                + rb">",
                re.S,
            )
            if salvage
            else None
        )
        self.size = path.stat().st_size
        self.total = self.size if lenient else 2 * self.size
        self._done = 0
        self._tags = record_tags
        names = b"|".join(re.escape(t.encode()) for t in record_tags)
        self._start = re.compile(rb"<(" + names + rb")(?=[\s/>])|<!\[CDATA\[|<!--")

    def position(self) -> int:
        return self._done

    def check(self) -> Fault | None:
        """Well-formedness of the whole document (strict mode), in one streaming expat pass."""
        parser = expat.ParserCreate()
        parser.StartDoctypeDeclHandler = _refuse_dtd
        parser.EntityDeclHandler = _refuse_dtd
        try:
            with self.path.open("rb") as f:
                while chunk := f.read(CHUNK):
                    parser.Parse(chunk, False)
                    self._done += len(chunk)
                parser.Parse(b"", True)
        except expat.ExpatError as exc:
            return Fault(exc.lineno, f"not well-formed XML: {expat.ErrorString(exc.code)}")
        except _Refused:
            return Fault(parser.CurrentLineNumber, "a DTD is not accepted in an import file")
        return None

    def elements(self) -> Iterator[tuple[int, ET.Element] | Fault]:
        if not self.lenient:
            fault = self.check()
            if fault is not None:
                yield fault
                return
        with self.path.open("rb") as f:
            yield from self._scan(f)

    def _scan(self, f: object) -> Iterator[tuple[int, ET.Element] | Fault]:
        read = f.read  # type: ignore[attr-defined]
        buf: bytes = read(CHUNK)
        self._done += len(buf)
        pos, line = 0, 1
        head = buf.lstrip(b"\xef\xbb\xbf \t\r\n")
        if head and not head.startswith(b"<"):
            junk = len(buf) - len(head)
            cut = buf.find(b"<")
            yield Fault(1, "unexpected text before the XML declaration (skipped)")
            if cut < 0:
                return
            line += buf.count(b"\n", junk, cut)
            pos = cut
        if _DTD.search(buf, pos, pos + 4096):
            yield Fault(1, "a DTD is not accepted in an import file")
            return
        root, root_name = self._root(buf, pos)
        if root is None:
            yield Fault(line, "no root element found")
            return
        close = b"</" + root_name + b">"
        eof = False
        while True:
            match = self._start.search(buf, pos)
            end_at: int | None = None
            if match is not None:
                if match.group(1) is None:  # CDATA or comment outside records: skip it
                    end_at = self._skip_special(buf, match.start())
                    if end_at is not None:
                        line += buf.count(b"\n", pos, end_at)
                        pos = end_at
                        continue
                else:
                    end_at = self._record_end(buf, match.start(), match.group(1))
                    if end_at is not None:
                        line += buf.count(b"\n", pos, match.start())
                        pos = match.start()
                        yield from self._parse(root, close, buf[pos:end_at], line)
                        line += buf.count(b"\n", pos, end_at)
                        pos = end_at
                        continue
            if eof:
                if match is not None:
                    tag = (match.group(1) or b"section").decode()
                    start_line = line + buf.count(b"\n", pos, match.start())
                    yield Fault(start_line, f"<{tag}> is not closed before the end of the file")
                return
            # Need more bytes: keep everything from the first unfinished thing onwards.
            keep = match.start() if match is not None else max(pos, len(buf) - 64)
            line += buf.count(b"\n", pos, keep)
            chunk = read(CHUNK)
            self._done += len(chunk)
            eof = not chunk
            buf, pos = buf[keep:] + chunk, 0

    @staticmethod
    def _root(buf: bytes, pos: int) -> tuple[bytes | None, bytes]:
        i = pos
        while True:
            lt = buf.find(b"<", i)
            if lt < 0:
                return None, b""
            if buf.startswith((b"<?", b"<!"), lt):
                i = buf.find(b">", lt) + 1
                if i == 0:
                    return None, b""
                continue
            m = _ROOT.match(buf, lt)
            if m is None:
                return None, b""
            return m.group(0).replace(b"\n", b" ").replace(b"\r", b" "), m.group(1)

    @staticmethod
    def _skip_special(buf: bytes, at: int) -> int | None:
        terminator = b"]]>" if buf.startswith(b"<![CDATA[", at) else b"-->"
        end = buf.find(terminator, at)
        return None if end < 0 else end + len(terminator)

    def _record_end(self, buf: bytes, at: int, tag: bytes) -> int | None:
        gt = buf.find(b">", at)
        if gt < 0:
            return None
        if buf[gt - 1 : gt] == b"/":
            return gt + 1
        closing = b"</" + tag + b">"
        i = gt + 1
        while True:
            end = buf.find(closing, i)
            special = buf.find(b"<![CDATA[", i, end if end >= 0 else len(buf))
            comment = buf.find(b"<!--", i, end if end >= 0 else len(buf))
            firsts = [s for s in (special, comment) if s >= 0]
            if firsts:
                skip = self._skip_special(buf, min(firsts))
                if skip is None:
                    return None
                i = skip
                continue
            return None if end < 0 else end + len(closing)

    def _parse(
        self, root: bytes, close: bytes, record: bytes, line: int
    ) -> Iterator[tuple[int, ET.Element] | Fault]:
        try:
            yield line, _one(root, close, record)
            return
        except ET.ParseError as exc:
            where = line + exc.position[0] - 1
            problem = str(exc).split(":")[0]
            if not self.lenient:
                yield Fault(where, f"not well-formed XML: {problem}")
                return
        repaired, found = _repair(record)
        try:
            element = _one(root, close, repaired)
        except ET.ParseError:
            if self._salvage is None:
                yield Fault(where, f"not well-formed XML: {problem}; the record is skipped")
                return
            yield from self._salvaged(self._salvage, root, close, record, line)
            return
        yield Fault(where, f"{', '.join(found)} (repaired and imported)")
        yield line, element

    @staticmethod
    def _salvaged(
        children: re.Pattern[bytes], root: bytes, close: bytes, record: bytes, line: int
    ) -> Iterator[tuple[int, ET.Element] | Fault]:
        """The record without its broken children: each child parsed alone, faults by line."""
        kept: list[bytes] = []
        skeleton = record
        for child in reversed(list(children.finditer(record))):
            skeleton = skeleton[: child.start()] + skeleton[child.end() :]
            piece, _found = _repair(child.group(0))
            at = line + record.count(b"\n", 0, child.start())
            try:
                _one(root, close, piece)
            except ET.ParseError as exc:
                problem = str(exc).split(":")[0]
                yield Fault(
                    at + exc.position[0] - 1,
                    f"not well-formed XML: {problem}; this comment is skipped, the rest imported",
                )
                continue
            kept.insert(0, piece)
        skeleton, _found = _repair(skeleton)
        end = skeleton.rfind(b"</")
        try:
            element = _one(root, close, skeleton[:end] + b"".join(kept) + skeleton[end:])
        except ET.ParseError as exc:
            problem = str(exc).split(":")[0]
            yield Fault(line + exc.position[0] - 1, f"not well-formed XML: {problem}; skipped")
            return
        yield line, element


def _one(root: bytes, close: bytes, record: bytes) -> ET.Element:
    # The document's own root tag supplies the namespaces; DTDs were refused above.
    wrapper = ET.fromstring(root + record + close)  # noqa: S314
    return wrapper[0]


def text(element: ET.Element, path: str, ns: dict[str, str]) -> str:
    """A child's text, stripped ('' when absent)."""
    found = element.find(path, ns)
    return (found.text or "").strip() if found is not None else ""
