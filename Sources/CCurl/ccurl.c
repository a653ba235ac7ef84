// The few libcurl calls `compile plan` makes, bound at run time with dlopen/dlsym, so the build needs
// neither curl's headers nor libcurl-dev. The option numbers are libcurl's stable ABI (curl.h:
// CURLOPT(name, type, number), type LONG 0, OBJECTPOINT 10000, FUNCTIONPOINT 20000, BLOB 40000).
#include "ccurl.h"

#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum {
    OPT_WRITEDATA = 10001,
    OPT_URL = 10002,
    OPT_ERRORBUFFER = 10010,
    OPT_TIMEOUT = 13,
    OPT_HTTPHEADER = 10023,
    OPT_CUSTOMREQUEST = 10036,
    OPT_CONNECTTIMEOUT = 78,
    OPT_NOSIGNAL = 99,
    OPT_PROTOCOLS = 181,
    OPT_WRITEFUNCTION = 20011,
    OPT_CAINFO_BLOB = 40309,
    INFO_RESPONSE_CODE = 0x200000 + 2,
    PROTO_HTTP_HTTPS = 1 | 2,
    ERROR_SIZE = 256, // CURL_ERROR_SIZE
    BLOB_COPY = 1,
    MAX_BODY = 16 * 1024 * 1024,
};

struct blob {
    void *data;
    size_t len;
    unsigned int flags;
};

struct curl_api {
    void *(*easy_init)(void);
    int (*easy_setopt)(void *, int, ...);
    int (*easy_perform)(void *);
    int (*easy_getinfo)(void *, int, ...);
    void (*easy_cleanup)(void *);
    const char *(*easy_strerror)(int);
    void *(*slist_append)(void *, const char *);
    void (*slist_free_all)(void *);
};

static int load(struct curl_api *api, char *error, size_t error_length) {
    static void *library;
    if (!library) library = dlopen("libcurl.so.4", RTLD_NOW | RTLD_LOCAL);
    if (!library) {
        snprintf(error, error_length, "cannot load libcurl.so.4 (install libcurl4): %s", dlerror());
        return 1;
    }
    api->easy_init = (void *(*)(void))dlsym(library, "curl_easy_init");
    api->easy_setopt = (int (*)(void *, int, ...))dlsym(library, "curl_easy_setopt");
    api->easy_perform = (int (*)(void *))dlsym(library, "curl_easy_perform");
    api->easy_getinfo = (int (*)(void *, int, ...))dlsym(library, "curl_easy_getinfo");
    api->easy_cleanup = (void (*)(void *))dlsym(library, "curl_easy_cleanup");
    api->easy_strerror = (const char *(*)(int))dlsym(library, "curl_easy_strerror");
    api->slist_append = (void *(*)(void *, const char *))dlsym(library, "curl_slist_append");
    api->slist_free_all = (void (*)(void *))dlsym(library, "curl_slist_free_all");
    if (!api->easy_init || !api->easy_setopt || !api->easy_perform || !api->easy_getinfo || !api->easy_cleanup ||
        !api->easy_strerror || !api->slist_append || !api->slist_free_all) {
        snprintf(error, error_length, "libcurl.so.4 lacks a function plan calls");
        return 1;
    }
    return 0;
}

static size_t collect(char *data, size_t size, size_t count, void *user) {
    keyway_http_response *response = user;
    size_t bytes = size * count;
    if (response->length + bytes > MAX_BODY) return 0; // stops the transfer: more than plan ever reads
    char *grown = realloc(response->body, response->length + bytes + 1);
    if (!grown) return 0;
    memcpy(grown + response->length, data, bytes);
    response->length += bytes;
    grown[response->length] = 0;
    response->body = grown;
    return bytes;
}

int keyway_http_request(const char *url, const char *method, const char *const *headers, size_t header_count,
                        const char *ca_pem, size_t ca_length, long timeout_seconds, keyway_http_response *response,
                        char *error, size_t error_length) {
    struct curl_api api;
    memset(response, 0, sizeof *response);
    if (error_length) error[0] = 0;
    if (load(&api, error, error_length)) return 1;
    void *curl = api.easy_init();
    if (!curl) {
        snprintf(error, error_length, "libcurl could not start a request");
        return 1;
    }
    void *list = NULL;
    for (size_t i = 0; i < header_count; i++) list = api.slist_append(list, headers[i]);
    char message[ERROR_SIZE] = {0};
    int failed = 0;
    failed |= api.easy_setopt(curl, OPT_URL, url);
    failed |= api.easy_setopt(curl, OPT_CUSTOMREQUEST, method);
    failed |= api.easy_setopt(curl, OPT_HTTPHEADER, list);
    failed |= api.easy_setopt(curl, OPT_PROTOCOLS, (long)PROTO_HTTP_HTTPS);
    failed |= api.easy_setopt(curl, OPT_NOSIGNAL, 1L);
    failed |= api.easy_setopt(curl, OPT_TIMEOUT, timeout_seconds);
    failed |= api.easy_setopt(curl, OPT_CONNECTTIMEOUT, timeout_seconds);
    failed |= api.easy_setopt(curl, OPT_ERRORBUFFER, message);
    failed |= api.easy_setopt(curl, OPT_WRITEFUNCTION, collect);
    failed |= api.easy_setopt(curl, OPT_WRITEDATA, response);
    if (ca_pem) {
        struct blob blob = {(void *)ca_pem, ca_length, BLOB_COPY};
        int code = api.easy_setopt(curl, OPT_CAINFO_BLOB, &blob);
        if (code) {
            snprintf(error, error_length, "libcurl cannot take a CA from memory (CURLOPT_CAINFO_BLOB needs 7.77): %s",
                     api.easy_strerror(code));
            failed = 1;
        }
    }
    int code = failed ? 0 : api.easy_perform(curl);
    if (!failed && code) {
        snprintf(error, error_length, "%s", message[0] ? message : api.easy_strerror(code));
        failed = 1;
    } else if (!failed) {
        api.easy_getinfo(curl, INFO_RESPONSE_CODE, &response->status);
    } else if (!error[0]) {
        snprintf(error, error_length, "libcurl refused an option");
    }
    api.slist_free_all(list);
    api.easy_cleanup(curl);
    if (failed) keyway_http_free(response);
    return failed;
}

void keyway_http_free(keyway_http_response *response) {
    free(response->body);
    response->body = NULL;
    response->length = 0;
}
