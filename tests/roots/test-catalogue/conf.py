extensions = ["conference_recaps"]
exclude_patterns = ["_build"]
