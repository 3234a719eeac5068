#include "service/web_assets.h"

namespace divcheck::service {

const WebAsset* FindWebAsset(absl::string_view path) {
  if (path == "/") path = "/index.html";
  for (size_t i = 0; i < kWebAssetCount; ++i) {
    if (path == kWebAssets[i].path) return &kWebAssets[i];
  }
  return nullptr;
}

}  // namespace divcheck::service
