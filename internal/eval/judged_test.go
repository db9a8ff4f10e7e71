package eval

import (
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestScoreQuery(t *testing.T) {
	grades := map[string]int{"a": 2, "b": 1, "c": 0, "d": 2}
	idcg := gain(2) + gain(2)/math.Log2(3) + gain(1)/2 // a, d, b
	tests := []struct {
		name    string
		ranking []string
		want    QueryScore
	}{
		{"ideal order", []string{"a", "d", "b"}, QueryScore{NDCG10: 1, P5: 0.6, MRR10: 1, Recall100: 1}},
		{"judged miss first", []string{"c", "a"}, QueryScore{NDCG10: gain(2) / math.Log2(3) / idcg, P5: 0.2, MRR10: 0.5, Recall100: 1.0 / 3}},
		{"unjudged counted", []string{"x", "y", "b"}, QueryScore{NDCG10: gain(1) / 2 / idcg, P5: 0.2, MRR10: 1.0 / 3, Recall100: 1.0 / 3, Unjudged10: 2}},
		{"nothing", nil, QueryScore{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := ScoreQuery(tt.ranking, grades)
			if math.Abs(got.NDCG10-tt.want.NDCG10) > 1e-9 || math.Abs(got.P5-tt.want.P5) > 1e-9 ||
				math.Abs(got.MRR10-tt.want.MRR10) > 1e-9 || math.Abs(got.Recall100-tt.want.Recall100) > 1e-9 ||
				got.Unjudged10 != tt.want.Unjudged10 {
				t.Errorf("ScoreQuery(%v) = %+v, want %+v", tt.ranking, got, tt.want)
			}
		})
	}
}

func TestScoreRunCountsQueriesWithoutHits(t *testing.T) {
	j := Judgments{"q1": {"a": 2}, "q2": {"b": 1}}
	rs := ScoreRun("r", map[string][]string{"q1": {"a"}}, JudgedQueries(j), j)
	if rs.Mean.P5 != 0.1 || rs.NoneInTop5 != 1 || rs.Mean.NDCG10 != 0.5 {
		t.Errorf("ScoreRun = %+v, want mean P@5 0.1, nDCG 0.5, one query with nothing in the top five", rs)
	}
}

func TestPairedRandomization(t *testing.T) {
	same := []float64{0.1, 0.5, 0.9, 0.3}
	if p, err := PairedRandomization(same, same, 2000, 1); err != nil || p != 1 {
		t.Errorf("identical runs: p = %v, %v; want 1", p, err)
	}
	var a, b []float64
	for i := 0; i < 30; i++ {
		a = append(a, 0.6+float64(i%3)/10)
		b = append(b, 0.4+float64(i%5)/20)
	}
	if p, _ := PairedRandomization(a, b, 5000, 1); p >= 0.001 {
		t.Errorf("a better on every query: p = %v, want < 0.001", p)
	}
	// One query up, one down by as much: no evidence either way.
	if p, _ := PairedRandomization([]float64{1, 0}, []float64{0, 1}, 5000, 1); p < 0.5 {
		t.Errorf("balanced differences: p = %v, want ≥ 0.5", p)
	}
	if _, err := PairedRandomization([]float64{1}, nil, 10, 1); err == nil {
		t.Error("unequal lengths: no error")
	}
}

func TestReadJudgmentsAndRun(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	j, err := ReadJudgments(write("ok.qrels", "q1 0 a 2\nq1 0 b 0\n"))
	if err != nil || j["q1"]["b"] != 0 || len(j["q1"]) != 2 {
		t.Errorf("ReadJudgments = %v, %v; want both grades, zero kept", j, err)
	}
	for name, text := range map[string]string{
		"fields.qrels":   "q1 0 a\n",
		"grade.qrels":    "q1 0 a high\n",
		"negative.qrels": "q1 0 a -1\n",
		"twice.qrels":    "q1 0 a 2\nq1 0 a 1\n",
	} {
		_, err := ReadJudgments(write(name, text))
		if err == nil || !strings.Contains(err.Error(), name+":") {
			t.Errorf("%s: error %v, want one naming the file and line", name, err)
		}
	}
	run, err := ReadRun(write("r.run", "q1 Q0 b 2 1.0 x\nq1 Q0 a 1 2.0 x\n"))
	if err != nil || strings.Join(run["q1"], ",") != "a,b" {
		t.Errorf("ReadRun = %v, %v; want a,b in rank order", run, err)
	}
	if _, err := ReadRun(write("bad.run", "q1 Q0 a one 2.0 x\n")); err == nil || !strings.Contains(err.Error(), "bad.run:1") {
		t.Errorf("bad rank: error %v, want bad.run:1", err)
	}
}
