"""hsjson.py — reads heapspurs JSON for the CLI tests: documents and JSON Lines, with every "stack" index
replaced by the frames it refers to in the output's stack table (docs/json.md)."""
import json


def _resolve(value, stacks):
    if isinstance(value, dict):
        return {k: (stacks[v] if k == "stack" and isinstance(v, int) else _resolve(v, stacks)) for k, v in value.items()}
    if isinstance(value, list):
        return [_resolve(v, stacks) for v in value]
    return value


def load(path):
    """One JSON document, its stacks resolved (the "stacks" table stays)."""
    doc = json.load(open(path))
    return _resolve(doc, doc.get("stacks", []))


def records(path):
    """The records of --print --format json, stack lines consumed, stacks resolved."""
    stacks, out = [], []
    for line in open(path):
        r = json.loads(line)
        if r.get("record") == "stack":
            assert r["index"] == len(stacks), "stack lines come in index order"
            stacks.append(r["frames"])
            continue
        out.append(_resolve(r, stacks))
    return out
