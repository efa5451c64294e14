import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { durationSchema, parseDuration } from '../src/index.js';

describe('parseDuration', () => {
  it('turns each unit into milliseconds', () => {
    assert.equal(parseDuration('500ms'), 500);
    assert.equal(parseDuration('30s'), 30_000);
    assert.equal(parseDuration('5m'), 300_000);
    assert.equal(parseDuration('1h'), 3_600_000);
    assert.equal(parseDuration('2d'), 172_800_000);
  });

  it('accepts zero and leading zeros', () => {
    assert.equal(parseDuration('0s'), 0);
    assert.equal(parseDuration('0ms'), 0);
    assert.equal(parseDuration('007m'), 420_000);
  });

  it('reads "ms" as milliseconds, not minutes followed by s', () => {
    assert.equal(parseDuration('1ms'), 1);
    assert.equal(parseDuration('1m'), 60_000);
  });

  it('handles the largest accepted number exactly', () => {
    assert.equal(parseDuration('999999999ms'), 999_999_999);
    assert.equal(parseDuration('999999999d'), 999_999_999 * 86_400_000);
  });

  for (const bad of ['', '30', 's', '1.5s', '-1s', '+1s', '1 s', ' 1s', '1s ', '1S', '1h30m', '1w', '1000000000s', '1e3s', '٣s']) {
    it(`rejects ${JSON.stringify(bad)} with a message giving the accepted form`, () => {
      assert.throws(
        () => parseDuration(bad),
        (err: unknown) =>
          err instanceof RangeError && err.message.includes(JSON.stringify(bad)) && err.message.includes('e.g. "30s"'),
      );
    });
  }

  it('agrees with the duration schema on what is a duration', () => {
    for (const value of ['1ms', '30s', '1h30m', '1.5s', '2d', '1w']) {
      let parsed = true;
      try {
        parseDuration(value);
      } catch {
        parsed = false;
      }
      assert.equal(durationSchema.safeParse(value).success, parsed, value);
    }
  });
});
