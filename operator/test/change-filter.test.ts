import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ChangeFilter } from '../src/kube/change-filter.js';

describe('ChangeFilter', () => {
  const filter = () => new ChangeFilter<{ generation: number; status: string }>((o) => ({ generation: o.generation }));

  it('passes the first sight of a key and changes of its fingerprint only', () => {
    const f = filter();
    assert.equal(f.passes('a', { generation: 1, status: 'x' }, 'add'), true);
    assert.equal(f.passes('a', { generation: 1, status: 'y' }, 'update'), false, 'status-only change dropped');
    assert.equal(f.passes('a', { generation: 2, status: 'y' }, 'update'), true);
    assert.equal(f.passes('b', { generation: 2, status: 'y' }, 'update'), true, 'keys are independent');
  });

  it('always passes deletes and forgets the key', () => {
    const f = filter();
    f.passes('a', { generation: 1, status: '' }, 'add');
    assert.equal(f.passes('a', { generation: 1, status: '' }, 'delete'), true);
    assert.equal(f.passes('a', { generation: 1, status: '' }, 'add'), true, 're-created object passes again');
  });
});
