// Issue #2's acceptance test on real text: 1,000 unrelated BBC stories plus
// one story republished by 5 outlets. Skips when ../shared/corpora is absent.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "io/jsonl.h"

namespace {

namespace fs = std::filesystem;

std::string ReadAll(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::vector<std::string> Lines(const std::string& s) {
  std::vector<std::string> out;
  std::stringstream ss(s);
  for (std::string line; std::getline(ss, line);) out.push_back(line);
  return out;
}

std::string Collapse(const std::string& s) {
  std::string o;
  for (char c : s) {
    if (std::isspace(static_cast<unsigned char>(c))) {
      if (!o.empty() && o.back() != ' ') o += ' ';
    } else {
      o += c;
    }
  }
  return o;
}

std::string JsonLine(const std::string& id, const std::string& text) {
  std::string line = "{\"id\": ";
  dedup::AppendJsonString(id, &line);
  line += ", \"text\": ";
  dedup::AppendJsonString(text, &line);
  return line + "}";
}

TEST(RealCorpusTest, OneStoryRepublishedByFiveOutletsComesOutOnce) {
  const fs::path corpus = fs::path(DEDUP_SOURCE_DIR) / "../shared/corpora/bbc_news/docs.jsonl";
  if (!fs::exists(corpus)) GTEST_SKIP() << "no " << corpus;
  // 1,000 stories that are not near-duplicates of each other (the corpus's
  // silver pairs and exact duplicates left out).
  std::set<std::string> related;
  for (const std::string& line : Lines(ReadAll(corpus.parent_path() / "neardup_pairs.tsv"))) {
    const auto tab = line.find('\t');
    const auto tab2 = line.find('\t', tab + 1);
    related.insert(line.substr(0, tab));
    related.insert(line.substr(tab + 1, tab2 - tab - 1));
  }
  std::set<std::string> seen_text;
  std::vector<std::pair<std::string, std::string>> stories;  // id, text
  dedup::JsonlFieldNames names;
  for (const std::string& line : Lines(ReadAll(corpus))) {
    dedup::JsonlRecord rec;
    std::string text;
    ASSERT_TRUE(dedup::ParseJsonlLine(line, names, &rec, &text).ok());
    if (related.count(rec.id) || !seen_text.insert(Collapse(text)).second) continue;
    stories.emplace_back(rec.id, text);
    if (stories.size() == 1001) break;
  }
  ASSERT_EQ(stories.size(), 1001u);
  // The wire story: the last one, republished 5 times after the original.
  const auto [wire_id, wire] = stories.back();
  stories.pop_back();
  std::vector<std::string> paras;
  for (size_t pos = wire.find("\n\n"), start = 0;; start = pos + 2, pos = wire.find("\n\n", start)) {
    paras.push_back(wire.substr(start, pos == std::string::npos ? std::string::npos : pos - start));
    if (pos == std::string::npos) break;
  }
  std::vector<std::string> lines;
  std::vector<std::string> copy_ids;
  for (size_t i = 0; i < stories.size(); ++i) {
    lines.push_back(JsonLine(stories[i].first, stories[i].second));
    if (i == 500) lines.push_back(JsonLine(wire_id, wire));
  }
  for (int outlet = 0; outlet < 5; ++outlet) {
    std::vector<std::string> p(paras.begin() + 1, paras.end());  // new headline replaces the old
    if (outlet == 1) {  // trimmed from the bottom to 60% of the text
      size_t bytes = 0, keep = 0;
      while (keep < p.size() && bytes < wire.size() * 6 / 10) bytes += p[keep++].size() + 2;
      p.resize(keep);
    }
    for (size_t i = 0; i < p.size() && i < 3; ++i) {  // a few word edits
      const auto at = p[i].find(" the ");
      if (at != std::string::npos) p[i].replace(at, 5, " this ");
    }
    std::string text = "Outlet " + std::to_string(outlet) + " reports: " + paras[0] + " (updated)\n\n";
    for (const std::string& para : p) text += para + "\n\n";
    text += "Copyright Outlet number " + std::to_string(outlet) + ". Follow us for more stories every day.";
    copy_ids.push_back("copy-" + std::to_string(outlet));
    lines.insert(lines.begin() + 700 + outlet * 50, JsonLine(copy_ids.back(), text));
  }
  const fs::path dir = fs::temp_directory_path() / ("dedup_real_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  std::string input;
  for (const std::string& l : lines) input += l + "\n";
  std::ofstream(dir / "in.jsonl", std::ios::binary) << input;
  const std::string cmd = "'" + std::string(DEDUP_BINARY) + "' '" + (dir / "in.jsonl").string() + "' -o '" +
                          (dir / "out.jsonl").string() + "' --report '" + (dir / "report.jsonl").string() + "' -q";
  const int status = std::system(cmd.c_str());
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  const std::vector<std::string> out = Lines(ReadAll(dir / "out.jsonl"));
  const std::string report = ReadAll(dir / "report.jsonl");
  if (!std::getenv("DEDUP_KEEP_TMP")) fs::remove_all(dir);
  // Everything but the five copies comes out, byte for byte.
  std::vector<std::string> expected;
  for (const std::string& l : lines) {
    if (l.find("\"copy-") == std::string::npos) expected.push_back(l);
  }
  EXPECT_EQ(out.size(), expected.size());
  EXPECT_TRUE(out == expected) << "an unrelated story was changed or dropped";
  for (const std::string& id : copy_ids) {
    const std::string want = "{\"id\": \"" + id + "\", \"action\": \"drop\", \"dup_of\": \"" + wire_id + "\"";
    EXPECT_NE(report.find(want), std::string::npos) << id;
  }
}

}  // namespace
