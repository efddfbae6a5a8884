extensions = ["conference_recaps"]
exclude_patterns = ["_build"]
myst_enable_extensions = ["colon_fence"]
html_theme = "basic"
# These pages exercise directives; they are not recaps with front matter.
recaps_recaps_dir = "posts"
