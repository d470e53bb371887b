// dedup command-line entry point: signals, then parse and run.
#include <csignal>
#include <cstdlib>
#include <string_view>
#include <variant>

#include "cli/options.h"
#include "cli/run.h"
#include "cli/verify.h"
#include "io/file_io.h"

namespace {

// Removes temporaries on Ctrl-C or kill, then dies by the same signal.
void HandleTerminationSignal(int sig) {
  dedup::RemoveRegisteredTemporaries();
  std::signal(sig, SIG_DFL);
  std::raise(sig);
}

}  // namespace

int main(int argc, char** argv) {
  std::signal(SIGPIPE, SIG_IGN);  // a closed stdout shows up as EPIPE, handled quietly
  std::signal(SIGINT, HandleTerminationSignal);
  std::signal(SIGTERM, HandleTerminationSignal);
  if (argc >= 2 && std::string_view(argv[1]) == "verify") return dedup::RunVerify(argc - 1, argv + 1);
  auto parsed = dedup::ParseCommandLine(argc, argv);
  if (const int* code = std::get_if<int>(&parsed)) return *code;
  return dedup::Run(std::get<dedup::CliArgs>(parsed));
}
