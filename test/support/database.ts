/**
 * A fresh, migrated database per test file: an in-memory PGlite by default, or, when
 * TEST_DATABASE_URL is set, a new PostgreSQL database on that server, dropped afterwards.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { applyMigrations } from '../../api/db/migrations.js';
import { type Database, openDatabase } from '../../api/db.js';
import { disposeAfterFile } from './leftovers.js';

/** A test database; `close()` (else the end of the test file) also drops it on PostgreSQL. */
export interface TestDatabase extends Database {
  /** Connection string when on PostgreSQL, for child processes. */
  url?: string;
}

async function adminQuery(serverUrl: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** Creates an empty PostgreSQL database on TEST_DATABASE_URL's server and returns its URL. */
export async function createPostgresDatabase(serverUrl: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `test_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  await adminQuery(serverUrl, `CREATE DATABASE "${name}"`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => adminQuery(serverUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`) };
}

/** Opens a fresh database and applies every migration. */
export async function createTestDatabase(options: { onQuery?: (sql: string) => void } = {}): Promise<TestDatabase> {
  const serverUrl = process.env.TEST_DATABASE_URL;
  if (!serverUrl) {
    const database = await openDatabase({ pgliteDir: 'memory://', onQuery: options.onQuery });
    await applyMigrations(database.adapterFactory);
    return { ...database, close: disposeAfterFile(() => database.close()) };
  }
  const created = await createPostgresDatabase(serverUrl);
  const database = await openDatabase({ databaseUrl: created.url, pgliteDir: '', onQuery: options.onQuery });
  await applyMigrations(database.adapterFactory);
  return {
    ...database,
    url: created.url,
    close: disposeAfterFile(async () => {
      await database.close();
      await created.drop();
    }),
  };
}
