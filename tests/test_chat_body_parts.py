"""A streamed reply's tail part stays bounded whatever the batches look like.

The bench once showed a 20,000-token reply with one part of 31,000
characters: a tail that had grown past its last safe cut found no cut "in its
first PART_CHARS characters" beyond what it already held, so it was never
frozen again, and every append re-wrapped the whole of it (O(n²) once more).

A review then found replies never cut at all (Chinese with no spaces, a tight
list, one line with no spaces: 12 s to 566 s to render) and cuts inside
``*emphasis*`` that showed the markers. Each test here writes a reply in
batches and checks the parts add up to exactly what was written.
"""

from __future__ import annotations

import time

import pytest
from textual.app import App, ComposeResult
from textual.pilot import Pilot
from textual.widgets import Markdown
from textual.widgets._markdown import MarkdownBullet, MarkdownFence, MarkdownTable

from tui.core.chat.markdown_cuts import HARD_CHARS, PART_CHARS, hard_cut, split_point
from tui.ui.widgets.chat_body import ReplyBody

SENTENCE = "Every word of this reply must stay visible on the screen. "  # 58 characters


class BodyApp(App):
    def compose(self) -> ComposeResult:
        yield ReplyBody()


def words(n: int) -> str:
    """``n`` characters of words with no sentence end."""
    return ("word " * (n // 5 + 1))[:n]


async def test_a_tail_past_its_last_safe_cut_is_still_cut_later() -> None:
    app = BodyApp()
    batch = 3000
    async with app.run_test(size=(80, 30)) as pilot:
        body = app.query_one(ReplyBody)
        head = SENTENCE * ((PART_CHARS - 100) // len(SENTENCE))
        # the last sentence end sits before the tail's end, and none follows in
        # the part's first PART_CHARS characters: no cut beyond the tail there
        await body.write(head + words(PART_CHARS - 10 - len(head)))
        text = body.source
        for _ in range(10):
            chunk = words(200) + ". " + SENTENCE * ((batch - 202) // len(SENTENCE))
            await body.write(chunk)
            text += chunk
        await body.stop()
        await pilot.pause()
        parts = [p.source for p in body.query(Markdown)]
        assert "".join(parts) == text
        assert len(parts) >= len(text) // (PART_CHARS + batch), len(parts)
        assert max(map(len, parts)) <= PART_CHARS + batch, [len(p) for p in parts]


async def write_all(pilot: Pilot, body: ReplyBody, text: str, batch: int) -> None:
    """Write ``text`` in batches of ``batch``, end the stream, let a frame be drawn."""
    for i in range(0, len(text), batch):
        await body.write(text[i : i + batch])
    await body.stop()
    await pilot.pause()


async def _parts_of(text: str, batch: int = 60, whole: bool = True) -> list[str]:
    """The parts' sources after ``text`` was written in batches of ``batch``."""
    app = BodyApp()
    async with app.run_test(size=(80, 30)) as pilot:
        body = app.query_one(ReplyBody)
        await write_all(pilot, body, text, batch)
        parts = [p.source for p in body.query(Markdown)]
        assert body.source == text  # everything written, once, in order
        if whole:
            assert "".join(parts) == text
        return parts


@pytest.mark.parametrize(
    ("text", "batch", "bound"),
    [
        # Chinese: 。 with no white space after it ends a sentence
        ("这是一个用来测试的很长的句子，它没有空格。" * 600, 60, PART_CHARS + 60),
        # a tight list: cut between two items
        (
            "".join(f"{i}. item number {i} of a long tight list.\n" for i in range(1, 300)),
            60,
            PART_CHARS + 60,
        ),
        # one line with no spaces: no safe cut at all, cut at the hard cap
        ("a" * 30_000, 600, HARD_CHARS + 600),
        # hard-wrapped prose (a paragraph of many lines) is cut after a sentence
        (("A line of prose that the model wrapped. It goes on\n" * 300), 60, PART_CHARS + 60),
        # a long quote: cut at a line break past the cap, its lines stay quote lines
        ("> quoted words go on and on\n" * 1200, 300, HARD_CHARS + 300),
    ],
    ids=["cjk", "tight-list", "one-line", "wrapped-prose", "quote"],
)
async def test_a_reply_without_a_latin_sentence_end_is_still_cut(
    text: str, batch: int, bound: int
) -> None:
    parts = await _parts_of(text, batch)
    assert len(parts) > 1 and max(map(len, parts)) <= bound, [len(p) for p in parts]
    if text.startswith("> "):
        assert all(p.startswith("> ") for p in parts if p)


@pytest.mark.parametrize("span", ["*", "_", "~~"])
def test_a_cut_never_falls_inside_emphasis(span: str) -> None:
    filler = "This sentence is filler text for the paragraph. " * 70
    text = filler + f"{span}An emphasised passage. It spans two sentences.{span} " + filler[:48]
    cut, _ = split_point(text)
    assert cut and text[:cut].count(span) % 2 == 0, text[cut - 40 : cut]


def test_words_with_underscores_and_lone_stars_do_not_block_cuts() -> None:
    filler = "Call snake_case_name with 2 * 3 items. " * 110
    cut, continued = split_point(filler)
    assert continued and cut > PART_CHARS // 2 and filler[cut - 2 : cut] == ". "


def test_markers_in_code_spans_and_escapes_do_not_block_cuts() -> None:
    filler = "Use `a*b` or `x_` and \\* here. " * 130
    cut, continued = split_point(filler)
    assert continued and cut > PART_CHARS // 2 and filler[cut - 2 : cut] == ". "


def test_one_code_line_longer_than_the_cap_is_cut_and_the_fence_reopened() -> None:
    text = "```json\n" + "x" * (HARD_CHARS + 100)
    cut = hard_cut(text)
    assert cut.at == HARD_CHARS and cut.close == "\n```\n" and cut.reopen == "```json\n"


def test_a_fence_whose_first_line_is_not_whole_is_not_cut_in_its_info_string() -> None:
    text = "word " * 2390 + "\n```pyth"
    cut = hard_cut(text, len(text))
    assert cut.at == text.index("```") and not cut.close and not cut.reopen


def test_a_sentence_cut_never_starts_a_block_in_the_next_part() -> None:
    text = "The war ended. 1918. Then peace came. " * 130
    limit = 100 * 38 + 18  # the last sentence end before it is followed by "1918."
    cut, _ = split_point(text, limit)
    assert cut and not text[cut:].startswith("1918."), text[cut - 20 : cut + 20]


async def test_a_continued_numbered_list_keeps_its_numbers() -> None:
    items = [f"item number {i} of a long tight list" for i in range(1, 300)]
    text = "".join(f"{i}. {item}\n" for i, item in enumerate(items, 1))
    app = BodyApp()
    async with app.run_test(size=(80, 30)) as pilot:
        body = app.query_one(ReplyBody)
        await write_all(pilot, body, text, 60)
        assert len(body.query(Markdown)) > 2
        numbers = [bullet.symbol.strip() for bullet in body.query(MarkdownBullet)]
        assert numbers == [f"{i}." for i in range(1, 300)]


async def test_a_code_block_opened_just_short_of_a_part_starts_the_next_part() -> None:
    # the fence opens in a batch that ends short of PART_CHARS; the next batch
    # passes it, when the point before the fence is already inside the tail
    head = "Some words before the code. " * 138  # 3,864 characters
    code = "```python\n" + "".join(f"x_{i} = {i}\n" for i in range(300)) + "```\n\nAfter.\n"
    parts = await _parts_of(head + "\n\n" + code)
    assert parts[0] == head + "\n\n", [len(p) for p in parts]
    assert parts[1].startswith("```python\n")


async def test_a_long_code_block_just_closed_ends_its_part() -> None:
    code = "```\n" + "".join(f"line_{i} = {i}\n" for i in range(500)) + "```\n\n"
    code = "```\n" + "#" * (-len(code) % 60 - 1) + "\n" + code[4:]  # a batch ends at "\n\n"
    assert len(code) % 60 == 0
    parts = await _parts_of(code + "> a long quote has no safe cut\n" * 300)
    assert PART_CHARS < len(code) < HARD_CHARS and parts[0] == code, [len(p) for p in parts]


async def test_a_long_code_block_is_cut_between_lines_and_shown_whole() -> None:
    lines = [f"    value_{i} = compute({i})  # a comment\n" for i in range(500)]
    text = "Intro.\n\n```python\n" + "".join(lines) + "```\n\nThat was the code.\n"
    app = BodyApp()
    async with app.run_test(size=(100, 30)) as pilot:
        body = app.query_one(ReplyBody)
        await write_all(pilot, body, text, 300)
        parts = [p.source for p in body.query(Markdown)]
        assert body.source == text  # the fence closed and reopened is shown only
        assert len(parts) > 1 and max(map(len, parts)) <= HARD_CHARS + 300 + 20
        fences = list(body.query(MarkdownFence))
        assert len(fences) >= 2 and all(f.lexer == "python" for f in fences)
        shown = "".join(f.code + "\n" for f in fences)  # (each block's code, stripped)
        assert shown == "".join(lines), "every line of code shown once, in order"


async def test_a_long_table_is_cut_between_rows_and_each_part_shows_its_header() -> None:
    head = "| name | value |\n|------|------:|\n"
    rows = "".join(f"| row {i} of a table with long rows | {i * 7} |\n" for i in range(360))
    app = BodyApp()
    async with app.run_test(size=(80, 30)) as pilot:
        body = app.query_one(ReplyBody)
        text = head + rows
        await write_all(pilot, body, text, 600)
        assert body.source == text  # the header shown again is not written again
        parts = [p.source for p in body.query(Markdown)]
        assert len(parts) > 1 and max(map(len, parts)) <= HARD_CHARS + 600 + len(head)
        assert all(p.startswith(head) for p in parts)
        assert len(body.query(MarkdownTable)) == len(parts)


def _best_search(text: str) -> float:
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        split_point(text, len(text))
        best = min(best, time.perf_counter() - start)
    return best


def test_a_line_of_pipes_is_searched_in_linear_time() -> None:
    """Second hostile review: the table-rule branch of the "line that starts a block"
    pattern backtracked over a long line of ``|`` ending in a letter (8,000 pipes:
    0.33 s; a 12 KB reply written in 60-character batches held the loop 20 s)."""
    small = _best_search("word\n:" + "|" * 1_000 + "x")
    big = _best_search("word\n:" + "|" * 10_000 + "x")
    assert big <= 30 * small + 0.01, (small, big)  # quadratic: 100x
