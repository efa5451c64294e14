import { execFile } from 'node:child_process';

/**
 * Where a module's syntax error is: Node's dynamic import() gives a SyntaxError whose stack holds
 * no file or line, so the file is checked once more with `node --check`, whose report starts with
 * `<file>:<line>` followed by the offending source line. Returns e.g.
 * `/bundle/tasks.mjs:12: "return 1 + ;"`, or undefined when the file checks clean (the error is
 * in a module it imports) or the check fails to run.
 */
export function syntaxErrorLocation(file: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--check', file], { timeout: 10_000 }, (err, _stdout, stderr) => {
      if (!err) return resolve(undefined);
      const [first, code] = String(stderr).split('\n');
      const m = /^(.*):(\d+)$/.exec(first ?? '');
      resolve(m ? `${m[1]}:${m[2]}${code && code.trim() ? `: ${JSON.stringify(code.trim().slice(0, 120))}` : ''}` : undefined);
    });
  });
}
