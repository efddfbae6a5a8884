extensions = ["conference_recaps"]
exclude_patterns = ["_build"]
html_theme = "sphinx_book_theme"
source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
# Both are switched off by the extension, with a warning: conf.py cannot opt back in.
myst_enable_extensions = ["colon_fence", "dollarmath", "substitution"]
myst_url_schemes = ["http", "https", "mailto", "javascript"]
