# Sourced by bin/screenkit and bin/test: make sure .venv exists and matches
# pyproject.toml. Only the package registries are used; nothing else is fetched.
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="$root/.venv"
stamp="$venv/.screenkit-stamp"
want="$(cat "$root/pyproject.toml" "$root/bin/_venv.sh" | sha256sum | cut -c1-16)"
if [ ! -x "$venv/bin/python" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
    py="${SCREENKIT_PYTHON:-}"
    if [ -z "$py" ]; then
        for candidate in python3.13 python3.12 python3.11 python3.10 python3; do
            if "$candidate" -c "import sys; sys.exit(sys.version_info < (3, 10))" >/dev/null 2>&1; then
                py="$candidate"; break
            fi
        done
    fi
    [ -n "$py" ] || { echo "screenkit: Python 3.10 or newer is needed" >&2; exit 2; }
    echo "screenkit: setting up $venv (first run only)..." >&2
    # pip's and setuptools' notices that are not about screenkit are dropped whole.
    exec 3>&2 2> >(awk -f "$root/bin/_quiet_setup.awk" >&3)
    [ -x "$venv/bin/python" ] || "$py" -m venv "$venv" || exit 2
    "$venv/bin/python" -m pip install -q --disable-pip-version-check --upgrade pip >&2 || exit 2
    "$venv/bin/python" -m pip install -q --disable-pip-version-check -e "$root[dev,review]" >&2 || exit 2
    # argostranslate without stanza/spaCy/PyTorch: screenkit segments text
    # itself and only uses argostranslate.package (see README).
    "$venv/bin/python" -m pip install -q --disable-pip-version-check --no-deps "argostranslate==1.11.0" >&2 || exit 2
    echo "$want" > "$stamp"
    exec 2>&3 3>&-
fi
