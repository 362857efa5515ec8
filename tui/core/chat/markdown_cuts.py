"""Where a streamed reply's Markdown may be cut into parts that render as the whole.

The chat pane shows a reply as a chain of Markdown parts (tui/ui/widgets/chat_body.py):
only the tail takes appends and it is frozen at a cut found here. A safe cut
(``split_point``) is a block boundary, a point between two items of a tight list,
or a sentence end of a plain paragraph (Chinese ``。`` included), never inside a
code fence, an open inline span or emphasis, a table. Past ``HARD_CHARS`` with no
safe cut, ``hard_cut`` cuts anyway (a line break, else a space, else anywhere),
saying what the parts must show to stay whole (a fence closed and reopened, a
table's head again). Pure text: no Textual.
"""

from __future__ import annotations

import re
import unicodedata
from typing import NamedTuple

#: A tail part is frozen once it holds this many characters (at a safe point).
PART_CHARS = 4000
#: ... and cut even where no point is safe once it holds this many.
HARD_CHARS = 3 * PART_CHARS
#: A sentence end where a long paragraph may be continued: Latin ones need white
#: space after them; Chinese ones (。！？) none. A closing quote, bracket or
#: emphasis marker may follow the stop.
_SENTENCE = re.compile(r"[.!?][\"')\]”’*_~]{0,3}\s+|[。！？][”’」』）)\"'*_~]{0,3}\s*")
_BLOCK_START = re.compile(r"\s{0,3}([-*+>|#]|\d+[.)]|\s)")
#: A line that could start a block (or underline a heading) inside a paragraph:
#: a paragraph holding one is not cut after its sentences.
_LINE_BLOCK = re.compile(
    r"\n {0,3}(?:[-*+](?:[ \t]|$)|\d{1,9}[.)](?:[ \t]|$)|#|>|<|\||`{3}|~{3}|=+[ \t]*$"
    r"|(?:[-*_][ \t]*){3,}$)|^[ \t:-]*\|[ \t|:-]*$",  # the table rule: its first | anchors it
    re.M,
)
#: What must not begin the continued part: it would start a block there.
_STARTS_BLOCK = re.compile(r"[-*+](?:\s|$)|\d{1,9}[.)](?:\s|$)|[#>|<=]|`{3}|~{3}")
#: A list item's first line, at column 0: a bullet, or a number and ``.``/``)``.
_ITEM = re.compile(r"([-*+])[ \t]|\d{1,9}([.)])[ \t]")
#: A code fence's line (any indentation; a fence in a list item is indented).
_FENCE = re.compile(r"^([ \t]*)(`{3,}|~{3,})(.*)$", re.M)
_TABLE_RULE = re.compile(r" {0,3}\|?[ \t]*:?-+:?[ \t]*(\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*")
_CODE_SPAN = re.compile(r"(?<!`)(`+)(?!`)(.+?)(?<!`)\1(?!`)", re.S)
_ESCAPE = re.compile(r"\\[^\n]")
_DELIMS = re.compile(r"\*+|_+|~~+")


class Cut(NamedTuple):
    """Where a tail is frozen, and what is shown (not written) around the cut."""

    at: int
    #: The next part goes on with the same block: no gap between the parts.
    continued: bool
    #: Shown after the frozen part's text (a code fence closed there) ...
    close: str = ""
    #: ... and before the next part's (the same fence opened again).
    reopen: str = ""


