// File: cli/verify.h
// `dedup verify`: proves from the input, the report and the output that every
// input byte is in the output or accounted for in the report (a dropped
// document, or a removed range), by rebuilding the output from input and
// report and comparing bytes.
#ifndef DEDUP_CLI_VERIFY_H_
#define DEDUP_CLI_VERIFY_H_

namespace dedup {

// argv[0] is "verify". Returns the exit status: 0 verified, 1 mismatch or
// unreadable input, 2 usage error.
int RunVerify(int argc, char** argv);

}  // namespace dedup

#endif  // DEDUP_CLI_VERIFY_H_
