// File: bench/micro/bench_input.h
// The one input every micro-benchmark reads, built once outside the timed
// loops: corpora/news_small/docs.jsonl repeated to about 8 MB. Repetition
// r >= 1 passes every letter of the text through a per-repetition cipher
// (vowels to vowels, consonants to consonants; same layout and word lengths)
// and gets ids "<id>-r<r>" and source "<source>-r<r>", so repetitions share
// no shingles: the corpus keeps news_small's duplicate and boilerplate rates
// instead of becoming 8 copies of itself.
#ifndef DEDUP_BENCH_MICRO_BENCH_INPUT_H_
#define DEDUP_BENCH_MICRO_BENCH_INPUT_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/tokenize.h"

namespace dedup::bench {

struct BenchInput {
  std::string jsonl;                    // the JSONL bytes, '\n' after every line
  std::vector<std::string_view> lines;  // views into jsonl, without '\n'
  std::string texts;                    // every decoded text field, concatenated
  std::vector<std::string_view> docs;   // views into texts, one per line
  std::vector<uint32_t> sources;        // source id per document (dense, from 1)
  std::vector<TokenStream> tokens;      // Tokenizer output per document
  std::string jsonl_path;               // jsonl written to a temporary directory
  double mean_doc_bytes = 0;            // texts.size() / docs.size()
};

// Built on first call (aborts with a message if news_small is missing).
const BenchInput& GetBenchInput();

// Removes the temporary directory; called by main after the run.
void RemoveBenchInputFiles();

}  // namespace dedup::bench

#endif  // DEDUP_BENCH_MICRO_BENCH_INPUT_H_
