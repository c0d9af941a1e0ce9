#!/bin/sh
# run.sh — runs every tests/cli/t_*.sh in its own shell and prints "N passed, N failed".
cd "$(dirname "$0")/../.." || exit 2
total_pass=0; total_fail=0; total_skip=0
results=$(mktemp)
for t in tests/cli/t_*.sh; do
    echo "# $t"
    : >"$results"
    RESULT_FILE=$results sh -c '. tests/cli/lib.sh; . "$1"; finish' sh "$t"
    if [ -s "$results" ]; then
        read -r p f s <"$results"
    else
        echo "not ok - $t did not finish"; p=0; f=1; s=0
    fi
    total_pass=$((total_pass + p)); total_fail=$((total_fail + f)); total_skip=$((total_skip + s))
done
rm -f "$results"
echo "cli: $total_pass passed, $total_fail failed, $total_skip skipped"
[ "$total_fail" -eq 0 ]
