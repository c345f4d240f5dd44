#!/bin/sh
# Print the path of a Python 3.12 or 3.13 interpreter (hazm 0.12 needs one), or explain what to install.
ok() { "$1" -c 'import sys; sys.exit(not ((3, 12) <= sys.version_info[:2] < (3, 14)))' >/dev/null 2>&1; }

if [ -n "${PYTHON:-}" ] && ok "$PYTHON"; then echo "$PYTHON"; exit 0; fi
for name in python3.13 python3.12 python3; do
    if command -v "$name" >/dev/null 2>&1 && ok "$name"; then command -v "$name"; exit 0; fi
done
# pyenv installs versions that are not on PATH (its shims refuse to run them unless selected).
root="${PYENV_ROOT:-}"
[ -z "$root" ] && command -v pyenv >/dev/null 2>&1 && root="$(pyenv root)"
[ -z "$root" ] && root="$HOME/.pyenv"
for candidate in $(ls -d "$root"/versions/3.13* "$root"/versions/3.12* 2>/dev/null | sort -rV); do
    if ok "$candidate/bin/python"; then echo "$candidate/bin/python"; exit 0; fi
done
for candidate in /usr/local/bin/python3.13 /usr/local/bin/python3.12 /usr/bin/python3.13 /usr/bin/python3.12; do
    if ok "$candidate"; then echo "$candidate"; exit 0; fi
done
echo "No Python 3.12 or 3.13 found. Install one (for example 'pyenv install 3.12' or 'apt-get install python3.12 python3.12-venv'), or set PYTHON=/path/to/python3.12." >&2
exit 1
