#include "sbpl_curl.h"
#include "lazy_library.h"

#define CURL_FUNCTIONS(F)                                                              \
    F(CURLcode, curl_global_init, (long))                                              \
    F(CURL *, curl_easy_init, (void))                                                  \
    F(void, curl_easy_cleanup, (CURL *))                                               \
    F(void, curl_easy_reset, (CURL *))                                                 \
    F(CURLcode, curl_easy_setopt, (CURL *, CURLoption, ...))                           \
    F(CURLcode, curl_easy_perform, (CURL *))                                           \
    F(const char *, curl_easy_strerror, (CURLcode))                                    \
    F(struct curl_slist *, curl_slist_append, (struct curl_slist *, const char *))     \
    F(void, curl_slist_free_all, (struct curl_slist *))

static void global_init(void);

LAZY_LIBRARY(curl, "libcurl.so.4", "libcurl4", CURL_FUNCTIONS, NULL, global_init)

static void global_init(void) { curl_functions.curl_global_init(CURL_GLOBAL_DEFAULT); }

const char *sbpl_curl_load(void) { return lazy_library_load(&curl); }

CURL *sbpl_curl_easy_init(void) { return curl_functions.curl_easy_init(); }
void sbpl_curl_easy_cleanup(CURL *handle) { curl_functions.curl_easy_cleanup(handle); }
void sbpl_curl_easy_reset(CURL *handle) { curl_functions.curl_easy_reset(handle); }

CURLcode sbpl_curl_setopt_long(CURL *handle, CURLoption option, long value) {
    return curl_functions.curl_easy_setopt(handle, option, value);
}

CURLcode sbpl_curl_setopt_string(CURL *handle, CURLoption option, const char *value) {
    return curl_functions.curl_easy_setopt(handle, option, value);
}

CURLcode sbpl_curl_setopt_pointer(CURL *handle, CURLoption option, void *value) {
    return curl_functions.curl_easy_setopt(handle, option, value);
}

CURLcode sbpl_curl_setopt_callback(CURL *handle, CURLoption option, sbpl_curl_callback callback) {
    return curl_functions.curl_easy_setopt(handle, option, callback);
}

CURLcode sbpl_curl_easy_perform(CURL *handle) { return curl_functions.curl_easy_perform(handle); }
const char *sbpl_curl_easy_strerror(CURLcode code) { return curl_functions.curl_easy_strerror(code); }

struct curl_slist *sbpl_curl_slist_append(struct curl_slist *list, const char *line) {
    return curl_functions.curl_slist_append(list, line);
}

void sbpl_curl_slist_free_all(struct curl_slist *list) { curl_functions.curl_slist_free_all(list); }
