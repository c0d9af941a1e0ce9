# t_dwarf_corpus.sh — programs whose DWARF is damaged or absurd (tests/corpus/make-binaries.py): --types and --fields
# end cleanly (exit 0 or 1, one stderr line for 1, no signal, no hang, no sanitizer report), and where the DWARF is
# damaged rather than consistently changed, no named object of the facts gets a type other than its own.

BINARIES=$TMP/binaries
if ! command -v python3 >/dev/null 2>&1; then
    skip "dwarf corpus" "python3 is not installed"
    return 0 2>/dev/null || exit 0
fi
if ! python3 tests/corpus/make-binaries.py "$BINARIES" >"$TMP/make.err" 2>&1; then
    fail "dwarf corpus: make-binaries.py" "$(head -c 400 "$TMP/make.err")"
    return 0 2>/dev/null || exit 0
fi
pass "dwarf corpus: make-binaries.py wrote $(grep -vc '^#' "$BINARIES/MANIFEST") programs"

# Memory: 4 GB of address space, or under ASan (which reserves terabytes) 4 GB resident and per allocation.
memory_limit 4000

# One line per verdict: "PASS|FAIL|NOTE check: text".
python3 - "$HS" "$BINARIES" "$DUMPS" "$BINS" "${VALGRIND:-}" "$LIMIT" "$(pwd)/tests/valgrind.supp" \
    >"$TMP/check" 2>&1 <<'PY'
import concurrent.futures, json, os, re, subprocess, sys
hs, corpus, dumps, bins, valgrind, limit, suppressions = sys.argv[1:8]
valgrind = valgrind == "1"
seconds = 120 if valgrind else 10
SANITIZER = re.compile(r"AddressSanitizer|LeakSanitizer|UndefinedBehaviorSanitizer|runtime error|==[0-9]+==")
KINDS = ("status", "stderr", "sanitizer", "json", "exact", "wrong")


class Result:
    """What the runs of one case found: problems by kind, and counts."""

    def __init__(self):
        self.problems = {k: [] for k in KINDS}
        self.runs = self.objects = self.typed = 0
        self.strict_typing = False

    def note(self, kind, case, text):
        self.problems[kind].append("%s: %s" % (case, text.replace("\n", " | ")[:300]))


def run(result, case, binary, args):
    """heapspurs -q ARGS --program BINARY under the time and memory bounds; checks how it ends."""
    command = [hs, "-q"] + args + ["--program", binary]
    if valgrind:
        command = ["valgrind", "-q", "--error-exitcode=99", "--leak-check=full",
                   "--suppressions=" + suppressions] + command
    r = subprocess.run(["sh", "-c", limit + ' exec timeout %d "$@"' % seconds, "sh"] + command,
                       capture_output=True, text=True, errors="replace")
    result.runs += 1
    what = " ".join(args[:-1])
    if r.returncode not in (0, 1):
        timed_out = " (timed out)" if r.returncode == 124 else ""
        result.note("status", case, "%s: exit %d%s: %s" % (what, r.returncode, timed_out, r.stderr[:200]))
    if SANITIZER.search(r.stderr):
        result.note("sanitizer", case, "%s: %s" % (what, next(l for l in r.stderr.splitlines() if SANITIZER.search(l))))
    lines = r.stderr.splitlines()
    if r.returncode == 1 and (len(lines) != 1 or not lines[0].startswith("heapspurs: " + binary)):
        result.note("stderr", case, "%s: exit 1 with %d stderr lines: %s" % (what, len(lines), r.stderr[:200]))
    if r.returncode == 0 and lines:
        result.note("stderr", case, "%s: exit 0 with -q and stderr: %s" % (what, r.stderr[:200]))
    return r


def facts_of(program):
    return dict(l.rstrip("\n").split(" ", 1) for l in open(os.path.join(dumps, program + ".facts")))


def named(facts):
    return sorted({k.split(".")[1] for k in facts if k.startswith("obj.") and k.endswith(".addr")})


def type_of(result, case, binary, dump, address):
    """The --fields JSON type of the object at address: (exit status, type or None, object size)."""
    r = run(result, case, binary, ["--address", address, "--fields", "--format", "json", dump])
    if r.returncode != 0:
        return r.returncode, None, 0
    try:
        o = json.loads(r.stdout)["object"]
    except (ValueError, KeyError) as e:
        result.note("json", case, "--address %s --fields: %s" % (address, e))
        return -1, None, 0
    return 0, o.get("type"), o.get("size", 0)


