extensions = ["conference_recaps"]
exclude_patterns = ["_build"]
html_theme = "sphinx_book_theme"
recaps_repository_url = "https://github.com/example/recaps"
