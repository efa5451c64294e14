import { readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import type { ServerResponse } from 'node:http';

const types: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.map': 'application/json',
};

/**
 * Serves a file from one of `roots` (first hit wins). Paths that climb out of a root are refused.
 * Returns false when no root has the file.
 */
export async function serveStatic(res: ServerResponse, roots: string[], relative: string): Promise<boolean> {
  const clean = normalize(relative).replace(/^([/\\])+/, '');
  if (clean.startsWith('..')) return false;
  for (const root of roots) {
    const full = join(root, clean);
    if (!full.startsWith(root.endsWith(sep) ? root : root + sep)) continue;
    try {
      const body = await readFile(full);
      res.writeHead(200, {
        'content-type': types[extname(full)] ?? 'application/octet-stream',
        'content-length': body.length,
        'cache-control': 'no-cache',
        'x-content-type-options': 'nosniff',
        // Everything is served from here: no CDN, no inline script, no framing.
        'content-security-policy': "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'",
        'referrer-policy': 'no-referrer',
      });
      res.end(body);
      return true;
    } catch {
      // not in this root
    }
  }
  return false;
}
