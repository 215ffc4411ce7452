/**
 * `npm run db:migrate` applies pending migrations to the configured database (PGlite under
 * PGLITE_DIR, or PostgreSQL when DATABASE_URL is set); `npm run db:migration -- <name>`
 * writes a new migration from the diff between prisma/migrations and prisma/schema.prisma.
 */

import { applyMigrations, createMigration } from '../api/db/migrations.js';
import { openDatabase } from '../api/db.js';
import { parseEnv } from '../api/env.js';

const usage = 'Usage: tsx prisma/migrate.ts apply | create <snake_case_name>';

async function apply(): Promise<void> {
  const env = parseEnv();
  const database = await openDatabase({ databaseUrl: env.DATABASE_URL, pgliteDir: env.PGLITE_DIR });
  try {
    console.log(`database: ${database.mode} (${database.location})`);
    const { applied } = await applyMigrations(database.adapterFactory, { onProgress: (line) => console.log(line) });
    console.log(applied.length > 0 ? `Applied ${applied.length} migration(s).` : 'Database is up to date.');
  } finally {
    await database.close();
  }
}

async function create(name: string | undefined): Promise<void> {
  if (!name) throw new Error(`Missing migration name.\n${usage}`);
  const created = await createMigration(name, { onProgress: (line) => console.log(line) });
  console.log(created ? `Created ${created.path}` : 'No schema changes');
}

const [command, name, ...extra] = process.argv.slice(2);
try {
  if (command === 'apply' && name === undefined) await apply();
  else if (command === 'create' && extra.length === 0) await create(name);
  else throw new Error(usage);
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
}
