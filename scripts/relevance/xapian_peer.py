#!/usr/bin/python3
"""The xapian peer: Xapian 1.4 as its documentation sets up free-text search.

  - Indexing: xapian.TermGenerator with the Snowball "indonesian" stemmer,
    stemming strategy STEM_SOME (the default: every word gives its
    unstemmed term and a Z-prefixed stem). The title is indexed, then
    increase_termpos() (so no phrase spans title and body), then the body,
    all unprefixed, so a free-text search covers both. The article id is the
    document's data and its unique Q-prefixed id term. No stopper.
  - Search: xapian.QueryParser with the same stemmer and strategy (a word
    is searched by its stem unless it starts with a capital letter), default
    operator OR and default flags; BM25Weight() with its defaults
    (k1 = 1, k2 = 0, k3 = 1, b = 0.5, min_normlen = 0.5).

Debian's python3-xapian installs for /usr/bin/python3 only (a pyenv or
venv python does not see it): run this file with /usr/bin/python3.

  xapian_peer.py index  -corpus FILE -out DIR [-no-titles]
  xapian_peer.py search -index DIR -queries FILE [-depth 100] -out RUN
"""

import argparse
import gzip
import json
import os
import sys
import time

try:
    import xapian
except ImportError:
    sys.exit("xapian_peer.py: no xapian module for %s; install Debian's "
             "python3-xapian and run with /usr/bin/python3" % sys.executable)

STEMMER = "indonesian"


def open_corpus(path):
    with open(path, "rb") as f:
        magic = f.read(2)
    if path.endswith(".gz") or magic == b"\x1f\x8b":
        return gzip.open(path, "rt", encoding="utf-8")
    return open(path, "rt", encoding="utf-8")


def index(args):
    if os.path.exists(args.out):
        sys.exit("xapian_peer.py index: %s already exists; remove it first" % args.out)
    start = time.time()
    db = xapian.WritableDatabase(args.out, xapian.DB_CREATE)
    tg = xapian.TermGenerator()
    tg.set_stemmer(xapian.Stem(STEMMER))
    tg.set_stemming_strategy(xapian.TermGenerator.STEM_SOME)
    n = 0
    with open_corpus(args.corpus) as f:
        for line in f:
            if not line.strip():
                continue
            a = json.loads(line)
            doc = xapian.Document()
            tg.set_document(doc)
            if not args.no_titles:
                tg.index_text(a.get("title") or "")
            tg.increase_termpos()
            tg.index_text(a.get("body") or "")
            doc.set_data(a["id"])
            idterm = "Q" + a["id"]
            doc.add_boolean_term(idterm)
            db.replace_document(idterm, doc)
            n += 1
    db.commit()
    if db.get_doccount() != n:
        sys.exit("xapian_peer.py index: %d articles but %d distinct ids" % (n, db.get_doccount()))
    db.close()
    print("xapian: indexed %d articles in %.1f s" % (n, time.time() - start), file=sys.stderr)


def search(args):
    start = time.time()
    db = xapian.Database(args.index)
    qp = xapian.QueryParser()
    qp.set_stemmer(xapian.Stem(STEMMER))
    qp.set_stemming_strategy(xapian.QueryParser.STEM_SOME)
    qp.set_default_op(xapian.Query.OP_OR)
    qp.set_database(db)
    enq = xapian.Enquire(db)
    enq.set_weighting_scheme(xapian.BM25Weight())
    with open(args.queries, encoding="utf-8") as qf, open(args.out, "w", encoding="utf-8") as out:
        for n, line in enumerate(qf, 1):
            line = line.rstrip("\r\n")
            if not line.strip():
                continue
            parts = line.split("\t", 2)
            if len(parts) != 3:
                sys.exit("%s:%d: want qid<TAB>split<TAB>query" % (args.queries, n))
            qid, _, text = parts
            # A query that is not valid syntax under the default flags
            # (say "a OR" or "a AND (b") raises QueryParserError; it is
            # then read as plain words, with every flag off.
            try:
                query = qp.parse_query(text)
            except xapian.QueryParserError:
                try:
                    query = qp.parse_query(text, 0)
                except xapian.QueryParserError:
                    continue
            enq.set_query(query)
            for rank, m in enumerate(enq.get_mset(0, args.depth), 1):
                out.write("%s Q0 %s %d %.6f xapian\n" % (
                    qid, m.document.get_data().decode("utf-8"), rank, m.weight))
    print("xapian: searched in %.1f s" % (time.time() - start), file=sys.stderr)


def main():
    p = argparse.ArgumentParser(prog="xapian_peer.py", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="cmd", required=True)
    pi = sub.add_parser("index", prefix_chars="-")
    pi.add_argument("-corpus", required=True)
    pi.add_argument("-out", required=True)
    pi.add_argument("-no-titles", dest="no_titles", action="store_true")
    ps = sub.add_parser("search", prefix_chars="-")
    ps.add_argument("-index", required=True)
    ps.add_argument("-queries", required=True)
    ps.add_argument("-depth", type=int, default=100)
    ps.add_argument("-out", required=True)
    args = p.parse_args()
    if args.cmd == "index":
        index(args)
    else:
        if args.depth < 1:
            sys.exit("xapian_peer.py search: -depth must be at least 1")
        search(args)


if __name__ == "__main__":
    main()
