import type { IncomingMessage } from 'node:http';
import { HttpError } from './http-error.js';

/** Deepest nesting of arrays/objects accepted; deeper input would exhaust the validator's stack. */
export const MAX_DEPTH = 64;

/** Deepest `[`/`{` nesting of a JSON text, ignoring brackets inside strings (no parsing). */
function nestingDepth(text: string): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92) i++; // backslash: skip the escaped character
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 91 || c === 123) max = Math.max(max, ++depth);
    else if (c === 93 || c === 125) depth--;
  }
  return max;
}

/**
 * Reads a request body as JSON. An empty body reads as `undefined`; a body over `limitBytes`
 * is a 413 and malformed JSON a 400 naming `body`.
 */
export async function readJsonBody(req: IncomingMessage, limitBytes: number): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limitBytes) {
      throw new HttpError(413, 'payload_too_large', `request body is larger than ${limitBytes} bytes; pass a reference (e.g. an object key) instead of the data`, [
        { field: 'body', message: `larger than ${limitBytes} bytes` },
      ]);
    }
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return undefined;
  const type = req.headers['content-type'] ?? '';
  if (!/^application\/(.+\+)?json/i.test(type)) {
    throw new HttpError(415, 'unsupported_media_type', 'send the body as JSON with Content-Type: application/json', [
      { field: 'content-type', message: `got ${JSON.stringify(type)}, expected application/json` },
    ]);
  }
  const depth = nestingDepth(text);
  if (depth > MAX_DEPTH) {
    throw new HttpError(400, 'too_deep', `request body is nested ${depth} levels deep; at most ${MAX_DEPTH} are accepted`, [
      { field: 'body', message: `nested deeper than ${MAX_DEPTH} levels` },
    ]);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new HttpError(400, 'invalid_json', `request body is not valid JSON: ${(err as Error).message}`, [
      { field: 'body', message: 'not valid JSON' },
    ]);
  }
}
