#!/usr/bin/env bash
# Regenerates testdata/dumps (heap dumps + facts) and testdata/bin (test
# executables) by building every program in testdata/src with every Go
# toolchain that can be had, and running it.
#
# Usage: testdata/generate.sh [TOOLCHAIN...]
#   TOOLCHAIN is "local:/path/to/bin/go" (used as is, GOTOOLCHAIN=local) or a
#   release name such as go1.22.12 (fetched through the module proxy by the
#   newest local go with GOTOOLCHAIN=NAME). Default: the list below.
#
# Environment: NEWGO (default /usr/local/go/bin/go), the go command used to
# fetch downloadable toolchains; its own version is the "newest" toolchain.
# PROGRAMS (default: all), a space-separated subset of the programs.
#
# bin/ gets the executables of the newest toolchain and of go1.19, and those
# of types for every toolchain.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
src=$here/src
dumps=$here/dumps
bins=$here/bin
newgo=${NEWGO:-/usr/local/go/bin/go}
old119=/usr/lib/go-1.19/bin/go
maxdump=$((2 * 1024 * 1024))
maxbin=$((3 * 1024 * 1024))

read -r -a programs <<<"${PROGRAMS:-leak blocked finalizer interior chain retain growth defaultrate other headers statics types}"

if [ $# -gt 0 ]; then
	toolchains=("$@")
else
	toolchains=("local:$old119" go1.20.14 go1.21.13 go1.22.12 go1.24.13 "local:$newgo")
fi

export CGO_ENABLED=0 GOFLAGS=-trimpath GOWORK=off
mkdir -p "$dumps" "$bins"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# goversion TOOLCHAIN: prints the release (go1.22.12) or fails.
goversion() {
	case $1 in
	local:*)
		[ -x "${1#local:}" ] || return 1
		GOTOOLCHAIN=local "${1#local:}" env GOVERSION
		;;
	*)
		[ -x "$newgo" ] || return 1
		GOTOOLCHAIN=$1 "$newgo" env GOVERSION
		;;
	esac
}

# gobuild TOOLCHAIN OUT PKG
gobuild() {
	case $1 in
	local:*) (cd "$src" && GOTOOLCHAIN=local "${1#local:}" build -o "$2" "./$3") ;;
	*) (cd "$src" && GOTOOLCHAIN=$1 "$newgo" build -o "$2" "./$3") ;;
	esac
}

# finish BASE: gzip BASE.dump if it is too big, drop the stale other form.
finish() {
	local base=$1 size
	rm -f "$base.dump.gz"
	size=$(stat -c %s "$base.dump")
	if [ "$size" -gt "$maxdump" ]; then
		gzip -9n "$base.dump"
		echo "  $(basename "$base").dump: $size bytes, gzipped to $(stat -c %s "$base.dump.gz")"
	else
		echo "  $(basename "$base").dump: $size bytes"
	fi
}

newest=$(GOTOOLCHAIN=local "$newgo" env GOVERSION 2>/dev/null || true)

for tc in "${toolchains[@]}"; do
	if ! v=$(goversion "$tc" 2>/dev/null) || [ -z "$v" ]; then
		echo "skipping toolchain $tc: not available" >&2
		continue
	fi
	echo "== $v ($tc)"
	for p in "${programs[@]}"; do
		exe=$work/$p-$v
		gobuild "$tc" "$exe" "$p"
		# Make sure no other toolchain was silently used.
		built=$("$newgo" version "$exe" | awk '{print $2}')
		if [ "$built" != "$v" ]; then
			echo "$exe was built by $built, not $v" >&2
			exit 1
		fi
		if [ "$p" = growth ]; then
			b1=$dumps/$p-$v-1 b2=$dumps/$p-$v-2
			rm -f "$b1.dump" "$b2.dump"
			"$exe" "$b1.dump" "$b1.facts" "$b2.dump" "$b2.facts"
			finish "$b1"
			finish "$b2"
			facts=("$b1.facts" "$b2.facts")
		else
			b=$dumps/$p-$v
			rm -f "$b.dump"
			"$exe" "$b.dump" "$b.facts"
			finish "$b"
			facts=("$b.facts")
		fi
		for ff in "${facts[@]}"; do
			got=$(awk '$1 == "goversion" {print $2}' "$ff")
			if [ "$got" != "$v" ]; then
				echo "$ff: goversion $got, want $v" >&2
				exit 1
			fi
		done
		# types: every toolchain's binary (its tests read each dump with the
		# executable that wrote it).
		if [ "$p" = types ] || [ "$v" = "$newest" ] || [ "$tc" = "local:$old119" ]; then
			cp "$exe" "$bins/$p-$v"
			size=$(stat -c %s "$exe")
			if [ "$size" -gt "$maxbin" ]; then
				echo "  warning: bin/$p-$v is $size bytes (over 3 MB)" >&2
			fi
		fi
	done
done
