# t_install.sh — make install honours PREFIX and DESTDIR and installs the binary and the man page.

make -s install DESTDIR="$TMP/inst" PREFIX=/opt/hs >"$TMP/out" 2>"$TMP/err"
RC=$?
expect_rc 0 "make install DESTDIR PREFIX exits 0"
[ -x "$TMP/inst/opt/hs/bin/heapspurs" ] && pass "binary installed under DESTDIR/PREFIX/bin" || fail "binary installed under DESTDIR/PREFIX/bin"
[ -f "$TMP/inst/opt/hs/share/man/man1/heapspurs.1" ] && pass "man page installed" || fail "man page installed"
"$TMP/inst/opt/hs/bin/heapspurs" --version | grep -q '^heapspurs ' && pass "installed binary runs" || fail "installed binary runs"