def acceptable(facts, name, got, size):
    """Whether a type given to a named object can be right: unknown, the facts' type, or for an object whose
    allocation header names the element type, [M]T with M from N (a slice's capacity) up to what fits in it
    (the count before a slice gives it, docs/types.md)."""
    want = facts.get("obj.%s.func" % name) or facts["obj.%s.type" % name]
    if got is None or got == want:
        return True
    w, g = re.match(r"^\[(\d+)\](.+)$", want), re.match(r"^\[(\d+)\](.+)$", got)
    if facts.get("obj.%s.header" % name) == "1" and w and g and w.group(2) == g.group(2):
        n, m = int(w.group(1)), int(g.group(1))
        element = int(facts["obj.%s.size" % name]) // n
        return n <= m and m * element <= size
    return False


cases = [l.rstrip("\n").split(" ", 3) for l in open(os.path.join(corpus, "MANIFEST")) if not l.startswith("#")]
facts = {program: facts_of(program) for _, program, _, _ in cases}
baseline, setup = {}, Result()
if not valgrind:
    for program in facts:
        dump, original = os.path.join(dumps, program + ".dump"), os.path.join(bins, program)
        baseline[program] = {n: type_of(setup, "the committed " + program, original, dump,
                                        facts[program]["obj.%s.addr" % n])[1] for n in named(facts[program])}


def check(case):
    name, program, kind, description = case
    result, f = Result(), facts[program]
    binary, dump = os.path.join(corpus, name), os.path.join(dumps, program + ".dump")
    r = run(result, name, binary, ["--types", "--format", "json", "--limit", "0", dump])
    if r.returncode == 0:
        try:
            json.loads(r.stdout)
        except ValueError as e:
            result.note("json", name, "--types: %s" % e)
    run(result, name, binary, ["--address", f["obj.request0.addr"], "--fields", dump])
    if kind == "lies" or r.returncode != 0 or valgrind:
        return result
    for n in named(f):
        status, got, size = type_of(result, name, binary, dump, f["obj.%s.addr" % n])
        result.objects += 1
        if status != 0:
            continue
        result.typed += got is not None
        if kind == "exact" and got != baseline[program][n]:
            result.note("exact", name, "%s is %r, the committed program gives %r" % (n, got, baseline[program][n]))
        elif not acceptable(f, n, got, size):
            result.note("wrong", name, "%s is %r, the facts say %r (%s)" % (n, got, f["obj.%s.type" % n], description))
    result.strict_typing = kind == "strict" and result.typed > 0
    return result


with concurrent.futures.ThreadPoolExecutor(max_workers=min(4, os.cpu_count() or 1)) as pool:
    results = [setup] + list(pool.map(check, cases))
problems = {k: [p for r in results for p in r.problems[k]] for k in KINDS}
runs, objects = sum(r.runs for r in results), sum(r.objects for r in results)
typed, strict_typing = sum(r.typed for r in results), sum(r.strict_typing for r in results)
verdicts = [
    ("status", "%d runs on %d programs exit 0 or 1 within %d s, no signal" % (runs, len(cases), seconds)),
    ("stderr", "exit 1 prints one line naming the program; exit 0 (with -q) prints nothing"),
    ("sanitizer", "no sanitizer or valgrind report"),
    ("json", "JSON output parses"),
]
if not valgrind:
    verdicts += [
        ("exact", "the baseline (debug sections inflated) types every named object as the committed program does"),
        ("wrong", "damaged DWARF gives no named object a wrong type: %d objects checked, %d typed, on %d damaged "
                  "programs that still type some" % (objects, typed, strict_typing)),
    ]
for kind, text in verdicts:
    print(("FAIL " if problems[kind] else "PASS ") + "dwarf corpus: " + text)
    for p in problems[kind][:12]:
        print("NOTE " + p)
if not valgrind and strict_typing < 10:
    print("FAIL dwarf corpus: only %d damaged programs still type objects: the wrong-type check checks little"
          % strict_typing)
PY
while read -r verdict rest; do
    case $verdict in
    PASS) pass "$rest" ;;
    FAIL) fail "$rest" ;;
    NOTE) echo "#   $rest" ;;
    *) fail "dwarf corpus: checker: $verdict $rest" ;;
    esac
done <"$TMP/check"

# Without -q, a program whose DWARF is gone says so in one warning line and still runs.
program=$(awk '!/^#/ { print $2; exit }' "$BINARIES/MANIFEST")
hs --types --program "$BINARIES/$program.no-dwarf" "$DUMPS/$program.dump"
expect_rc 0 "dwarf corpus: $program without .debug_* sections: --types exits 0"
expect_err '^heapspurs: warning: .*: no DWARF \(built with -ldflags=-w, or stripped\)' \
    "dwarf corpus: $program without .debug_* sections: one warning line"
