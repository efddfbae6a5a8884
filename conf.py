"""Site settings for Conference Recaps (declarative: the logic lives in the extension)."""

project = "Conference Recaps"
author = "The Conference Recaps contributors"
copyright = "the Conference Recaps contributors; talk records from pyvideo.org (CC0)"
language = "en"

extensions = [
    "conference_recaps",
]

# Only these are pages; everything else in the repository (README, src/, tests/, .venv,
# .github, build output) stays out of the site.
include_patterns = ["index.md", "credits.md", "recaps/**", "docs/**"]
exclude_patterns = ["_build", ".venv", "**/.*", "node_modules"]
root_doc = "index"
source_suffix = {".md": "markdown"}

myst_enable_extensions = ["colon_fence", "deflist"]
myst_heading_anchors = 3

html_theme = "sphinx_book_theme"
html_title = "Conference Recaps"
html_favicon = "_static/favicon.svg"
html_static_path = ["_static"]
html_last_updated_fmt = None
html_copy_source = False
html_show_sourcelink = False
# The site's own navigation, rendered once per build (the theme's is rendered per page
# from the whole toctree, which makes large builds quadratic): see docs/architecture.md.
html_sidebars = {
    "**": [
        "navbar-logo.html",
        "icon-links.html",
        "search-button-field.html",
        "recaps-sidebar-nav.html",
    ]
}
html_theme_options = {
    "logo": {
        "text": "Conference Recaps",
        "image_light": "_static/logo.svg",
        "image_dark": "_static/logo-dark.svg",
        "alt_text": "Conference Recaps, home",
    },
    "home_page_in_toc": True,
    "show_navbar_depth": 1,
    "navigation_with_keys": False,
    # Sources are not copied (html_copy_source), so the theme's download button would
    # link to a missing _sources/ file on every page.
    "use_download_button": False,
}

# The conference_recaps settings (see docs/reference.md for every value).
recaps_catalogue = "talks.yaml"
# The public address; on Read the Docs, READTHEDOCS_CANONICAL_URL is used instead.
recaps_base_url = ""