def split_point(text: str, limit: int = PART_CHARS) -> tuple[int, bool]:
    """Where the first ``limit`` characters of ``text`` may be cut so both halves
    render as they would together; ``(0, False)`` when nowhere safe.

    Returns the cut and whether it falls inside a block (a continuation).
    Before a code fence or at a block boundary in the second half wins; else
    before the last item of a tight list; else the last sentence end of a plain
    paragraph. Never inside a code fence, a quote, a table or an open inline span.
    """
    head = text[:limit]
    fence = _open_fence(head)
    if fence is not None:
        start = fence.start()
        if start >= limit // 2 and not fence.group(1):
            return start, False  # a fence at column 0 starts a block of its own
        head = head[:start]
    block = head.rfind("\n\n")
    after = text[block + 2 : block + 3]
    if block >= limit // 2 and after and not after.isspace() and _open_fence(head[:block]) is None:
        return block + 2, False  # (an indented line after it would go on a list item)
    para = head[block + 2 :] if block >= 0 else head
    base = len(head) - len(para)
    item = _ITEM.match(para)
    if item is not None:
        return _between_items(para, item, base)
    if _BLOCK_START.match(para) or _LINE_BLOCK.search(para.strip("\n")):
        return 0, False  # quote, table, heading, indented code: keep it whole
    ends = [m.end() for m in _SENTENCE.finditer(para) if m.end() < len(para)]
    ends = [cut for cut in ends[-24:] if not _may_start_block(text[base + cut : base + cut + 12])]
    closed = _closed_cuts(para, ends)  # (the last few only: each costs a count)
    return (base + closed[-1], True) if closed else (0, False)


def _may_start_block(rest: str) -> bool:
    """Whether a part starting with ``rest`` may start a block there ("1918. Then"
    would be a list), or can't tell yet (a few characters, no space among them)."""
    return bool(_STARTS_BLOCK.match(rest)) or (len(rest) < 12 and not re.search(r"\s", rest))


def _between_items(para: str, first: re.Match[str], base: int) -> tuple[int, bool]:
    """Before the last item of a tight list (one at column 0, of the same kind as
    the first: a bullet of the same character, or a number with the same mark).
    The next part starts a list there; a numbered one keeps its numbers, as
    CommonMark takes a list's start from its first item."""
    if first.group(1):
        same = re.compile(rf"\n{re.escape(first.group(1))}[ \t]")
    else:
        same = re.compile(rf"\n\d{{1,9}}{re.escape(first.group(2))}[ \t]")
    cut = 0
    for m in same.finditer(para):
        cut = m.start() + 1
    if cut and _open_fence(para[:cut]) is None:
        return base + cut, True
    return 0, False


def hard_cut(text: str, cap: int = HARD_CHARS) -> Cut:
    """Where a tail with no safe point is cut once it holds ``cap`` characters.

    Inside a code fence: after its last whole line, the fence closed in the
    frozen part and opened again (same info string) in the next; what is shown
    is the code as written (a fence deep in a list item is reopened at the left
    margin; one line of code longer than ``cap`` goes on at the next line).
    Else at the last line break before a line at column 0 (an indented one
    could turn into code): a list or quote goes on in the next part (a numbered
    list keeps its numbers, a quote's lines stay ``>`` lines); a table's header
    is shown again atop the next part (its rows would be plain text without
    it). Else after the last space; else at the cap itself: a word with no
    spaces goes on at the next line.
    """
    head = text[:cap]
    fence = _open_fence(head)
    if fence is not None:
        indent, run, info = fence.groups()
        if fence.end() >= len(head):  # its first line is not whole yet: cut before it
            return Cut(fence.start(), False)
        reopen = f"{indent if len(indent.expandtabs(4)) <= 3 else ''}{run}{info}\n"
        line = head.rfind("\n", fence.end() + 1)
        if line >= 0:
            return Cut(line + 1, True, close=f"{indent}{run}\n", reopen=reopen)
        return Cut(_at_most(text, cap), True, close=f"\n{indent}{run}\n", reopen=reopen)
    half = cap // 2
    line = head.rfind("\n")
    while line >= half:
        if head[line + 1 : line + 2] not in (" ", "\t", "\n", ""):
            # a table's rows need its header: shown again at the next part's top
            return Cut(line + 1, True, reopen=_table_head(head[: line + 1]))
        line = head.rfind("\n", 0, line)
    space = max(head.rfind(" "), head.rfind("\t"))
    if space >= half:
        return Cut(space + 1, True)
    return Cut(_at_most(text, cap), True)


