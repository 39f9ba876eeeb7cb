"""Markdown → docx with pandoc (shipped inside pypandoc-binary), styled by our reference docx.

The Markdown dialect is pandoc's, trimmed of what misfires on Chinese official prose: line breaks
between CJK characters must not become spaces (east_asian_line_breaks), "$", "~", "^", "@" are
ordinary characters in a report, raw HTML/TeX must not pass through, and quotes stay as typed.
SOURCE_DATE_EPOCH pins the dates pandoc writes, so its output is byte-identical between builds.

Starting pandoc costs some 40 ms before it converts anything (a large Haskell binary), more than
converting a report takes. So from its second document on, a build converts them all in one
process: `pandoc lua` runs _SERVER, which answers requests on stdin with pandoc.read and
pandoc.write, the reader and writer the command line runs, with the same options, giving the same
bytes. Whatever is out of the ordinary for a document goes through the command line as before, so
the messages and results stay exactly the command line's: a warning or an error (an image that
cannot be fetched), input the command line would first rewrite (tabs, CR, a BOM), or a converter
that cannot start or answer.
"""
from __future__ import annotations

import atexit
import importlib.util
import logging
import os
import subprocess
import tempfile
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from functools import lru_cache
from pathlib import Path

from ..i18n import _

log = logging.getLogger(__name__)

MARKDOWN = ("markdown+east_asian_line_breaks-auto_identifiers-smart-tex_math_dollars-raw_html-raw_tex"
            "-raw_attribute-implicit_figures-subscript-superscript-citations-example_lists-task_lists"
            "-yaml_metadata_block-fancy_lists-strikeout-footnotes-inline_notes-link_attributes")
EPOCH = "946684800"  # 2000-01-01: any fixed date; the documents carry no meaningful timestamp


class PandocError(RuntimeError):
    pass


@lru_cache(maxsize=4)
def _reference_file(reference: bytes) -> str:
    """pandoc reads the reference from a path: write it once per process and content (removed
    when the process exits)."""
    fd, path = tempfile.mkstemp(prefix="selfeval-reference-", suffix=".docx")
    with os.fdopen(fd, "wb") as f:
        f.write(reference)
    _temporary.append((os.getpid(), path))
    return path


_temporary: list[tuple[int, str]] = []


@atexit.register
def _remove_temporary() -> None:
    for pid, path in _temporary:
        if pid == os.getpid():                      # not a forked child's copy of the list
            try:
                os.unlink(path)
            except OSError:
                pass


def start(markdown: str, reference: bytes) -> Future[bytes]:
    """to_docx in the background. pandoc converts in its own process, so the caller's own work
    (the 自评表, the workbook) runs meanwhile on another core; the thread only waits on pipes.
    A cold single build saves pandoc's whole run this way (~40 ms)."""
    global _pool
    if _pool is None or _pool[0] != os.getpid():        # a forked child cannot use its parent's thread
        _pool = (os.getpid(), ThreadPoolExecutor(max_workers=1, thread_name_prefix="pandoc"))
    return _pool[1].submit(to_docx, markdown, reference)


_pool: tuple[int, ThreadPoolExecutor] | None = None


def to_docx(markdown: str, reference: bytes) -> bytes:
    global _documents
    os.environ.setdefault("SOURCE_DATE_EPOCH", EPOCH)
    _documents += 1
    if _documents > 1 and not _CLI_REWRITES.intersection(markdown):
        converted = _convert(markdown.encode("utf-8"), _reference_file(reference))
        if converted is not None:
            return converted
    return command_line(markdown, reference)


def command_line(markdown: str, reference: bytes) -> bytes:
    """One document through pandoc's command line: the reference the shared process must equal.
    pandoc's own warnings (an image it cannot fetch) are logged; a failure raises PandocError."""
    os.environ.setdefault("SOURCE_DATE_EPOCH", EPOCH)
    fd, out = tempfile.mkstemp(prefix="selfeval-", suffix=".docx")
    os.close(fd)
    try:
        run = subprocess.run([pandoc_path(), f"--from={MARKDOWN}", "--to=docx", f"--output={out}",
                              f"--reference-doc={_reference_file(reference)}"],
                             input=markdown.encode("utf-8"), capture_output=True)
        warnings = run.stderr.decode("utf-8", errors="replace").strip()
        if run.returncode != 0:
            raise PandocError(_("pandoc failed: {error}").format(error=warnings or f"exit status {run.returncode}"))
        if warnings:
            log.warning("pandoc: %s", warnings)
        return Path(out).read_bytes()
    except OSError as e:
        raise PandocError(_("pandoc failed: {error}").format(error=e)) from e
    finally:
        os.unlink(out)


@lru_cache(maxsize=1)
def pandoc_path() -> str:
    """The pandoc that pypandoc-binary ships, found without importing pypandoc (it imports urllib,
    http and ssl for its downloader, and runs `pandoc --version` to choose among the pandocs it
    finds: ~10 ms of a cold build). The shipped one is the pandoc our output is checked against,
    whatever else is on PATH. PYPANDOC_PANDOC, or a pypandoc without the binary, goes through
    pypandoc's own search."""
    spec = None if os.environ.get("PYPANDOC_PANDOC") else importlib.util.find_spec("pypandoc")
    for folder in (spec.submodule_search_locations or []) if spec else []:
        shipped = Path(folder) / "files" / ("pandoc.exe" if os.name == "nt" else "pandoc")
        if shipped.is_file():
            return str(shipped)
    import pypandoc
    return pypandoc.get_pandoc_path()


