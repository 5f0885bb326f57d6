# Filters the set-up's stderr (bin/_venv.sh). Some machines' pip configuration
# names local indexes that do not exist, and pip warns about each on every
# package; setuptools' editable build prints a "!!"-fenced notice (folders named
# like the package) that is not about screenkit. Both are dropped whole, so no
# fragment of them is left; every other line passes through at once.
/is ignored: it is neither a file nor a directory/ { next }
/BuildBackendWarning|editable_wheel\.py:[0-9]+:/ { next }
/^[ \t]*!![ \t]*$/ { fenced = !fenced; next }
fenced { next }
/with strategy, WheelFile\(/ { next }
{ print; fflush() }
