// File: bench/micro/bench_input.cc
#include "bench_input.h"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "absl/container/flat_hash_map.h"
#include "core/string_view_compat.h"
#include "io/jsonl.h"

#ifndef DEDUP_SOURCE_DIR
#error "DEDUP_SOURCE_DIR must name the repository root"
#endif

namespace dedup::bench {
namespace {

constexpr size_t kTargetBytes = size_t{8} << 20;
constexpr char kVowels[] = "aeiou";
constexpr char kConsonants[] = "bcdfghjklmnpqrstvwxyz";

[[noreturn]] void Die(const std::string& message) {
  std::fprintf(stderr, "dedup_bench: %s\n", message.c_str());
  std::exit(1);
}

// Letter cipher of repetition r: rotates vowels by r and consonants by 2r (distinct for r < 105).
char CipherLetter(char c, int r) {
  const bool upper = c >= 'A' && c <= 'Z';
  const char lower = static_cast<char>(c | 0x20);
  if (lower < 'a' || lower > 'z') return c;
  char out;
  if (const char* v = std::strchr(kVowels, lower)) {
    out = kVowels[(v - kVowels + r) % 5];
  } else {
    const char* k = std::strchr(kConsonants, lower);
    out = kConsonants[(k - kConsonants + 2 * r) % 21];
  }
  return upper ? static_cast<char>(out & ~0x20) : out;
}

std::string Cipher(std::string_view text, int r) {
  std::string out(text);
  for (char& c : out) c = CipherLetter(c, r);
  return out;
}

BenchInput* Build() {
  const std::string path = std::string(DEDUP_SOURCE_DIR) + "/corpora/news_small/docs.jsonl";
  std::ifstream in(path, std::ios::binary);
  if (!in) Die(path + ": cannot open (the micro-benchmarks read it)");
  std::stringstream ss;
  ss << in.rdbuf();
  const std::string base = ss.str();

  struct Record {
    std::string id, text, source;
  };
  std::vector<Record> records;
  JsonlFieldNames names;
  JsonlRecord record;
  std::string text;
  size_t line_no = 0;
  for (size_t pos = 0; pos < base.size();) {
    ++line_no;
    size_t nl = base.find('\n', pos);
    if (nl == std::string::npos) nl = base.size();
    const std::string_view line(base.data() + pos, nl - pos);
    pos = nl + 1;
    if (line.find_first_not_of(" \t\r") == std::string_view::npos) continue;
    const absl::Status status = ParseJsonlLine(line, names, &record, &text);
    if (!status.ok()) Die(path + ":" + std::to_string(line_no) + ": " + std::string(StdView(status.message())));
    records.push_back({record.id, text, record.source});
  }
  if (records.empty()) Die(path + ": no documents");

  auto* input = new BenchInput;
  std::vector<std::pair<size_t, size_t>> text_ranges;
  absl::flat_hash_map<std::string, uint32_t> source_ids;
  for (int r = 0; input->jsonl.size() < kTargetBytes; ++r) {
    for (const Record& rec : records) {
      const std::string suffix = r == 0 ? "" : "-r" + std::to_string(r);
      const std::string doc_text = r == 0 ? rec.text : Cipher(rec.text, r);
      const std::string source = rec.source + suffix;
      std::string& out = input->jsonl;
      out.append("{\"id\": ");
      AppendJsonString(rec.id + suffix, &out);
      out.append(", \"text\": ");
      AppendJsonString(doc_text, &out);
      out.append(", \"source\": ");
      AppendJsonString(source, &out);
      out.append("}\n");
      text_ranges.emplace_back(input->texts.size(), doc_text.size());
      input->texts.append(doc_text);
      input->sources.push_back(source_ids.try_emplace(source, source_ids.size() + 1).first->second);
    }
  }
  for (size_t pos = 0; pos < input->jsonl.size();) {
    const size_t nl = input->jsonl.find('\n', pos);
    input->lines.emplace_back(input->jsonl.data() + pos, nl - pos);
    pos = nl + 1;
  }
  for (const auto& [begin, size] : text_ranges) input->docs.emplace_back(input->texts.data() + begin, size);
  input->mean_doc_bytes = static_cast<double>(input->texts.size()) / input->docs.size();
  Tokenizer tokenizer;
  input->tokens.resize(input->docs.size());
  for (size_t d = 0; d < input->docs.size(); ++d) tokenizer.Tokenize(input->docs[d], &input->tokens[d]);

  std::error_code ec;
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path(ec) / ("dedup_bench." + std::to_string(::getpid()));
  std::filesystem::create_directories(dir, ec);
  if (ec) Die(dir.string() + ": " + ec.message());
  input->jsonl_path = (dir / "docs.jsonl").string();
  std::ofstream out(input->jsonl_path, std::ios::binary);
  out.write(input->jsonl.data(), static_cast<std::streamsize>(input->jsonl.size()));
  if (!out.flush()) Die(input->jsonl_path + ": write failed");
  return input;
}

BenchInput* g_input = nullptr;

}  // namespace

const BenchInput& GetBenchInput() {
  if (g_input == nullptr) g_input = Build();
  return *g_input;
}

void RemoveBenchInputFiles() {
  if (g_input == nullptr || g_input->jsonl_path.empty()) return;
  std::error_code ec;
  std::filesystem::remove_all(std::filesystem::path(g_input->jsonl_path).parent_path(), ec);
}

}  // namespace dedup::bench
