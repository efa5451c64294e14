import { readFileSync } from 'node:fs';
import { timingSafeEqual, createHash } from 'node:crypto';

/**
 * Where the console's bearer token comes from: a literal value, or a file (a mounted Secret) that is
 * re-read at most every `reloadMs`, so a rotated Secret takes effect without a restart.
 */
export class TokenSource {
  private cached: { token: string; readAt: number } | undefined;

  constructor(
    private readonly source: { token: string } | { file: string },
    private readonly reloadMs = 5_000,
  ) {
    // Fail at start-up, not on the first request, when the file is missing or empty.
    this.current();
  }

  /** The token in force now. Throws when the file cannot be read or is empty. */
  current(): string {
    if ('token' in this.source) return this.source.token;
    const now = Date.now();
    if (this.cached && now - this.cached.readAt < this.reloadMs) return this.cached.token;
    let token: string;
    try {
      token = readFileSync(this.source.file, 'utf8').trim();
    } catch (err) {
      throw new Error(`cannot read the console token file ${this.source.file}: ${(err as Error).message}; set TASKYARD_CONSOLE_TOKEN_FILE to a readable file or TASKYARD_CONSOLE_TOKEN to the token`);
    }
    if (token === '') throw new Error(`the console token file ${this.source.file} is empty; put the token in it`);
    this.cached = { token, readAt: now };
    return token;
  }

  /** Constant-time check of an `Authorization` header value (`Bearer <token>`). */
  accepts(header: string | undefined): boolean {
    if (!header) return false;
    const match = /^Bearer\s+(.+)$/i.exec(header.trim());
    if (!match?.[1]) return false;
    const digest = (s: string): Buffer => createHash('sha256').update(s).digest();
    return timingSafeEqual(digest(match[1]), digest(this.current()));
  }
}
