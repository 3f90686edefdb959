"""Plain comments are rendered directly: exactly what markdown-it then nh3 make of them."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from belowline.comments import rendering

# The plain alphabet, then characters markdown or HTML act on (so the direct path must step
# aside), in texts shaped like comments: words, lines, blank lines, leading digits.
PLAIN = "aZé中 \n.,;:?!'\"0"
ACTIVE = "*_`~[]()<>&\\#-+=|\t\u00a0\r1)"


@settings(max_examples=3000, deadline=None)
@given(st.text(alphabet=PLAIN + ACTIVE, max_size=40))
def test_the_direct_rendering_is_the_full_one(text: str) -> None:
    assert rendering.render_markdown(text) == rendering._render_full(text)


@settings(max_examples=1500, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "word",
                "Ünï",
                "!",
                ":",
                "https://x.io",
                "  ",
                "\n",
                "\n\n",
                " \n ",
                "9",
                "1.",
                "x,",
                '"q"',
                "it's",
                "?",
            ]
        ),
        max_size=12,
    )
)
def test_comment_shaped_texts_render_the_same(parts: list[str]) -> None:
    text = "".join(parts)
    assert rendering.render_markdown(text) == rendering._render_full(text)


def test_a_plain_comment_takes_the_direct_path_and_markup_does_not() -> None:
    text = 'Thanks, this is "news" to me.\n\nSecond paragraph\nand its line?'
    assert rendering._render_plain(text) == (
        '<p>Thanks, this is "news" to me.</p>\n<p>Second paragraph<br>\nand its line?</p>'
    )
    assert rendering._render_plain("**bold**") is None
    assert rendering._render_plain("1. a list") is None
    assert rendering._render_plain("   ") is None
