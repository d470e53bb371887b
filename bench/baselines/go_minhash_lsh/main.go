// A MinHash-LSH near-duplicate pass built on Debian's Go libraries
// (golang-github-ekzhu-minhash-lsh-dev, which brings
// golang-github-dgryski-go-minhash-dev): the "Go MinHash-LSH" that issue #5
// quotes at ~16 MB/s per core, for measuring dedup against it on the same
// bytes (scripts/bench_baselines.sh). Not part of dedup's build or tests.
//
// What it does, the way these libraries are meant to be used: word 5-gram
// shingles (lower-cased runs of letters and digits), a 128-value MinWise
// signature per document (signatures on every core), every document added
// to the LSH forest and indexed once, then in input order a document is
// dropped when a kept earlier candidate's estimated Jaccard reaches
// -threshold. Writes the --report JSON Lines of dedup (no boilerplate: the
// libraries have none), so scripts/score.py scores both.
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"hash/fnv"
	"os"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"unicode"

	minwise "github.com/dgryski/go-minhash"
	minhashlsh "github.com/ekzhu/minhash-lsh"
)

type document struct {
	ID   string `json:"id"`
	Text string `json:"text"`
}

// words splits lower-cased text into runs of letters and digits.
func words(text string) []string {
	return strings.FieldsFunc(strings.ToLower(text), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
}

// signature pushes every distinct word 5-gram (all words, when fewer) into a
// fresh MinWise of numPerm values: a shingle is its words joined by spaces,
// built in the worker's reused buffer *shingle. h1 and h2 are the worker's
// own hashers.
func signature(text string, numPerm int, h1, h2 minwise.Hash64, shingle *[]byte) []uint64 {
	mw := minwise.NewMinWise(h1, h2, numPerm)
	w := words(text)
	const width = 5
	push := func(ws []string) {
		b := (*shingle)[:0]
		for k, word := range ws {
			if k > 0 {
				b = append(b, ' ')
			}
			b = append(b, word...)
		}
		*shingle = b
		mw.Push(b)
	}
	if len(w) < width {
		push(w)
		return mw.Signature()
	}
	for i := 0; i+width <= len(w); i++ {
		push(w[i : i+width])
	}
	return mw.Signature()
}

// seededFnv is a 64-bit FNV-1a hash of a seed byte then the value: the two
// hash functions MinWise derives its numPerm permutations from.
func seededFnv(seed byte) minwise.Hash64 {
	h := fnv.New64a()
	prefix := []byte{seed}
	return func(b []byte) uint64 {
		h.Reset()
		h.Write(prefix)
		h.Write(b)
		return h.Sum64()
	}
}

func jaccard(a, b []uint64) float64 {
	equal := 0
	for i := range a {
		if a[i] == b[i] {
			equal++
		}
	}
	return float64(equal) / float64(len(a))
}

func main() {
	input := flag.String("input", "", "JSONL documents (id, text)")
	report := flag.String("report", "", "report JSON Lines to write")
	threshold := flag.Float64("threshold", 0.7, "estimated Jaccard at or above which a document is a duplicate")
	numPerm := flag.Int("num-perm", 128, "MinHash signature length")
	flag.Parse()
	if *input == "" || *report == "" {
		fmt.Fprintln(os.Stderr, "usage: go_minhash_lsh -input docs.jsonl -report report.jsonl")
		os.Exit(2)
	}

	in, err := os.Open(*input)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	var docs []document
	scanner := bufio.NewScanner(in)
	scanner.Buffer(make([]byte, 1<<20), 1<<30)
	for line := 1; scanner.Scan(); line++ {
		var d document
		if err := json.Unmarshal(scanner.Bytes(), &d); err != nil {
			fmt.Fprintf(os.Stderr, "%s:%d: %v\n", *input, line, err)
			os.Exit(1)
		}
		docs = append(docs, d)
	}
	if err := scanner.Err(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}

	// Signatures on every core: workers take documents by index.
	sigs := make([][]uint64, len(docs))
	const batch = 64
	var next int64
	var wg sync.WaitGroup
	for w := 0; w < runtime.NumCPU(); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			h1, h2 := seededFnv(1), seededFnv(2)
			var shingle []byte
			for {
				i := atomic.AddInt64(&next, batch) - batch
				if i >= int64(len(docs)) {
					return
				}
				for j := i; j < i+batch && j < int64(len(docs)); j++ {
					sigs[j] = signature(docs[j].Text, *numPerm, h1, h2, &shingle)
				}
			}
		}()
	}
	wg.Wait()

	lsh := minhashlsh.NewMinhashLSH64(*numPerm, *threshold)
	for i, sig := range sigs {
		lsh.Add(i, sig)
	}
	lsh.Index()

	out, err := os.Create(*report)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	writer := bufio.NewWriterSize(out, 1<<20)
	kept := make([]bool, len(docs))
	dropped := 0
	for i, sig := range sigs {
		best, bestSim := -1, -1.0
		for _, c := range lsh.Query(sig) {
			j := c.(int)
			if j >= i || !kept[j] {
				continue
			}
			if s := jaccard(sig, sigs[j]); s >= *threshold && (s > bestSim || (s == bestSim && j < best)) {
				best, bestSim = j, s
			}
		}
		id, _ := json.Marshal(docs[i].ID)
		if best < 0 {
			kept[i] = true
			fmt.Fprintf(writer, "{\"id\": %s, \"action\": \"keep\", \"dup_of\": null, \"similarity\": null, \"removed\": []}\n", id)
			continue
		}
		dropped++
		dupOf, _ := json.Marshal(docs[best].ID)
		fmt.Fprintf(writer, "{\"id\": %s, \"action\": \"drop\", \"dup_of\": %s, \"similarity\": %.4f, \"removed\": []}\n", id, dupOf, bestSim)
	}
	if err := writer.Flush(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	if err := out.Close(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Fprintf(os.Stderr, "go_minhash_lsh: %d documents, %d dropped\n", len(docs), dropped)
}
