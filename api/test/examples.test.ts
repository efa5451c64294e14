import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parseAllDocuments } from 'yaml';
import type { z } from 'zod';
import { formatValidationError, scheduleSchema, taskQueueSchema, workerPoolSchema } from '../src/index.js';
import { repositoryRoot } from './repository-root.js';

const dir = join(repositoryRoot, 'examples/k8s');
const schemaOf: Record<string, z.ZodType> = { TaskQueue: taskQueueSchema, WorkerPool: workerPoolSchema, Schedule: scheduleSchema };

describe('examples/k8s', async () => {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.yaml')).sort();

  it('has a handful of each kind', () => {
    for (const prefix of ['taskqueue-', 'workerpool-', 'schedule-']) {
      assert.ok(files.filter((f) => f.startsWith(prefix)).length >= 2, `fewer than 2 ${prefix}*.yaml files`);
    }
  });

  for (const file of files) {
    it(`${file} validates against its schema`, async () => {
      const docs = parseAllDocuments(await readFile(join(dir, file), 'utf8'));
      assert.ok(docs.length > 0);
      for (const doc of docs) {
        assert.deepEqual(doc.errors, [], `${file}: YAML errors`);
        const object = doc.toJS() as { kind?: string; metadata?: { name?: string } };
        const schema = schemaOf[object.kind ?? ''];
        assert.ok(schema, `${file}: unknown kind ${String(object.kind)}`);
        assert.ok(file.startsWith(`${object.kind!.toLowerCase()}-`), `${file}: a ${object.kind} belongs in ${object.kind!.toLowerCase()}-*.yaml`);
        const result = schema.safeParse(object);
        assert.ok(result.success, result.success ? '' : formatValidationError(result.error, `${file} ${object.kind}/${object.metadata?.name}`));
      }
    });
  }
});
