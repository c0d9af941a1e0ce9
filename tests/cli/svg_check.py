# svg_check.py JOBS — for tests/cli/t_graph.sh: parses the SVGs written by graphviz and evaluates checks, read
# as "NAME<TAB>FILE<TAB>CHECK" lines from the file JOBS (one Python run for the whole test). A check is
# "KIND~ARG~..." (the kinds are listed in check() below). Nodes and edges are found by their <title> (an
# object's address, "bss#N", "frame#N", "finalizer#N", "omitted"; edges "TAIL->HEAD"); a node or edge argument
# is a regular expression that must match the whole title. Prints "ok NAME: CHECK" or
# "not ok NAME: CHECK: WHY", and "ok NAME: well-formed XML" once per file.
import re, sys, xml.dom.minidom

def text_of(element):
    return "".join(n.data for n in element.childNodes if n.nodeType == n.TEXT_NODE)

def lines(g):
    return [text_of(t) for t in g.getElementsByTagName("text")]

def shapes(g):
    return [e for e in g.childNodes if e.nodeType == e.ELEMENT_NODE and e.tagName in ("ellipse", "polygon", "path")]

def find(table, pattern):
    hits = [g for title, g in table.items() if re.fullmatch(pattern, title)]
    if not hits:
        raise AssertionError("no title matches %r among %s" % (pattern, sorted(table)[:12]))
    return hits

class Svg:
    def __init__(self, path):
        doc = xml.dom.minidom.parse(path)
        self.nodes, self.edges, self.graph_text = {}, {}, []
        for g in doc.getElementsByTagName("g"):
            kind = g.getAttribute("class")
            title = g.getElementsByTagName("title")
            if kind in ("node", "edge"):
                (self.nodes if kind == "node" else self.edges)[text_of(title[0]) if title else ""] = g
            elif kind == "graph":
                self.graph_text += [text_of(t) for t in g.childNodes
                                    if t.nodeType == t.ELEMENT_NODE and t.tagName == "text"]

def check(svg, kind, args):
    nodes, edges = svg.nodes, svg.edges
    if kind == "nodes":          # nodes~N
        assert len(nodes) == int(args[0]), "%d nodes" % len(nodes)
    elif kind == "node":         # node~TITLE
        find(nodes, args[0])
    elif kind == "anytext":      # anytext~REGEX: some node's text line matches
        assert any(re.search(args[0], l) for g in nodes.values() for l in lines(g))
    elif kind == "nonode":       # nonode~REGEX: no node's text line matches
        bad = [t for t, g in nodes.items() if any(re.search(args[0], l) for l in lines(g))]
        assert not bad, "found in %s" % bad
    elif kind == "text":         # text~TITLE~REGEX: some text line of the node matches
        g = find(nodes, args[0])[0]
        assert any(re.search(args[1], l) for l in lines(g)), lines(g)
    elif kind == "fill":         # fill~TITLE~COLOUR of the node's outline
        fills = [s.getAttribute("fill") for s in shapes(find(nodes, args[0])[0])]
        assert args[1] in fills, fills
    elif kind == "nofill":       # nofill~TITLE: not filled
        fills = [s.getAttribute("fill") for s in shapes(find(nodes, args[0])[0])]
        assert all(f in ("none", "") for f in fills), fills
    elif kind == "border":       # border~TITLE~COLOUR~WIDTH
        s = shapes(find(nodes, args[0])[0])[0]
        assert s.getAttribute("stroke") == args[1], s.toxml()
        assert (s.getAttribute("stroke-width") or "1") == args[2], s.toxml()
    elif kind == "shape":        # shape~TITLE~ellipse, or polygons:N (octagons draw 2 or 3)
        tags = [s.tagName for s in shapes(find(nodes, args[0])[0])]
        want = ["ellipse"] if args[1] == "ellipse" else ["polygon"] * int(args[1].split(":")[1])
        assert tags == want, tags
    elif kind == "points":       # points~TITLE~N: the outline has N corners (box 4, house 5)
        corners = shapes(find(nodes, args[0])[0])[0].getAttribute("points").split()
        assert len(corners) - 1 == int(args[1]), corners
    elif kind == "edge":         # edge~TAIL~HEAD
        find(edges, "(%s)->(%s)" % (args[0], args[1]))
    elif kind == "edgecolor":    # edgecolor~TAIL~HEAD~COLOUR
        g = find(edges, "(%s)->(%s)" % (args[0], args[1]))[0]
        stroke = [p.getAttribute("stroke") for p in g.getElementsByTagName("path")]
        assert stroke == [args[2]], stroke
    elif kind == "edgetext":     # edgetext~TAIL~HEAD~REGEX: some label line matches
        g = find(edges, "(%s)->(%s)" % (args[0], args[1]))[0]
        assert any(re.search(args[2], l) for l in lines(g)), lines(g)
    elif kind == "graphtext":    # graphtext~REGEX: the graph's label
        assert any(re.search(args[0], l) for l in svg.graph_text), svg.graph_text
    else:
        raise AssertionError("unknown check")

jobs = {}
for line in open(sys.argv[1], encoding="utf-8"):
    name, path, spec = line.rstrip("\n").split("\t", 2)
    jobs.setdefault((name, path), []).append(spec)
for (name, path), specs in jobs.items():
    try:
        svg = Svg(path)
    except Exception as e:
        print("not ok %s: well-formed XML: %s" % (name, e))
        continue
    print("ok %s: well-formed XML" % name)
    for spec in specs:
        kind, *args = spec.split("~")
        try:
            check(svg, kind, args)
            print("ok %s: %s" % (name, spec))
        except AssertionError as e:
            print("not ok %s: %s: %s" % (name, spec, e))
