extensions = ["conference_recaps"]
exclude_patterns = ["_build"]
source_suffix = {".md": "markdown", ".rst": "restructuredtext"}
myst_enable_extensions = ["colon_fence"]
html_theme = "basic"
# These pages exercise directives; they are not recaps with front matter.
recaps_recaps_dir = "posts"
