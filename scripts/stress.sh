#!/usr/bin/env bash
# `npm run test:stress`: each reliability suite in its own jest process, with its own engines, so no
# suite runs on what an earlier one left in the process or the engine (after the faults suite, the
# disorder suite's consumer ran at a sixth of its speed when they shared one). Arguments go to jest as
# they are: `npm run test:stress -- disorder` runs one suite.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "$#" -gt 0 ]; then exec npx jest -c jest.stress.config.cjs "$@"; fi
for suite in test/stress/*.stress.ts; do
  npx jest -c jest.stress.config.cjs --runTestsByPath "$suite"
done
