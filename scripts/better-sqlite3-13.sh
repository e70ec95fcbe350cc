#!/bin/sh
# Usage: sh scripts/better-sqlite3-13.sh [node_modules folder, default ./node_modules]
#
# Puts better-sqlite3 13 in place of the locked 11.x, for Node.js 22 and later: the Docker
# image (Node.js 24) and CI's Node.js 24 run use it.
#
# Why: better-sqlite3 before 13 aborts the whole process on Node.js 24 (SIGABRT, "Assertion
# failed: (env) != nullptr" in node::RemoveEnvironmentCleanupHook, from ~Statement or
# ~Database when the garbage collector finalizes them), during work and at exit; 13 moved to
# node-addon-api and does not. But 13 does not run on Node.js 20, which the development
# machines still run, so the lockfile keeps 11.x (and one copy of it: two SQLite libraries
# in one process can corrupt the database) and this replaces that copy in place. The API
# the collector and Prisma's adapter use is the same; 13 ships prebuilt N-API binaries in
# its package, so nothing is compiled.
set -eu
version=13.2.0
modules=${1:-node_modules}
major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$major" -lt 22 ]; then
  echo "better-sqlite3 $version needs Node.js 22 or later, this is $(node --version); Node.js 20 keeps the locked 11.x" >&2
  exit 1
fi
if [ ! -f "$modules/better-sqlite3/package.json" ]; then
  echo "no better-sqlite3 in $modules: run npm ci (or npm install) first" >&2
  exit 1
fi
tmp=$(mktemp -d)
(cd "$tmp" && npm pack "better-sqlite3@$version" --silent >/dev/null)
rm -rf "$modules/better-sqlite3"
mkdir "$modules/better-sqlite3"
tar -xzf "$tmp/better-sqlite3-$version.tgz" -C "$modules/better-sqlite3" --strip-components=1
rm -rf "$tmp"
# Loads and answers, or this fails here rather than at the collector's start.
(cd "$modules/.." && node -e "const D = require('better-sqlite3'); const db = new D(':memory:'); const v = db.prepare('select sqlite_version() as v').get().v; db.close(); console.log('better-sqlite3 ' + require('better-sqlite3/package.json').version + ' (SQLite ' + v + ') on Node.js ' + process.version)")
