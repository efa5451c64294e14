#!/usr/bin/env node
/** The `taskyard` command (package.json "bin"). Everything else lives in run-cli.ts. */
import { runCli } from './run-cli.js';

process.exitCode = await runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env });
