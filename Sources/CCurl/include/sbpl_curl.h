// libcurl's easy interface, opened with dlopen on the first download rather than linked: sbpl starts without
// loading libcurl and the dozens of libraries it needs. Non-variadic wrappers for Swift (curl_easy_setopt is a C
// variadic); every function but sbpl_curl_load needs sbpl_curl_load() to have succeeded.
#ifndef SBPL_CURL_H
#define SBPL_CURL_H

#define CURL_DISABLE_TYPECHECK
#include <curl/curl.h>

/// Opens libcurl.so.4 and runs curl_global_init, once; NULL when that worked, else why not.
const char *sbpl_curl_load(void);

/// A function curl hands received data to (CURLOPT_WRITEFUNCTION, CURLOPT_HEADERFUNCTION): `count` bytes
/// (`size` is 1) for `context`; returning anything but `count` aborts the transfer.
typedef size_t (*sbpl_curl_callback)(char *data, size_t size, size_t count, void *context);

CURL *sbpl_curl_easy_init(void);
void sbpl_curl_easy_cleanup(CURL *handle);
/// Forgets the options set, keeping the handle's connections alive for the next request.
void sbpl_curl_easy_reset(CURL *handle);
CURLcode sbpl_curl_setopt_long(CURL *handle, CURLoption option, long value);
/// For a string: curl copies it.
CURLcode sbpl_curl_setopt_string(CURL *handle, CURLoption option, const char *value);
/// For a list, a buffer or a callback's context, which must outlive the transfer.
CURLcode sbpl_curl_setopt_pointer(CURL *handle, CURLoption option, void *value);
CURLcode sbpl_curl_setopt_callback(CURL *handle, CURLoption option, sbpl_curl_callback callback);
CURLcode sbpl_curl_easy_perform(CURL *handle);
const char *sbpl_curl_easy_strerror(CURLcode code);
struct curl_slist *sbpl_curl_slist_append(struct curl_slist *list, const char *line);
void sbpl_curl_slist_free_all(struct curl_slist *list);

#endif
