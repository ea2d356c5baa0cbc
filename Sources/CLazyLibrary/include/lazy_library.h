// A shared library opened with dlopen the first time one of its functions is needed, rather than linked: sbpl
// starts without loading (and relocating) libraries only some commands use (libcurl, OpenBLAS, libzmq, libedit).
#ifndef LAZY_LIBRARY_H
#define LAZY_LIBRARY_H

#include <stddef.h>

/// A library to open on first use and the functions to look up in it. `functions` points at a struct of
/// function pointers laid out in the order of `names` (`LAZY_LIBRARY` declares both from one list).
typedef struct lazy_library {
    /// The file to open (a soname, such as "libcurl.so.4").
    const char *file;
    /// What to install when it is missing, for the error message (such as "libcurl4").
    const char *package;
    const char *const *names;
    void **functions;
    size_t count;
    /// Called once before the library is opened (may be NULL): environment its constructors read.
    void (*before_open)(void);
    /// Called once after its functions were found (may be NULL): the library's own global set-up.
    void (*after_open)(void);
    /// 0 before the first attempt, 1 once loaded, -1 when it could not be.
    int state;
    /// Why it could not be loaded, when `state` is -1.
    char error[512];
} lazy_library;

/// Opens `library` and looks up its functions the first time it is called (thread-safe; later calls return at
/// once). Returns NULL when they are all there, else why not (the same message every time).
const char *lazy_library_load(lazy_library *library);

/// Loads `library` or ends the process with its error on stderr: for functions that cannot report a failure.
void lazy_library_require(lazy_library *library);

// Declares `NAME`, a lazy_library for `FILE` (`PACKAGE` installs it), with the functions `LIST` names:
// `LIST(F)` expands `F(return type, name, (parameter types))` once per function. Call them as
// `NAME##_functions.name(...)` once `lazy_library_load(&NAME)` succeeded.
#define LAZY_LIBRARY_POINTER(ret, name, params) ret (*name) params;
#define LAZY_LIBRARY_NAME(ret, name, params) #name,
#define LAZY_LIBRARY(NAME, FILE, PACKAGE, LIST, BEFORE, AFTER)                                                    \
    static struct { LIST(LAZY_LIBRARY_POINTER) } NAME##_functions;                                                \
    static const char *const NAME##_names[] = { LIST(LAZY_LIBRARY_NAME) };                                         \
    static lazy_library NAME = { FILE, PACKAGE, NAME##_names, (void **)&NAME##_functions,                          \
                                 sizeof NAME##_names / sizeof *NAME##_names, BEFORE, AFTER, 0, "" };

#endif
