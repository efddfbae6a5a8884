extensions = ["conference_recaps"]
exclude_patterns = ["_build"]
source_suffix = {".md": "markdown"}
myst_enable_extensions = ["colon_fence"]
html_theme = "basic"
project = "Related Test"
recaps_base_url = "https://recaps.example.org/"
