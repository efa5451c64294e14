import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkCronExpression, CRON_PATTERN } from '../src/index.js';

describe('checkCronExpression', () => {
  for (const valid of [
    '* * * * *',
    '*/5 * * * *',
    '0 3 * * *',
    '0 0 1 1 *',
    '59 23 31 12 7',
    '0 9-17/2 * * MON-FRI',
    '0,15,30,45 * * * *',
    '0 0 ? * sun',
    '5 4 * JAN,jul *',
    '  0  3 * * *  ',
  ]) {
    it(`accepts ${JSON.stringify(valid)}`, () => {
      assert.equal(checkCronExpression(valid), undefined);
      assert.match(valid, CRON_PATTERN);
    });
  }

  const invalid: [string, RegExp][] = [
    ['61 * * * *', /^minute field "61": 61 is out of range 0-59$/],
    ['0 24 * * *', /^hour field "24": 24 is out of range 0-23$/],
    ['0 0 0 * *', /^day-of-month field "0": 0 is out of range 1-31$/],
    ['0 0 32 * *', /^day-of-month field "32"/],
    ['0 0 * 13 *', /^month field "13": 13 is out of range 1-12$/],
    ['0 0 * FOO *', /^month field "FOO": "FOO" is neither a number 1-12 nor one of JAN/],
    ['0 0 * * 8', /^day-of-week field "8": 8 is out of range 0-7$/],
    ['0 0 * * MON-', /^day-of-week field "MON-"/],
    ['*/0 * * * *', /^minute field "\*\/0": step must be at least 1$/],
    ['*/x * * * *', /^minute field "\*\/x": step "x" must be a positive whole number$/],
    ['1/2/3 * * * *', /^minute field "1\/2\/3": "1\/2\/3" has more than one "\/"$/],
    ['30-10 * * * *', /^minute field "30-10": range "30-10" goes backwards$/],
    ['1,,2 * * * *', /^minute field "1,,2": has an empty list item$/],
    ['? * * * *', /^minute field "\?"/],
    ['* * * *', /^needs 5 fields .* got 4/],
    ['* * * * * *', /^needs 5 fields .* got 6/],
    ['', /^needs 5 fields .* got 0/],
    ['@daily', /^needs 5 fields .* got 1/],
  ];
  for (const [expression, message] of invalid) {
    it(`rejects ${JSON.stringify(expression)}, naming the field`, () => {
      assert.match(checkCronExpression(expression) ?? '(accepted)', message);
    });
  }
});
