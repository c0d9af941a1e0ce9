# t_actions.sh — one action a run: two are a usage error naming both, given before any dump is read; modifiers need their action.
dump=$(dump_for leak "$(newest leak)")
missing=$TMP/no-such.dump # never read: the usage error comes first

check_two() { # check_two NAME WANT-REGEX ARGS...
    name=$1 want=$2
    shift 2
    hs "$@" "$missing"
    expect_rc 2 "$name: exit 2"
    if grep -Eq -- "$want" "$TMP/err" && ! grep -q 'no-such' "$TMP/err"; then pass "$name: names the actions, before the dump"
    else fail "$name: names the actions, before the dump" "$(head -c 300 "$TMP/err")"; fi
}
check_two "--print --sites" '^heapspurs: one action at a time: --print and --sites were both given$' --print --sites
check_two "--top 1 --sites" 'one action at a time: --top and --sites' --top 1 --sites
check_two "--leaks --top 3" 'one action at a time: --leaks and --top' --leaks --top 3
check_two "--anchors --owners" 'one action at a time: --anchors and --owners' --address 0x10 --anchors --owners 1
check_two "--hexdump --anchors" 'one action at a time: --hexdump and --anchors' --address 0x10 --hexdump --anchors
check_two "--print --find" 'one action at a time: --print and --find' --print --find x
check_two "--base --sites" 'one action at a time: --base and --sites' --base "$dump" --sites
check_two "--histogram --leaks" 'one action at a time: --histogram and --leaks' --histogram --leaks
check_two "--address with --top" '^heapspurs: --address applies to .*, not to --top$' --address 0x10 --top 2
check_two "--limit with --top" '^heapspurs: --limit applies to --sites, --histogram, --types, --base, --anchors and --html, not to --top$' --top 2 --limit 3
check_two "--threshold with --top" '^heapspurs: --threshold applies to --leaks' --top 2 --threshold 5
check_two "--new without --base" '^heapspurs: --new applies to --base OLD' --new --sites
check_two "--max-nodes with --anchors" '^heapspurs: --max-nodes applies to the owner graph' --address 0x10 --anchors --max-nodes 5
check_two "--retained with --top" '^heapspurs: --retained applies to' --top 2 --retained
check_two "nothing to do" '^heapspurs: nothing to do' --quiet
check_two "--anchors without --address" '^heapspurs: --anchors needs --address ADDR$' --anchors

# The same action twice is still one action; legal combinations stay legal.
hs --sites --sites --limit 1 "$dump"
expect_rc 0 "--sites given twice is one action"
elem=$(fact "$DUMPS/leak-$(newest leak).facts" elem.0)
hs --address "$elem" --anchors --retained "$dump"
expect_rc 0 "--anchors --retained stays legal"
expect_out 'retains' "--anchors --retained: retained sizes in the listing"
hs --base "$dump" --new "$dump"
expect_rc 0 "--base OLD --new stays legal"

# Numbers are 0x hex or decimal; a leading zero (what strtoull would read as octal) is refused with a hint.
check_two "--address with a leading zero" \
    "^heapspurs: --address: '0140000200020' has a leading zero; write hex as 0x140000200020 or decimal without leading zeros$" \
    --address 0140000200020 --anchors
check_two "--owners with a leading zero" \
    "^heapspurs: --owners: '010' has a leading zero; write hex as 0x10 or decimal without leading zeros$" \
    --address 0x10 --owners 010
check_two "--top with a leading zero" "^heapspurs: --top: '007' has a leading zero; write hex as 0x7 " --top 007
check_two "--limit with a leading zero" "^heapspurs: --limit: '00' has a leading zero; write hex as 0x0 " --sites --limit 00
check_two "--top with a sign" "^heapspurs: --top: '\+5' is not a positive number$" --top +5
check_two "--top with a space" "^heapspurs: --top: ' 5' is not a positive number$" --top ' 5'
check_two "--address past 64 bits" "^heapspurs: --address: '0x10000000000000000' is not an address" \
    --address 0x10000000000000000 --anchors
elem_decimal=$(printf '%d' "$elem")
hs --address "$elem_decimal" --anchors "$dump"
expect_rc 0 "--address in decimal"
expect_out "^Object @ $elem " "--address in decimal: the object at that address"
hs --address "0x0$(printf '%x' "$elem")" --owners 0x1 "$dump"
expect_rc 0 "--address 0x0... and --owners 0x1: hex with leading zeros after 0x is fine"
expect_out "^Object @ $elem " "--address 0x0...: the object at that address"
hs --address "$elem" --owners 0 "$dump"
expect_rc 0 "--owners 0: '0' itself is fine"
