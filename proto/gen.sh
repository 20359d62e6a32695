#!/usr/bin/env bash
# Regenerates the static ESM codecs in proto/gen/ from the .proto sources (run: npm run proto:gen).
# The output is committed and never edited by hand.
set -euo pipefail
cd "$(dirname "$0")/.."

out=proto/gen
mkdir -p "$out"

# -w esm implies --es6 and imports "protobufjs/minimal.js" (a default import of the CommonJS module),
# which resolves under NodeNext ESM because protobufjs has no exports map.
# Only encode/decode are generated: validation lives in proto/codec.ts. A named root (-r) keeps these
# types apart from any other static protobufjs module loaded in the same process.
npx pbjs -t static-module -w esm --es6 -r stv3_mpc_wire \
  --no-create --no-verify --no-convert --no-delimited --no-typeurl --no-service \
  -o "$out/mpc.js" proto/mpc.proto
npx pbts -o "$out/mpc.d.ts" "$out/mpc.js"

# Post-processing for NodeNext + verbatimModuleSyntax:
# - pbts emits a CommonJS-style `import Long = require("long")` that ESM declaration files reject,
#   and this schema has no 64-bit fields, so the import is dropped.
# - the generated JS is checked for the ESM import form expected above.
sed -i -e '/^import Long = require("long");$/d' "$out/mpc.d.ts"
grep -q '^import \$protobuf from "protobufjs/minimal.js";$' "$out/mpc.js" || {
  sed -i -e 's#^import \* as \$protobuf from "protobufjs/minimal";$#import $protobuf from "protobufjs/minimal.js";#' \
    -e 's#^import \$protobuf from "protobufjs/minimal";$#import $protobuf from "protobufjs/minimal.js";#' "$out/mpc.js"
}
if grep -q 'Long' "$out/mpc.d.ts"; then
  echo "proto/gen.sh: a 64-bit field crept in (decodes to Long): carry it as bytes" >&2
  exit 1
fi
echo "generated $out/mpc.js and $out/mpc.d.ts"
