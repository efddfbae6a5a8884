"""Which ``html-page-context`` handlers make a page's own parts, for ``pages/frame.py``.

A generated page is written as the theme's *frame*, rendered once per kind of page, with
the page's own parts put into it (:mod:`conference_recaps.pages.frame`). A handler that
computes something from the page itself (its title, its entry in the catalogue, its
place in the sidebar) declares with :func:`page_part` the context keys it sets. For each
generated page these handlers alone run, in Sphinx's order, on the page's context; when
a frame is rendered they put the frame's placeholders in those keys instead. Every other
handler runs once per frame, so it must give every page of a kind the same result.

The module imports nothing of the package, so any module can mark its handlers.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any, Protocol, TypeVar, cast

if TYPE_CHECKING:
    from collections.abc import Callable

#: The context key that holds the frame being rendered (absent for a real page).
FRAME_MARK = "recaps_frame"
_KEYS = "recaps_page_part"

Handler = TypeVar("Handler", bound="Callable[..., Any]")


class FrameMark(Protocol):
    """What a page-part handler sees of the frame being rendered."""

    #: A real page of the frame's kind, for handlers that look up what a kind loads.
    page: str

    def fill(self, context: dict[str, Any], keys: tuple[str, ...]) -> None:
        """Put the frame's placeholders (or the kind's constant values) in ``keys``."""


def page_part(*keys: str) -> Callable[[Handler], Handler]:
    """Mark an ``html-page-context`` handler as setting these keys from the page itself."""

    def mark(handler: Handler) -> Handler:
        @functools.wraps(handler)
        def wrapper(*args: Any) -> Any:
            # (app, pagename, templatename, context, doctree), after self for a method.
            context: dict[str, Any] = args[-2]
            frame: FrameMark | None = context.get(FRAME_MARK)
            if frame is not None:
                frame.fill(context, keys)
                return None
            return handler(*args)

        setattr(wrapper, _KEYS, keys)
        return cast("Handler", wrapper)

    return mark


def page_part_keys(handler: Callable[..., Any]) -> tuple[str, ...] | None:
    """The keys a page-part handler sets, or None for a handler run once per frame."""
    keys = getattr(handler, _KEYS, None)
    return keys if isinstance(keys, tuple) else None
