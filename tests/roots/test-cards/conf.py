extensions = ["conference_recaps", "catalogue_shim"]
exclude_patterns = ["_build"]
source_suffix = {".md": "markdown", ".rst": "restructuredtext"}
myst_enable_extensions = ["colon_fence"]
html_theme = "basic"
