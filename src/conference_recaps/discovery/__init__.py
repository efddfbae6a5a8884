"""How people and search engines find the site: one module per concern.

- :mod:`.site`: the public base URL (canonical URLs) and what each page shows;
- :mod:`.jsonld`: schema.org structured data;
- :mod:`.opengraph`: Open Graph and Twitter card tags;
- :mod:`.feeds`: Atom and RSS feeds (site, conference, speaker and tag);
- :mod:`.api`: the static JSON API and CSV (open data);
- :mod:`.calendar`: an iCalendar file per conference;
- :mod:`.sitemap`: ``sitemap.xml`` and ``robots.txt``;
- :mod:`.search`: what the search indexes (each page's filters) and the search page;
- :mod:`.pagefind`: the Pagefind index itself: running it, when, and in one order;
- :mod:`.notfound`: the 404 page.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from conference_recaps.discovery.api import setup_api
from conference_recaps.discovery.breadcrumbs import setup_breadcrumbs
from conference_recaps.discovery.calendar import setup_calendar
from conference_recaps.discovery.cards import setup_cards
from conference_recaps.discovery.feeds import setup_feeds
from conference_recaps.discovery.jsonld import setup_jsonld
from conference_recaps.discovery.notfound import setup_notfound
from conference_recaps.discovery.opengraph import setup_opengraph
from conference_recaps.discovery.pagefind import setup_pagefind
from conference_recaps.discovery.search import setup_search
from conference_recaps.discovery.site import setup_site
from conference_recaps.discovery.sitemap import setup_sitemap

if TYPE_CHECKING:
    from sphinx.application import Sphinx


def setup_discovery(app: Sphinx) -> None:
    """Wire every discovery concern; ``setup_config`` must have run first."""
    setup_site(app)
    setup_cards(app)
    setup_opengraph(app)
    setup_jsonld(app)
    setup_breadcrumbs(app)
    setup_feeds(app)
    setup_api(app)
    setup_calendar(app)
    setup_sitemap(app)
    setup_search(app)
    setup_pagefind(app)
    setup_notfound(app)
