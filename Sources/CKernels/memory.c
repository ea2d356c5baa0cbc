#include "CKernels.h"

#include <malloc.h>

void kernel_keep_freed_memory(size_t trim_threshold, size_t mmap_threshold) {
    mallopt(M_TRIM_THRESHOLD, (int)trim_threshold);
    mallopt(M_MMAP_THRESHOLD, (int)mmap_threshold);
}
