#!/usr/bin/env node
import { workerCli } from '../worker-cli.js';

workerCli(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`${JSON.stringify({ level: 'error', msg: (err as Error).message })}\n`);
    process.exit(1);
  },
);
