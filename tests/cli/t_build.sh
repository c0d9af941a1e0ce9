# t_build.sh — a user's CPPFLAGS, CFLAGS, LDFLAGS and LDLIBS add to the project's flags instead of
# replacing them; the README lists the packages `make deps` installs.

# A make of its own, not a child of the one running the tests: no inherited MAKEFLAGS or jobserver, and
# no SANITIZE, which the parent's command line exports (`make check SANITIZE=1`).
own_make() { env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make --no-print-directory SANITIZE= "$@"; }

# has_words LINE WORD...: prints the WORDs that are not words of LINE.
has_words() {
    line=" $1 "; shift; missing=
    for word in "$@"; do
        case "$line" in *" $word "*) ;; *) missing="$missing $word" ;; esac
    done
    echo "$missing"
}

USER_FLAGS="CFLAGS=-O0 CPPFLAGS=-DNDEBUG LDFLAGS=-Wl,-O1 LDLIBS=-lm"

# shellcheck disable=SC2086 # USER_FLAGS is four arguments
own_make -n BUILD="$TMP/build" $USER_FLAGS all >"$TMP/out" 2>"$TMP/err"
compile=$(grep -m1 -- ' -c -o .*/main\.o ' "$TMP/out")
link=$(grep -m1 -- " -o $TMP/build/heapspurs " "$TMP/out")
# shellcheck disable=SC2046 # pkg-config's flags are words
missing=$(has_words "$compile" -D_GNU_SOURCE -Iinclude -std=c11 -pthread $(pkg-config --cflags libgvc libcgraph) \
    -DNDEBUG -O0)
expect_eq "$missing" "" "CFLAGS=-O0 CPPFLAGS=-DNDEBUG keep the project's compile flags and add theirs"
case "$compile" in
    *" -O2 "*" -O0 "*) pass "the user's -O0 comes after the project's -O2" ;;
    *) fail "the user's -O0 comes after the project's -O2" "compile line: $compile" ;;
esac
missing=$(has_words "$link" -pthread -Wl,-O1 -lgvc -lelf -lz -lm)
expect_eq "$missing" "" "LDFLAGS and LDLIBS keep the project's link flags and add theirs"

# shellcheck disable=SC2086
own_make -s -j4 BUILD="$TMP/build" $USER_FLAGS all >"$TMP/out" 2>"$TMP/err"
RC=$?
expect_rc 0 "make $USER_FLAGS builds"
"$TMP/build/heapspurs" --version >"$TMP/out" 2>"$TMP/err"
RC=$?
expect_rc 0 "the -O0 -DNDEBUG build runs --version"
expect_out '^heapspurs [0-9]' "the -O0 -DNDEBUG build names itself"

# The README's list is the Makefile's (it spans a line break in the README).
readme_pkgs=$(tr '\n' ' ' <README.md | sed -n 's/.*Build dependencies (Debian 12): `\([^`]*\)`.*/\1/p' | tr -s ' ')
expect_eq "$readme_pkgs" "$(own_make -s print-deps)" "the README lists the packages make deps installs"
