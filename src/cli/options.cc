#include "cli/options.h"

#include <cstdio>
#include <thread>
#include <variant>

#include "CLI/CLI.hpp"
#include "absl/strings/str_cat.h"

namespace dedup {

namespace {
constexpr const char* kFooter = R"(Exit status:
  0  success
  1  runtime error: unreadable, corrupt or invalid input (also when records
     were skipped with --on-error=skip), or a failed write
  2  usage error: unknown flag, bad value, bad argument

Examples:
  cat *.txt | dedup > clean.txt          # unframed text: works on paragraphs
  dedup < in.jsonl > out.jsonl           # one JSON object per line
  dedup -o clean/ corpus/ --report r.jsonl --stats)";
}  // namespace

std::optional<int> ParseOrExitStatus(CLI::App& app, int argc, char** argv, const char* program) {
  try {
    app.parse(argc, argv);
  } catch (const CLI::Success& e) {
    app.exit(e);
    return kExitOk;
  } catch (const CLI::ParseError& e) {
    std::fprintf(stderr, "%s: %s\nTry '%s --help'.\n", program, e.what(), program);
    return kExitUsage;
  }
  return std::nullopt;
}

std::variant<CliArgs, int> ParseCommandLine(int argc, char** argv) {
  CliArgs args;
  CLI::App app{"dedup: remove boilerplate blocks and near-duplicate documents from text corpora.\n"
               "Reads FILEs, DIRs (recursively) or stdin; writes the cleaned documents, in input order,\n"
               "to stdout or to -o.",
               "dedup"};
  app.footer(kFooter);
  app.set_version_flag("--version", std::string("dedup ") + DEDUP_VERSION);
  app.get_formatter()->column_width(34);

  app.add_option("inputs", args.inputs, "Input files or directories ('-' or none: stdin)")->group("Input");
  app.add_option("--format", args.format, "Input format; auto: WET when the input starts with 'WARC/', JSONL when the first non-blank byte is '{', else text")
      ->check(CLI::IsMember({"auto", "jsonl", "text", "wet"}))->capture_default_str()->group("Input");
  app.add_option("--text-field", args.text_field, "JSONL field holding the text")->capture_default_str()->group("Input");
  app.add_option("--id-field", args.id_field, "JSONL field holding the id (absent: the line number)")
      ->capture_default_str()->group("Input");
  app.add_option("--source-field", args.source_field,
                 "JSONL field naming the site; boilerplate is learned per site (absent: the file's directory)")
      ->capture_default_str()->group("Input");
  app.add_option("--doc-sep", args.doc_sep, "A line that separates documents in text input (default: detect NUL or form feed)")
      ->group("Input");
  app.add_option("--on-error", args.on_error, "Bad record or file: stop (exit 1, nothing written) or skip it (warn, exit 1 at the end)")
      ->check(CLI::IsMember({"stop", "skip"}))->capture_default_str()->group("Input");
  app.add_option("--max-doc-bytes", args.max_doc_bytes, "Largest document accepted")->capture_default_str()->group("Input");

  app.add_flag("--no-boilerplate", args.no_boilerplate, "Do not remove boilerplate blocks")->group("Cleaning");
  app.add_option("--min-stories", args.min_stories, "A line is boilerplate when it occurs in at least this many distinct stories of its site")
      ->capture_default_str()->group("Cleaning");
  app.add_option("--min-share", args.min_share, "...and in at least this share of its site's stories")
      ->capture_default_str()->group("Cleaning");
  app.add_option("--short-block-tokens", args.short_block_tokens, "Lines with fewer tokens than this are 'short'...")
      ->capture_default_str()->group("Cleaning");
  app.add_option("--short-block-share", args.short_block_share, "...and must also occur in this share of their site's stories")
      ->capture_default_str()->group("Cleaning");

  app.add_option("--template-share", args.template_share,
                 "Head/tail lines that vary but start alike ('Topics: ...') are boilerplate when in this share of their site's stories")
      ->capture_default_str()->group("Cleaning");

  app.add_flag("--no-dedup", args.no_dedup, "Do not drop near-duplicate documents")->group("Dedup");
  app.add_option("--keep", args.keep, "Which document of a cluster is kept")
      ->check(CLI::IsMember({"first", "longest"}))->capture_default_str()->group("Dedup");
  app.add_option("--threshold", args.threshold, "Estimated Jaccard similarity at or above which a document is a duplicate")
      ->capture_default_str()->group("Dedup");
  app.add_option("--containment", args.containment, "Containment of the smaller document at or above which it is a duplicate (>1: off)")
      ->capture_default_str()->group("Dedup");
  app.add_option("--min-length-ratio", args.min_length_ratio, "Containment applies only when smaller/larger size >= this")
      ->capture_default_str()->group("Dedup");
  app.add_option("--shingle", args.shingle, "Shingle width in words (characters for unspaced scripts)")
      ->capture_default_str()->group("Dedup");
  app.add_option("--num-perm", args.num_perm, "MinHash signature length")->capture_default_str()->group("Dedup");
  app.add_option("--minhash", args.minhash, "oph: one-permutation hashing with densification; classic: K hash functions")
      ->check(CLI::IsMember({"oph", "classic"}))->capture_default_str()->group("Dedup");
  app.add_option("--seed", args.seed, "Hash seed")->capture_default_str()->group("Dedup");
  app.add_option("--bands", args.bands, "LSH bands (0: derived from --threshold and --containment)")
      ->capture_default_str()->group("Dedup");
  app.add_option("--rows", args.rows, "LSH rows per band (0: derived)")->capture_default_str()->group("Dedup");

  app.add_option("-o,--output", args.output, "Output file, or directory mirroring the input tree (default: stdout)")
      ->group("Output");
  app.add_option("--report", args.report, "Write a JSON Lines report: one object per input document ('-': stdout, with -o)")->group("Output");
  app.add_flag("--stats", args.stats, "Print a summary on stderr at the end")->group("Output");
  app.add_option("--top-blocks", args.top_blocks, "Boilerplate blocks listed by --stats")->capture_default_str()->group("Output");
  app.add_flag("-q,--quiet", args.quiet, "Fewer messages on stderr (twice: errors only)")->group("Output");
  app.add_flag("--progress,!--no-progress", args.progress, "Progress line on stderr (default: when stderr is a terminal)")
      ->group("Output");
  app.add_option("--memory-limit", args.memory_limit_mib,
                 "Stop before the heavy phases, with a message, when the estimated peak memory exceeds this many MiB "
                 "(0: no limit)")
      ->capture_default_str()->group("Output");
  app.add_option("--threads", args.threads,
                 absl::StrCat("Worker threads (0: all cores; at most ", PipelineOptions::kMaxThreads,
                              "); output is the same for any count"))
      ->capture_default_str()->group("Output");

  if (const std::optional<int> status = ParseOrExitStatus(app, argc, argv, "dedup")) return *status;
  if (args.threads <= 0) args.threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  return args;
}

