#ifndef KEYWAY_CCURL_H
#define KEYWAY_CCURL_H

#include <stddef.h>

/// A response: the HTTP status and the body (malloc'ed; free with keyway_http_free).
typedef struct keyway_http_response {
    long status;
    char *body;
    size_t length;
} keyway_http_response;

/// One HTTP request through the system's libcurl (libcurl.so.4, loaded at run time: no headers or
/// link-time library are needed to build). `method` is GET or LIST; `headers` are "Name: value"
/// lines; `ca_pem` (may be NULL) replaces the system's roots with these PEM certificates
/// (CURLOPT_CAINFO_BLOB, libcurl 7.77 or later). Returns 0 and fills `response`, or nonzero with a
/// message in `error` (libcurl missing, a TLS or connection failure).
int keyway_http_request(const char *url, const char *method, const char *const *headers, size_t header_count,
                        const char *ca_pem, size_t ca_length, long timeout_seconds, keyway_http_response *response,
                        char *error, size_t error_length);

/// Frees a response's body.
void keyway_http_free(keyway_http_response *response);

#endif
