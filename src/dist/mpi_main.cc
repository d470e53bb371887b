// dedup_mpi: the dedup command spread over MPI ranks (mpirun, or Slurm's
// srun). Same flags as dedup; inputs must be files or directories and -o a
// directory. The output files and the report equal a single-process run's.
//
//   every rank   lists all input files; takes a contiguous share by bytes
//   pass 1       counts lines of its share; counters summed (Allreduce),
//                head/tail line hashes gathered everywhere (Allgatherv)
//   pass 2       fingerprints its share; gathered in rank order on rank 0
//   rank 0       clusters and decides for all documents (DecideDocuments),
//                sends each rank its documents' decisions (Scatterv)
//   every rank   writes its own inputs' outputs; rank 0 writes the report
//                (ids gathered) and --stats
//
// Rank 0 holds every document's fingerprint (~K*4 + 64 bytes per document
// plus candidate-line occurrences); the input text stays spread over ranks.
#include <mpi.h>

#include <algorithm>
#include <climits>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <string>
#include <variant>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "cli/diag.h"
#include "cli/inputs.h"
#include "cli/options.h"
#include "cli/run.h"
#include "core/status.h"
#include "core/string_view_compat.h"
#include "dist/wire.h"
#include "io/file_io.h"

namespace dedup {
namespace {

namespace fs = std::filesystem;

int Rank() {
  int r = 0;
  MPI_Comm_rank(MPI_COMM_WORLD, &r);
  return r;
}
int WorldSize() {
  int s = 1;
  MPI_Comm_size(MPI_COMM_WORLD, &s);
  return s;
}

absl::Status CheckCount(size_t bytes) {
  if (bytes > static_cast<size_t>(INT_MAX)) {
    return absl::ResourceExhaustedError(absl::StrCat("an MPI message of ", bytes, " bytes exceeds 2 GiB; use more ranks"));
  }
  return absl::OkStatus();
}

// Every rank's bytes in rank order, in one buffer: part(r) is rank r's.
struct GatheredBytes {
  std::string all;
  std::vector<size_t> begin;  // per rank, and the end
  std::string_view part(int r) const { return std::string_view(all).substr(begin[r], begin[r + 1] - begin[r]); }
  int parts() const { return static_cast<int>(begin.size()) - 1; }
};

// Gathers each rank's bytes on root (all ranks when root < 0); other ranks
// get no parts.
absl::StatusOr<GatheredBytes> GatherBytes(const std::string& mine, int root) {
  DEDUP_RETURN_IF_ERROR(CheckCount(mine.size()));
  const int size = WorldSize();
  int my_count = static_cast<int>(mine.size());
  std::vector<int> counts(size), displs(size);
  if (root < 0) MPI_Allgather(&my_count, 1, MPI_INT, counts.data(), 1, MPI_INT, MPI_COMM_WORLD);
  else MPI_Gather(&my_count, 1, MPI_INT, counts.data(), 1, MPI_INT, root, MPI_COMM_WORLD);
  const bool receives = root < 0 || Rank() == root;
  GatheredBytes out;
  size_t total = 0;
  for (int r = 0; r < size; ++r) {
    displs[r] = static_cast<int>(total);
    if (receives) out.begin.push_back(total);
    total += counts[r];
  }
  if (receives) {
    DEDUP_RETURN_IF_ERROR(CheckCount(total));
    out.begin.push_back(total);
    out.all.resize(total);
  }
  if (root < 0) {
    MPI_Allgatherv(mine.data(), my_count, MPI_BYTE, out.all.data(), counts.data(), displs.data(), MPI_BYTE,
                   MPI_COMM_WORLD);
  } else {
    MPI_Gatherv(mine.data(), my_count, MPI_BYTE, out.all.data(), counts.data(), displs.data(), MPI_BYTE, root,
                MPI_COMM_WORLD);
  }
  return out;
}

// Scatters parts[r] (on root) to rank r.
std::string ScatterBytes(const std::vector<std::string>& parts, int root) {
  const int size = WorldSize();
  std::vector<int> counts(size), displs(size);
  std::string all;
  if (Rank() == root) {
    for (int r = 0; r < size; ++r) {
      displs[r] = static_cast<int>(all.size());
      counts[r] = static_cast<int>(parts[r].size());
      all += parts[r];
    }
  }
  int my_count = 0;
  MPI_Scatter(counts.data(), 1, MPI_INT, &my_count, 1, MPI_INT, root, MPI_COMM_WORLD);
  std::string mine(my_count, '\0');
  MPI_Scatterv(all.data(), counts.data(), displs.data(), MPI_BYTE, mine.data(), my_count, MPI_BYTE, root,
               MPI_COMM_WORLD);
  return mine;
}

// Every rank's fingerprints, concatenated in rank order on rank 0 (others
// get none), and on rank 0 each rank's document count in *doc_counts. Rank 0
// holds them all, so it keeps its own as they are and takes the others' one
// rank at a time, each freed once appended: at most one rank's share is held
// twice, instead of every share three times (encoded, gathered, decoded).
absl::StatusOr<Fingerprints> GatherFingerprints(Fingerprints mine, int num_perm, std::vector<uint64_t>* doc_counts) {
  const int size = WorldSize();
  constexpr int kSizeTag = 1, kBytesTag = 2;
  const uint64_t my_shape[2] = {mine.size(), mine.occurrences.size()};
  if (Rank() != 0) {
    MPI_Gather(my_shape, 2, MPI_UINT64_T, nullptr, 2, MPI_UINT64_T, 0, MPI_COMM_WORLD);
    const std::string bytes = EncodeFingerprints(mine, num_perm);
    mine = Fingerprints{};
    DEDUP_RETURN_IF_ERROR(CheckCount(bytes.size()));
    const uint64_t count = bytes.size();
    MPI_Send(&count, 1, MPI_UINT64_T, 0, kSizeTag, MPI_COMM_WORLD);
    MPI_Send(bytes.data(), static_cast<int>(count), MPI_BYTE, 0, kBytesTag, MPI_COMM_WORLD);
    return Fingerprints{};
  }
  Fingerprints all = std::move(mine);
  std::vector<uint64_t> shapes(2 * size);
  MPI_Gather(my_shape, 2, MPI_UINT64_T, shapes.data(), 2, MPI_UINT64_T, 0, MPI_COMM_WORLD);
  // Room for every share up front: growing as they arrive would copy.
  uint64_t docs = 0, occurrences = 0;
  doc_counts->assign(size, 0);
  for (int r = 0; r < size; ++r) {
    (*doc_counts)[r] = shapes[2 * r];
    docs += shapes[2 * r];
    occurrences += shapes[2 * r + 1];
  }
  all.Reserve(docs, occurrences, num_perm);
  for (int r = 1; r < size; ++r) {
    uint64_t count = 0;
    MPI_Recv(&count, 1, MPI_UINT64_T, r, kSizeTag, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    std::string bytes(count, '\0');
    MPI_Recv(bytes.data(), static_cast<int>(count), MPI_BYTE, r, kBytesTag, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    DEDUP_ASSIGN_OR_RETURN(Fingerprints part, DecodeFingerprints(bytes, num_perm));
    bytes = std::string{};
    all.Append(std::move(part));
  }
  return all;
}

// KeyCounter's merge as an MPI reduction, one per counter width (an MPI
// operation gets no other argument).
template <uint32_t kMaxCount>
void SaturatingAdd(void* in, void* inout, int* len, MPI_Datatype*) {
  const size_t n = static_cast<size_t>(*len);
  KeyCounter::MergeCounters({static_cast<const uint8_t*>(in), n}, {static_cast<uint8_t*>(inout), n}, kMaxCount);
}

// Contiguous shares of the file list with about equal bytes per rank.
std::vector<InputFile> MyShare(const std::vector<InputFile>& files, int rank, int size) {
  std::vector<uint64_t> bytes(files.size());
  uint64_t total = 0;
  for (size_t i = 0; i < files.size(); ++i) {
    std::error_code ec;
    bytes[i] = fs::file_size(files[i].path, ec);
    if (ec) bytes[i] = 0;
    total += bytes[i];
  }
  std::vector<InputFile> mine;
  uint64_t before = 0;
  for (size_t i = 0; i < files.size(); ++i) {
    // File i goes to the rank whose byte range holds the file's first byte.
    const int owner = total == 0 ? static_cast<int>(i * size / files.size())
                                 : static_cast<int>(std::min<uint64_t>(size - 1, before * size / total));
    if (owner == rank) mine.push_back(files[i]);
    before += bytes[i];
  }
  return mine;
}

// --memory-limit, per rank, before the heavy phases: a rank holds its share
// of the input and its documents' state while it fingerprints; rank 0 then
// holds every document's state while it clusters. The largest estimate
// decides on every rank alike; rank 0 names it.
bool WithinMemoryLimit(const CliArgs& args, uint64_t my_docs, uint64_t my_bytes, int threads) {
  uint64_t total_docs = 0;
  MPI_Allreduce(&my_docs, &total_docs, 1, MPI_UINT64_T, MPI_SUM, MPI_COMM_WORLD);
  uint64_t mine = EstimatePeakMemoryMiB(my_bytes, Rank() == 0 ? total_docs : my_docs, threads);
  uint64_t largest = 0;
  MPI_Allreduce(&mine, &largest, 1, MPI_UINT64_T, MPI_MAX, MPI_COMM_WORLD);
  if (largest <= args.memory_limit_mib) return true;
  if (Rank() == 0) {
    PrintError(absl::StrFormat(
        "estimated peak memory %d MiB on the rank that needs most (rank 0 clusters all %d documents; "
        "%d thread%s a rank) exceeds --memory-limit=%d MiB; split the input into slices",
        largest, total_docs, threads, threads == 1 ? "" : "s", args.memory_limit_mib));
  }
  return false;
}

absl::Status RunDistributed(const CliArgs& args, int* exit_code) {
  const int rank = Rank(), size = WorldSize();
  if (args.output.empty() || args.output == "-") {
    return absl::InvalidArgumentError("dedup_mpi writes a mirrored tree: give -o DIR");
  }
  DEDUP_ASSIGN_OR_RETURN(PipelineOptions options, MakePipelineOptions(args));
  DEDUP_ASSIGN_OR_RETURN(CorpusOptions corpus_options, MakeCorpusOptions(args));
  DEDUP_ASSIGN_OR_RETURN(const std::vector<InputFile> files, ListInputFiles(args));
  DEDUP_RETURN_IF_ERROR(CheckOutputPaths(args, files));
  for (const InputFile& f : files) {
    if (f.path == "-") return absl::InvalidArgumentError("dedup_mpi reads files or directories, not stdin");
  }
  CliArgs dir_args = args;
  if (dir_args.output.back() != '/') dir_args.output += '/';  // always a mirrored tree

  Corpus corpus(std::move(corpus_options));
  bool any_error = false;
  DEDUP_RETURN_IF_ERROR(LoadInputFiles(MyShare(files, rank, size), corpus, &any_error));
  for (const std::string& w : corpus.warnings()) PrintWarning(w);
  any_error |= corpus.bad_records() > 0;

  // Global sizes: every rank sizes its line counter the same way.
  uint64_t my_bytes = corpus.SizeHintBytes(), total_bytes = 0;
  MPI_Allreduce(&my_bytes, &total_bytes, 1, MPI_UINT64_T, MPI_SUM, MPI_COMM_WORLD);
  if (args.memory_limit_mib != 0 && !WithinMemoryLimit(args, corpus.size(), my_bytes, options.threads)) {
    *exit_code = kExitRuntimeError;  // rank 0 said why; every rank stops here
    return absl::OkStatus();
  }

  std::unique_ptr<LineStatistics> lines;
  absl::flat_hash_set<uint64_t> link_targets;
  if (options.boilerplate) {
    lines = std::make_unique<LineStatistics>(LineCounterKeys(total_bytes), options.blocks.min_stories);
    CountLines(corpus, options, lines.get());
    // Summed in place: a copy of the table would double its memory on every rank.
    const std::span<uint8_t> counters = lines->counts.RawCounters();
    MPI_Op op;
    MPI_Op_create(lines->counts.max_count() == 15 ? &SaturatingAdd<15> : &SaturatingAdd<255>, /*commute=*/1, &op);
    for (size_t at = 0; at < counters.size(); at += INT_MAX / 2) {
      const int n = static_cast<int>(std::min<size_t>(INT_MAX / 2, counters.size() - at));
      MPI_Allreduce(MPI_IN_PLACE, counters.data() + at, n, MPI_UINT8_T, op, MPI_COMM_WORLD);
    }
    MPI_Op_free(&op);
    SelectCandidateKeys(options, lines.get());
    std::string mine = EncodeStrings({std::string_view(reinterpret_cast<const char*>(lines->head_lines.data()),
                                                        lines->head_lines.size() * 8),
                                       std::string_view(reinterpret_cast<const char*>(lines->listed_lines.data()),
                                                        lines->listed_lines.size() * 8)});
    DEDUP_ASSIGN_OR_RETURN(const GatheredBytes all, GatherBytes(mine, /*root=*/-1));
    LineStatistics merged(/*expected_keys=*/0, options.blocks.min_stories);
    for (int r = 0; r < all.parts(); ++r) {
      DEDUP_ASSIGN_OR_RETURN(const std::vector<std::string> two, DecodeStrings(all.part(r)));
      for (int which = 0; which < 2; ++which) {
        auto& dst = which == 0 ? merged.head_lines : merged.listed_lines;
        const size_t at = dst.size();
        dst.resize(at + two[which].size() / 8);
        std::memcpy(dst.data() + at, two[which].data(), two[which].size());
      }
    }
    link_targets = FindLinkTargets(merged, options.threads);
  }

  Fingerprints fp = ComputeFingerprints(corpus, options, lines.get(), link_targets);
  lines.reset();
  std::vector<uint64_t> doc_counts;  // per rank, on rank 0
  DEDUP_ASSIGN_OR_RETURN(Fingerprints all, GatherFingerprints(std::move(fp), options.num_perm, &doc_counts));

  PipelineResult global;
  std::vector<std::string> decision_parts(size);
  if (rank == 0) {
    global = DecideDocuments(std::move(all), options);
    size_t begin = 0;
    for (int r = 0; r < size; ++r) {
      decision_parts[r] = EncodeDecisions(global, begin, begin + doc_counts[r]);
      begin += doc_counts[r];
    }
  }
  DEDUP_ASSIGN_OR_RETURN(const PipelineResult local, DecodeDecisions(ScatterBytes(decision_parts, 0)));
  absl::Status status = WriteOutputs(dir_args, corpus, local);

  // Report: ids of every document, on rank 0.
  std::vector<std::string_view> ids;
  for (size_t d = 0; d < corpus.size(); ++d) ids.push_back(corpus.Id(d));
  DEDUP_ASSIGN_OR_RETURN(const GatheredBytes id_parts, GatherBytes(EncodeStrings(ids), 0));
  if (rank == 0 && status.ok() && !args.report.empty()) {
    std::vector<std::string> all_ids;
    for (int r = 0; r < id_parts.parts(); ++r) {
      DEDUP_ASSIGN_OR_RETURN(std::vector<std::string> some, DecodeStrings(id_parts.part(r)));
      for (std::string& id : some) all_ids.push_back(std::move(id));
    }
    status = WriteReport(args.report, global, [&](size_t i) { return std::string_view(all_ids[i]); });
  }
  if (rank == 0 && status.ok() && args.stats) {
    std::fprintf(stderr, "dedup_mpi: %d ranks, %zu documents, %llu dropped, %llu boilerplate bytes removed, peak memory on rank 0 %.1f MiB\n",
                 size, global.docs.size(), static_cast<unsigned long long>(global.stats.dropped),
                 static_cast<unsigned long long>(global.stats.boilerplate_bytes), PeakRssBytes() / 1048576.0);
  }
  int my_error = !status.ok() || any_error, any = 0;
  MPI_Allreduce(&my_error, &any, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
  *exit_code = any ? kExitRuntimeError : kExitOk;
  return status;
}

}  // namespace
}  // namespace dedup

int main(int argc, char** argv) {
  MPI_Init(&argc, &argv);
  std::signal(SIGPIPE, SIG_IGN);
  auto parsed = dedup::ParseCommandLine(argc, argv);
  int code = 0;
  if (const int* exit_code = std::get_if<int>(&parsed)) {
    code = *exit_code;
  } else {
    const dedup::CliArgs& args = std::get<dedup::CliArgs>(parsed);
    dedup::SetVerbosity(2 - args.quiet);
    const absl::Status status = dedup::RunDistributed(args, &code);
    if (!status.ok()) {
      dedup::PrintError(absl::StrCat("rank ", dedup::Rank(), ": ", status.message()));
      if (code == 0) code = dedup::kExitRuntimeError;
      MPI_Abort(MPI_COMM_WORLD, code);
    }
  }
  MPI_Finalize();
  return code;
}
