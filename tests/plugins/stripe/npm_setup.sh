#!/usr/bin/env bash
# npm_setup.sh SOURCE_DIR DEST: installs the pinned reference packages of
# package-lock.json (the official stripe SDK, stripe-stateful-mock) into
# DEST/node_modules with `npm ci`. When the registry cannot be reached at all,
# writes DEST/npm-unreachable with the reason and succeeds, so that the tests
# needing the packages skip with that message; any other failure fails.
set -u
src=${1:?source directory with package.json}
dest=${2:?destination}
mkdir -p "$dest"
rm -f "$dest/npm-unreachable"
if ! command -v npm >/dev/null; then
  echo "npm is not installed (tools/setup --test installs nodejs and npm)" >"$dest/npm-unreachable"
  cat "$dest/npm-unreachable"
  exit 0
fi
cp "$src/package.json" "$src/package-lock.json" "$dest/"
# Up to date already: package-lock.json unchanged since the last install.
if [ -f "$dest/node_modules/.installed-lock" ] &&
  cmp -s "$src/package-lock.json" "$dest/node_modules/.installed-lock"; then
  exit 0
fi
log=$dest/npm.log
if (cd "$dest" && npm ci --no-audit --no-fund >"$log" 2>&1); then
  cp "$src/package-lock.json" "$dest/node_modules/.installed-lock"
  exit 0
fi
if grep -Eq 'ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ETIMEDOUT|ENETUNREACH|ECONNRESET' "$log"; then
  { echo "the npm registry cannot be reached:"; grep -E 'ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ETIMEDOUT|ENETUNREACH|ECONNRESET' "$log" | head -3; } >"$dest/npm-unreachable"
  cat "$dest/npm-unreachable"
  exit 0
fi
echo "npm ci failed in $dest:" >&2
cat "$log" >&2
exit 1