absl::StatusOr<PipelineOptions> MakePipelineOptions(const CliArgs& args) {
  PipelineOptions p;
  p.shingle_width = args.shingle;
  p.num_perm = args.num_perm;
  p.seed = args.seed;
  p.scheme = args.minhash == "classic" ? MinHashScheme::kClassic : MinHashScheme::kOnePermutation;
  p.match.jaccard_threshold = args.threshold;
  p.match.containment = args.containment;
  p.match.min_length_ratio = args.min_length_ratio;
  p.lsh = LshParams{args.bands, args.rows};
  if ((args.bands > 0) != (args.rows > 0)) return absl::InvalidArgumentError("--bands and --rows go together");
  p.dedup = !args.no_dedup;
  p.boilerplate = !args.no_boilerplate;
  p.keep = args.keep == "longest" ? KeepPolicy::kLongest : KeepPolicy::kFirst;
  p.blocks.min_stories = args.min_stories;
  p.blocks.min_share = args.min_share;
  p.blocks.short_block_tokens = args.short_block_tokens;
  p.blocks.short_block_share = args.short_block_share;
  p.blocks.template_share = args.template_share;
  p.threads = args.threads;
  if (absl::Status s = p.Validate(); !s.ok()) return s;
  return p;
}

absl::StatusOr<CorpusOptions> MakeCorpusOptions(const CliArgs& args) {
  CorpusOptions c;
  if (args.format == "jsonl") c.format = InputFormat::kJsonl;
  else if (args.format == "text") c.format = InputFormat::kText;
  else if (args.format == "wet") c.format = InputFormat::kWet;
  c.doc_sep = args.doc_sep;
  c.fields.text = args.text_field;
  c.fields.id = args.id_field;
  c.fields.source = args.source_field;
  c.skip_bad_records = args.on_error == "skip";
  if (args.max_doc_bytes == 0 || args.max_doc_bytes > (uint64_t{1} << 32) - 1)
    return absl::InvalidArgumentError("--max-doc-bytes must be in [1, 4294967295]");
  c.max_doc_bytes = args.max_doc_bytes;
  c.threads = args.threads;
  return c;
}

}  // namespace dedup
