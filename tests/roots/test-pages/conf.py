extensions = ["conference_recaps"]
exclude_patterns = ["_build"]
myst_enable_extensions = ["colon_fence"]
html_theme = "sphinx_book_theme"
html_sidebars = {"**": ["navbar-logo.html", "search-button-field.html", "recaps-sidebar-nav.html"]}
