#!/usr/bin/env bash
# Checks that the C++ sources are formatted as .clang-format says: runs
# `clang-format --dry-run -Werror` over every tracked *.cc and *.h outside
# third_party/ and the build directories, prints the files that would
# change, and exits 1 if there are any (0 if none, 2 if it cannot run).
#
#   scripts/check_format.sh            # the report
#   scripts/check_format.sh -v         # also clang-format's diagnostics
#   CLANG_FORMAT=clang-format-14 scripts/check_format.sh
#
# To fix a file: clang-format -i FILE (the same clang-format major version,
# Debian 12's 14, as other versions format some constructs differently).
set -uo pipefail
cd "$(dirname "$0")/.." || exit 2

verbose=0
case "${1:-}" in
  -v | --verbose) verbose=1 ;;
  "") ;;
  *) echo "usage: scripts/check_format.sh [-v]" >&2; exit 2 ;;
esac

clang_format="${CLANG_FORMAT:-}"
if [ -z "$clang_format" ]; then
  for candidate in clang-format clang-format-14; do
    if command -v "$candidate" >/dev/null 2>&1; then
      clang_format="$candidate"
      break
    fi
  done
fi
if [ -z "$clang_format" ] || ! command -v "$clang_format" >/dev/null 2>&1; then
  echo "check_format: clang-format not found (apt-get install clang-format)" >&2
  exit 2
fi
if [ ! -f .clang-format ]; then
  echo "check_format: no .clang-format in $(pwd)" >&2
  exit 2
fi

files=()
while IFS= read -r -d '' f; do
  case "$f" in
    third_party/* | build/* | build-*/* | */build/*) continue ;;
  esac
  [ -f "$f" ] && files+=("$f")
done < <(git ls-files -z -- '*.cc' '*.h')
if [ "${#files[@]}" -eq 0 ]; then
  # Nothing to check means the file list is wrong, not that all is well.
  echo "check_format: no tracked *.cc or *.h files found" >&2
  exit 2
fi

bad=()
for f in "${files[@]}"; do
  if ! "$clang_format" --style=file --dry-run -Werror "$f" >/dev/null 2>"${TMPDIR:-/tmp}/check_format.$$"; then
    bad+=("$f")
    if [ "$verbose" -eq 1 ]; then
      cat "${TMPDIR:-/tmp}/check_format.$$" >&2
    fi
  fi
done
rm -f "${TMPDIR:-/tmp}/check_format.$$"

if [ "${#bad[@]}" -ne 0 ]; then
  printf '%s\n' "${bad[@]}"
  echo "check_format: ${#bad[@]} of ${#files[@]} files are not clang-formatted" \
    "($("$clang_format" --version | sed 's/.*version //'))" >&2
  exit 1
fi
echo "check_format: all ${#files[@]} files are clang-formatted"
