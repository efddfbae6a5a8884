#!/bin/sh
# Install pyvideo.org's Pelican, as its checkout pins it, into a virtual environment of
# its own (never this project's .venv), for `make bench-pyvideo PYVIDEO_SITE=...`:
#
#   benchmarks/pelican.sh PATH-TO-PYVIDEO-CHECKOUT [VENV]
#
# VENV is /tmp/pyvideo-pelican unless given, which is where the Makefile's PELICAN points.
# PELICAN_PYTHON picks the interpreter (pyvideo builds with 3.14; 3.11 to 3.13 work too).
set -eu
site=${1:?usage: benchmarks/pelican.sh PATH-TO-PYVIDEO-CHECKOUT [VENV]}
venv=${2:-/tmp/pyvideo-pelican}
python=${PELICAN_PYTHON:-python3}
if [ ! -f "$site/requirements.txt" ] || [ ! -f "$site/pelicanconf.py" ]; then
    echo "$site is not a checkout of https://github.com/pyvideo/pyvideo" >&2
    exit 1
fi
"$python" -m venv "$venv"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$site/requirements.txt"
echo "installed Pelican $("$venv/bin/python" -m pip show pelican | sed -n 's/^Version: //p') in $venv"
echo "run: make bench-pyvideo PYVIDEO_DATA=... PYVIDEO_SITE=$site PELICAN=$venv/bin/pelican"
