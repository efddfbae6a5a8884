import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

extensions = ["conference_recaps", "catalogue_shim", "recaps_shim"]
exclude_patterns = ["_build"]
source_suffix = {".md": "markdown"}
myst_enable_extensions = ["colon_fence"]
html_theme = "basic"
project = "Recaps Test"
author = "Test Editors"
recaps_base_url = "https://recaps.example.org/archive/"
