package main

import (
	"bufio"
	"fmt"
	"strings"

	"github.com/spf13/cobra"
)

func newStemCmd(o *options) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "stem [--lexicon FILE]",
		Short: "stem words read from standard input",
		Long: `Stem reads words from standard input, one a line, and prints the stem of
each on its own line, like Snowball's stemwords. Words are lower-cased first;
an empty line gives an empty line. --lexicon adds root words the stemmer
should know; --protected lists words it must leave alone.`,
		Example: `  printf 'menyerang\nkemitraan\nnegara-negara\n' | cari stem
  cari stem --lexicon /usr/share/hunspell/id_ID.dic < kata.txt > akar.txt`,
		Args:        cobra.NoArgs,
		Annotations: takesLexicon(),
		RunE: func(cmd *cobra.Command, _ []string) error {
			s, err := o.stemmer()
			if err != nil {
				return err
			}
			in := bufio.NewScanner(o.stdin)
			in.Buffer(make([]byte, 64<<10), 1<<20)
			out := bufio.NewWriter(o.stdout)
			for in.Scan() {
				word := strings.ToLower(strings.TrimSpace(in.Text()))
				if _, err := out.WriteString(s.Stem(word)); err != nil {
					return err
				}
				if err := out.WriteByte('\n'); err != nil {
					return err
				}
			}
			if err := in.Err(); err != nil {
				return fmt.Errorf("read standard input: %w", err)
			}
			return out.Flush()
		},
	}
	return cmd
}
