extensions = ["conference_recaps", "catalogue_shim"]
exclude_patterns = ["_build"]
myst_enable_extensions = ["colon_fence"]
html_theme = "basic"
