extensions = ["conference_recaps"]
exclude_patterns = ["_build"]
source_suffix = {".md": "markdown"}
myst_enable_extensions = ["colon_fence"]
project = "Permanence"
author = "Test Editors"
html_theme = "sphinx_book_theme"
html_sidebars = {
    "**": ["navbar-logo.html", "search-button-field.html", "recaps-sidebar-nav.html"]
}
html_last_updated_fmt = None
html_copy_source = False
html_theme_options = {"use_download_button": False}
recaps_base_url = "https://recaps.example.org/"
# Fresh lists for each build: Sphinx's defaults are shared objects, and the themes (and
# the extension) append to them, so a second build in one process would see another
# configuration and report a build-info mismatch.
templates_path: list[str] = []
html_static_path: list[str] = []