# -- one pandoc process for many documents ----------------------------------------------------------

# request:  b"<length of reference path> <length of markdown>\n" reference-path markdown (UTF-8)
# response: b"ok <length>\n" docx-bytes, or b"cli 0\n": convert this one with the command line
_SERVER = """
local format = "%s"
-- The command line applies pandoc's eastAsianLineBreakFilter after reading when the format has
-- +east_asian_line_breaks (pandoc.read does not): drop a SoftBreak whose neighbours end and start
-- with a wide (East Asian) character.
local function wide(s) return s ~= "" and pandoc.layout.real_length(s) == 2 end
local east_asian_line_breaks = {
  Inlines = function(inlines)
    local out, n = pandoc.Inlines({}), #inlines
    for i = 1, n do
      local el = inlines[i]
      if not (el.t == "SoftBreak" and i > 1 and i < n
              and wide(pandoc.text.sub(pandoc.utils.stringify(inlines[i - 1]), -1))
              and wide(pandoc.text.sub(pandoc.utils.stringify(inlines[i + 1]), 1, 1))) then
        out:insert(el)
      end
    end
    return out
  end,
}
while true do
  local header = io.read("l")
  if header == nil then break end
  local nref, nmd = header:match("^(%%d+) (%%d+)$")
  local reference = io.read(tonumber(nref))
  local markdown = tonumber(nmd) > 0 and io.read(tonumber(nmd)) or ""
  local seen = #PANDOC_STATE.log
  local ok, docx = pcall(function()
    local doc = pandoc.read(markdown, format):walk(east_asian_line_breaks)
    return pandoc.write(doc, "docx", {reference_doc = reference})
  end)
  for i = seen + 1, #PANDOC_STATE.log do   -- anything above INFO is for the command line to say
    local encoded, message = pcall(pandoc.json.encode, PANDOC_STATE.log[i])
    if not (encoded and message:find('"verbosity":"INFO"', 1, true)) then ok = false end
  end
  if ok then io.write("ok ", #docx, "\\n", docx) else io.write("cli 0\\n") end
  io.stdout:flush()
end
""" % MARKDOWN
# The command line removes CRs, expands tabs and drops a BOM before reading: leave those to it.
_CLI_REWRITES = frozenset("\r\t\ufeff")


class _Server:
    """A `pandoc lua` process running _SERVER, serving one Python process (not a forked child,
    which would share its pipes) in the working directory and with the SOURCE_DATE_EPOCH of the
    documents it converts: `key`."""

    def __init__(self, key: tuple[int, str, str | None]):
        self.key = key
        self.process = subprocess.Popen([pandoc_path(), "lua", "-e", _SERVER],
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        stderr=subprocess.DEVNULL)

    def convert(self, markdown: bytes, reference: str) -> bytes | None:
        path = os.fsencode(reference)
        self.process.stdin.write(b"%d %d\n" % (len(path), len(markdown)) + path + markdown)
        self.process.stdin.flush()
        status, size = self.process.stdout.readline().split()
        if status == b"cli":
            log.debug("pandoc lua: a warning or error; this document goes through the command line")
            return None
        data = self.process.stdout.read(int(size))
        if status != b"ok" or len(data) != int(size):
            raise EOFError("pandoc lua: unexpected answer")
        return data

    def close(self) -> None:
        try:
            self.process.stdin.close()
            self.process.wait(timeout=5)
        except (OSError, subprocess.TimeoutExpired):
            self.process.kill()


# A process that converts one document (make's one source per process) gains nothing from the
# server, which takes longer to start and more memory than one command-line run: it starts with
# the second document.
_documents = 0
_server: _Server | None = None
_server_failed = False
_server_lock = threading.Lock()


def _convert(markdown: bytes, reference: str) -> bytes | None:
    """The docx from the shared pandoc process, or None: then the command line converts it."""
    global _server, _server_failed
    with _server_lock:
        if _server_failed:
            return None
        try:
            key = (os.getpid(), os.getcwd(), os.environ.get("SOURCE_DATE_EPOCH"))
            if _server is not None and _server.key != key:
                if _server.key[0] == key[0]:        # a forked child leaves its parent's alone
                    _server.close()
                _server = None
            if _server is None:
                _server = _Server(key)
            return _server.convert(markdown, reference)
        except (OSError, ValueError, EOFError) as e:   # cannot start or answer: the command line will do
            log.debug("pandoc lua failed (%s: %s); the command line converts from now on", type(e).__name__, e)
            _server_failed = True
            if _server is not None:
                _server.close()
                _server = None
            return None


@atexit.register
def _stop_server() -> None:
    if _server is not None and _server.key[0] == os.getpid():
        _server.close()
