/**
 * Prints the schema to `schema.graphql` (the committed contract the client's codegen
 * reads). `--check` exits non-zero instead when the committed file is stale.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { printSchema } from 'graphql';
import { schema } from './index.js';

export const schemaFile = fileURLToPath(new URL('../../schema.graphql', import.meta.url));

/** The schema as SDL, exactly as committed. */
export function printedSchema(): string {
  return `${printSchema(schema)}\n`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const printed = printedSchema();
  if (process.argv.includes('--check')) {
    const committed = await readFile(schemaFile, 'utf8').catch(() => '');
    if (committed !== printed) {
      console.error('schema.graphql is stale: run `npm run schema:print` and commit it.');
      process.exit(1);
    }
  } else {
    await writeFile(schemaFile, printed);
    console.log(`wrote ${schemaFile}`);
  }
}
