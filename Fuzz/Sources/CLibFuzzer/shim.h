// libFuzzer's driver, linked in by -sanitize=fuzzer: runs the fuzzing loop (or replays inputs) with the command
// line's options, calling `test` on each input. A harness calls it from its own entry point.
#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*test)(const uint8_t *_Nonnull data, size_t size));