def _at_most(text: str, cap: int) -> int:
    """``cap``, or one less so as not to cut a surrogate pair in half."""
    cut = min(cap, len(text))
    if 0 < cut < len(text) and "\ud800" <= text[cut - 1] <= "\udbff":
        cut -= 1
    return cut


def _table_head(text: str) -> str:
    """The header and delimiter rows of the table ``text`` ends in, else ``""``."""
    block = text.rfind("\n\n")
    lines = text[block + 2 if block >= 0 else 0 :].split("\n", 2)
    if len(lines) == 3 and "|" in lines[0] and _TABLE_RULE.fullmatch(lines[1]):
        return f"{lines[0]}\n{lines[1]}\n"
    return ""


def _open_fence(text: str) -> re.Match[str] | None:
    """The opening line of the code fence still open at the end of ``text``."""
    opened: re.Match[str] | None = None
    for m in _FENCE.finditer(text):
        run = m.group(2)
        if opened is None:
            if not (run[0] == "`" and "`" in m.group(3)):  # else inline code, not a fence
                opened = m
        elif run[0] == opened.group(2)[0] and len(run) >= len(opened.group(2)):
            if not m.group(3).strip():
                opened = None
    return opened


def _closed_cuts(para: str, cuts: list[int]) -> list[int]:
    """The ``cuts`` (ascending) of one paragraph where no code span, emphasis,
    strikethrough or link is open: none of them would span two parts. One pass
    over the paragraph, whatever the number of cuts."""
    masked = _ESCAPE.sub("xx", para)
    spans = [m.span() for m in _CODE_SPAN.finditer(masked)]
    masked = _CODE_SPAN.sub(lambda m: "x" * len(m.group()), masked)  # same positions
    loose = masked.find("`")  # a code span opened and not (yet) closed
    emphasis = _emphasis_open_at(masked, cuts)
    return [
        cut
        for cut, emphasised in zip(cuts, emphasis, strict=True)
        if not emphasised
        and not (0 <= loose < cut)
        and not any(start < cut < end for start, end in spans)
        and masked.count("[", 0, cut) == masked.count("]", 0, cut)
        and masked.count("(", 0, cut) >= masked.count(")", 0, cut)
    ]


def _emphasis_open_at(text: str, cuts: list[int]) -> list[bool]:
    """For each of ``cuts`` (ascending): whether a ``*``, ``_`` or ``~~`` span is
    open there, by CommonMark's flanking rules (``2 * 3``, a ``*`` bullet and
    ``snake_case`` open nothing)."""
    opened = {"*": 0, "_": 0, "~": 0}
    result: list[bool] = []
    pending = iter(cuts)
    cut = next(pending, None)
    for m in _DELIMS.finditer(text):
        while cut is not None and cut <= m.start():
            result.append(any(opened.values()))
            cut = next(pending, None)
        if cut is None:
            break
        char, count = m.group()[0], len(m.group())
        before = text[m.start() - 1] if m.start() else " "
        after = text[m.end()] if m.end() < len(text) else " "
        left = not after.isspace() and (not _punct(after) or before.isspace() or _punct(before))
        right = not before.isspace() and (not _punct(before) or after.isspace() or _punct(after))
        if char == "_":
            can_open = left and (not right or _punct(before))
            can_close = right and (not left or _punct(after))
        else:
            can_open, can_close = left, right
        if can_close and opened[char]:
            taken = min(count, opened[char])
            opened[char] -= taken
            count -= taken
        if count and can_open:
            opened[char] += count
    while cut is not None:
        result.append(any(opened.values()))
        cut = next(pending, None)
    return result


def _punct(char: str) -> bool:
    return unicodedata.category(char)[0] in "PS"
