#include "lazy_library.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

/// One lock for every library's first load: loads are rare and short.
static pthread_mutex_t load_lock = PTHREAD_MUTEX_INITIALIZER;

static void open_library(lazy_library *library) {
    if (library->before_open) library->before_open();
    void *handle = dlopen(library->file, RTLD_NOW | RTLD_LOCAL);
    if (!handle) {
        snprintf(library->error, sizeof library->error, "cannot load %s (%s); install %s", library->file, dlerror(),
                 library->package);
        library->state = -1;
        return;
    }
    for (size_t i = 0; i < library->count; i++) {
        void *function = dlsym(handle, library->names[i]);
        if (!function) {
            snprintf(library->error, sizeof library->error, "%s has no %s; install %s", library->file,
                     library->names[i], library->package);
            library->state = -1;
            return;
        }
        library->functions[i] = function;
    }
    if (library->after_open) library->after_open();
    __atomic_store_n(&library->state, 1, __ATOMIC_RELEASE);
}

const char *lazy_library_load(lazy_library *library) {
    int state = __atomic_load_n(&library->state, __ATOMIC_ACQUIRE);
    if (state == 0) {
        pthread_mutex_lock(&load_lock);
        if (library->state == 0) open_library(library);
        state = library->state;
        pthread_mutex_unlock(&load_lock);
    }
    return state == 1 ? NULL : library->error;
}

void lazy_library_require(lazy_library *library) {
    const char *error = lazy_library_load(library);
    if (!error) return;
    fprintf(stderr, "sbpl: %s\n", error);
    exit(1);
}
