/** client/gql/ is generated from the committed schema.graphql and the client's documents, and committed. */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { generate } from '@graphql-codegen/cli';
import { describe, expect, it } from 'vitest';
import config from '../codegen.js';

describe('client/gql', () => {
  it('matches what `npm run codegen` produces', async () => {
    const root = new URL('..', import.meta.url).pathname;
    const outputs = (await generate({ ...config, cwd: root, silent: true }, false)) as {
      filename: string;
      content: string;
    }[];
    expect(outputs.length).toBeGreaterThan(0);
    for (const output of outputs) {
      const committed = await readFile(join(root, output.filename), 'utf8').catch(() => '(missing)');
      expect(committed, `${output.filename} is stale: run \`npm run codegen\` and commit it`).toBe(output.content);
    }
  });
});
