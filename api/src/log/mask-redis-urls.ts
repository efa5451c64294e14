import { maskRedisUrl } from '../wire/redis-url.js';

/** Redis URLs of every form Taskyard accepts, as they appear inside free text (messages, stacks, fields). */
const REDIS_URL_IN_TEXT = /\b(?:rediss?|redis-sentinel|redis-cluster):\/\/\S+/gi;

/** `text` with the password of every Redis URL in it replaced by `***` (see maskRedisUrl). */
export function maskRedisUrlsIn(text: string): string {
  return text.replace(REDIS_URL_IN_TEXT, (url) => maskRedisUrl(url));
}
