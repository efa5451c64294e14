#!/usr/bin/env node
// The `taskyard` bin, checked in so `npm ci` can link it before anything is built (npm links a
// workspace's bins at install time; a bin inside dist/ does not exist yet then, and `npx taskyard`
// fails with "could not determine executable to run"). It runs the compiled CLI, or says how to build it.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const entry = new URL('../dist/src/cli/main.js', import.meta.url);
if (!existsSync(fileURLToPath(entry))) {
  process.stderr.write(
    `taskyard: the CLI is not built yet (${fileURLToPath(entry)} is missing): run \`make build\` ` +
      '(or `npx tsc -b client`) in the Taskyard repository, then run the command again\n',
  );
  process.exit(1);
}
await import(entry.href);
