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
# of types and goroutines for every toolchain.
#
# goroutines is built with GOEXPERIMENT=goroutineleakprofile by every
# toolchain that has that experiment (go1.26): it then also writes Go's
# goroutine leak profile, dumps/goroutines-goV.leakprofile.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
src=$here/src
dumps=$here/dumps
bins=$here/bin
newgo=${NEWGO:-/usr/local/go/bin/go}
old119=/usr/lib/go-1.19/bin/go
maxdump=$((2 * 1024 * 1024))
maxbin=$((3 * 1024 * 1024))

read -r -a programs <<<"${PROGRAMS:-leak blocked finalizer interior chain retain growth defaultrate other headers statics types goroutines}"

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

# gobuild TOOLCHAIN OUT PKG [EXPERIMENT]: EXPERIMENT is GOEXPERIMENT (none
# if empty, whatever the environment says).
gobuild() {
	case $1 in
	local:*) (cd "$src" && GOEXPERIMENT=${4:-} GOTOOLCHAIN=local "${1#local:}" build -o "$2" "./$3") ;;
	*) (cd "$src" && GOEXPERIMENT=${4:-} GOTOOLCHAIN=$1 "$newgo" build -o "$2" "./$3") ;;
	esac
}

# experiment TOOLCHAIN PROGRAM: the GOEXPERIMENT to build PROGRAM with, if
# TOOLCHAIN knows it (an unknown one makes `go env` fail); else nothing.
experiment() {
	local want
	case $2 in
	goroutines) want=goroutineleakprofile ;;
	*) return 0 ;;
	esac
	case $1 in
	local:*) GOEXPERIMENT=$want GOTOOLCHAIN=local "${1#local:}" env GOEXPERIMENT >/dev/null 2>&1 || return 0 ;;
	*) GOEXPERIMENT=$want GOTOOLCHAIN=$1 "$newgo" env GOEXPERIMENT >/dev/null 2>&1 || return 0 ;;
	esac
	echo "$want"
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
		exp=$(experiment "$tc" "$p")
		gobuild "$tc" "$exe" "$p" "$exp"
		# Make sure no other toolchain was silently used. With an experiment
		# go1.26 says go1.26.8-X:NAME (go1.19 would say "go1.19.8 X:NAME").
		built=$("$newgo" version "$exe" | awk '{print $2}')
		want=$v
		[ -z "$exp" ] || want="$v-X:$exp"
		if [ "$built" != "$want" ]; then
			echo "$exe was built by $built, not $want" >&2
			exit 1
		fi
		if [ -n "$exp" ]; then
			echo "  $p: GOEXPERIMENT=$exp"
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
			rm -f "$b.dump" "$b.leakprofile"
			"$exe" "$b.dump" "$b.facts"
			finish "$b"
			facts=("$b.facts")
		fi
		for ff in "${facts[@]}"; do
			got=$(awk '$1 == "goversion" {print $2}' "$ff")
			gotexp=$(awk '$1 == "goexperiment" {print $2}' "$ff")
			if [ "$got" != "$v" ] || [ "$gotexp" != "$exp" ]; then
				echo "$ff: goversion $got, goexperiment '$gotexp'; want $v, '$exp'" >&2
				exit 1
			fi
		done
		# types and goroutines: every toolchain's binary (their tests read
		# each dump with the executable that wrote it).
		if [ "$p" = types ] || [ "$p" = goroutines ] || [ "$v" = "$newest" ] || [ "$tc" = "local:$old119" ]; then
			cp "$exe" "$bins/$p-$v"
			size=$(stat -c %s "$exe")
			if [ "$size" -gt "$maxbin" ]; then
				echo "  warning: bin/$p-$v is $size bytes (over 3 MB)" >&2
			fi
		fi
	done
done
