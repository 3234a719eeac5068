// The web app (clients/web/), compiled into divcheckd: each file's bytes,
// Content-Type and ETag, generated at build time by cmake/embed_files.cmake
// (service/CMakeLists.txt lists the files). Served on the HTTP port by
// http_server.cc. Nothing is read from disk at run time, so a request path
// can only ever name one of these files: there is no directory to escape.
//
// The table is immutable; thread-safe.
#ifndef DIVCHECK_SERVICE_WEB_ASSETS_H_
#define DIVCHECK_SERVICE_WEB_ASSETS_H_

#include <cstddef>

#include "absl/strings/string_view.h"

namespace divcheck::service {

struct WebAsset {
  // URL path, e.g. "/js/main.js".
  const char* path;
  const char* content_type;
  const unsigned char* data;
  size_t size;
  // A strong ETag, quotes included: "\"1a2b…\"".
  const char* etag;
};

// The file served at `path` ("/" is "/index.html"), by exact match; null
// for any other path.
const WebAsset* FindWebAsset(absl::string_view path);

// The generated table.
extern const WebAsset kWebAssets[];
extern const size_t kWebAssetCount;

}  // namespace divcheck::service

#endif  // DIVCHECK_SERVICE_WEB_ASSETS_H_
