package main

// The fts5 peer: SQLite FTS5 as its documentation sets it up.
//
//   - One FTS5 table, fts(title, body), tokenize = 'unicode61
//     remove_diacritics 2': words are runs of Unicode letters and digits,
//     case-folded, diacritics removed; no stemming, no stop words. The
//     article ids live in a plain table, docs(rowid, id), sharing the FTS
//     rowid, so the FTS table has exactly the two text columns.
//   - Query: the query's words (runs of letters/digits, lower-cased, as
//     unicode61 sees them), each double-quoted so that nothing in a query
//     is FTS5 syntax, joined with " OR ". Ranked by bm25(fts) with its
//     default weights (every column 1.0; k1 = 1.2, b = 0.75 over the
//     row's total length). bm25() is lower-is-better; the run file gives
//     its negation so that higher is better, as TREC tools expect.
//
// DIR holds one file, fts5.sqlite. Needs -tags sqlite_fts5.

import (
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	_ "github.com/mattn/go-sqlite3"
)

const fts5File = "fts5.sqlite"

func fts5Index(corpus, dir string, noTitles bool) (int, error) {
	if err := mustNotExist(dir); err != nil {
		return 0, err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return 0, err
	}
	db, err := sql.Open("sqlite3", filepath.Join(dir, fts5File))
	if err != nil {
		return 0, err
	}
	defer db.Close()
	for _, s := range []string{
		`PRAGMA journal_mode = OFF`,
		`PRAGMA synchronous = OFF`,
		`CREATE TABLE docs(rowid INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE)`,
		`CREATE VIRTUAL TABLE fts USING fts5(title, body, tokenize = 'unicode61 remove_diacritics 2')`,
	} {
		if _, err := db.Exec(s); err != nil {
			return 0, fmt.Errorf("%s: %w", s, err)
		}
	}
	tx, err := db.Begin()
	if err != nil {
		return 0, err
	}
	insDoc, err := tx.Prepare(`INSERT INTO docs(rowid, id) VALUES (?, ?)`)
	if err != nil {
		return 0, err
	}
	insFTS, err := tx.Prepare(`INSERT INTO fts(rowid, title, body) VALUES (?, ?, ?)`)
	if err != nil {
		return 0, err
	}
	n := 0
	err = eachArticle(corpus, func(a *Article) error {
		n++
		title := a.Title
		if noTitles {
			title = ""
		}
		if _, err := insDoc.Exec(n, a.ID); err != nil {
			return fmt.Errorf("article %q: %w", a.ID, err)
		}
		_, err := insFTS.Exec(n, title, a.Body)
		return err
	})
	if err != nil {
		tx.Rollback()
		return 0, err
	}
	if err := tx.Commit(); err != nil {
		return 0, err
	}
	return n, nil
}

// fts5Query turns a query into FTS5 syntax: its words, quoted, ORed. It is
// empty when the query has no words.
func fts5Query(text string) string {
	ws := words(text)
	for i, w := range ws {
		ws[i] = `"` + w + `"`
	}
	return strings.Join(ws, " OR ")
}

func fts5Search(dir, queries string, depth int, out string) error {
	qs, err := readQueries(queries)
	if err != nil {
		return err
	}
	path := filepath.Join(dir, fts5File)
	if _, err := os.Stat(path); err != nil {
		return err
	}
	db, err := sql.Open("sqlite3", "file:"+path+"?mode=ro")
	if err != nil {
		return err
	}
	defer db.Close()
	stmt, err := db.Prepare(`SELECT d.id, f.s FROM
		(SELECT rowid, bm25(fts) AS s FROM fts WHERE fts MATCH ?1 ORDER BY s, rowid LIMIT ?2) AS f
		JOIN docs AS d ON d.rowid = f.rowid ORDER BY f.s, f.rowid`)
	if err != nil {
		return err
	}
	defer stmt.Close()
	rw, err := createRun(out, "fts5")
	if err != nil {
		return err
	}
	for _, q := range qs {
		m := fts5Query(q.Text)
		if m == "" {
			continue
		}
		rows, err := stmt.Query(m, depth)
		if err != nil {
			rw.close()
			return fmt.Errorf("query %s (%s): %w", q.ID, m, err)
		}
		var hits []Hit
		for rows.Next() {
			var h Hit
			if err := rows.Scan(&h.DocID, &h.Score); err != nil {
				rows.Close()
				rw.close()
				return err
			}
			h.Score = -h.Score
			hits = append(hits, h)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			rw.close()
			return fmt.Errorf("query %s: %w", q.ID, err)
		}
		rw.write(q.ID, hits)
	}
	return rw.close()
}
