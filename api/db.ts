/**
 * Chooses the database: PostgreSQL through @prisma/adapter-pg when DATABASE_URL is set,
 * otherwise the embedded PGlite (real Postgres in WASM) persisted under PGLITE_DIR.
 * Nothing else in the code base knows which one it talks to.
 */
import { mkdir } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import type { SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import { createPGliteMigrationFactory } from './db/pglite-migrations.js';
import { PrismaClient } from './generated/prisma/client.js';

export type { PrismaClient } from './generated/prisma/client.js';

/** Which kind of database is in use. */
export type DatabaseMode = 'pglite' | 'postgres';

/** An open database: the Prisma client, and the adapter factory migrations run through. */
export interface Database {
  mode: DatabaseMode;
  prisma: PrismaClient;
  /** Driver adapter factory for the WASM schema engine (migrations). */
  adapterFactory: SqlMigrationAwareDriverAdapterFactory;
  /** Where the data lives, without credentials: a folder or `host:port/database`. */
  location: string;
  /** How other clients (the job engine) reach the same database. */
  connection: { url: string } | { pglite: PGlite };
  close(): Promise<void>;
}

/** Where to find the database; `databaseUrl` wins when set. */
export interface DatabaseOptions {
  databaseUrl?: string | undefined;
  /** Folder for PGlite; `memory://` keeps it in memory (tests). */
  pgliteDir: string;
  /** Log every SQL statement to this callback (tests count queries with it). */
  onQuery?: (sql: string) => void;
  /** Cancel any statement running longer than this (the server's requests); none when unset. */
  statementTimeoutMs?: number;
}

function describePostgres(url: string): string {
  const parsed = new URL(url);
  return `${parsed.hostname}:${parsed.port || '5432'}${parsed.pathname}`;
}

/** Opens the configured database. Call `close()` when done. */
export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  const log = options.onQuery ? ([{ emit: 'event', level: 'query' }] as const) : [];
  if (options.databaseUrl) {
    const adapterFactory = new PrismaPg({
      connectionString: options.databaseUrl,
      max: 10,
      ...(options.statementTimeoutMs ? { statement_timeout: options.statementTimeoutMs } : {}),
    });
    const prisma = new PrismaClient({ adapter: adapterFactory, log: [...log] });
    if (options.onQuery) attachQueryLog(prisma, options.onQuery);
    return {
      mode: 'postgres',
      prisma,
      adapterFactory,
      location: describePostgres(options.databaseUrl),
      connection: { url: options.databaseUrl },
      close: () => prisma.$disconnect(),
    };
  }
  const inMemory = options.pgliteDir.startsWith('memory://');
  if (!inMemory) await mkdir(options.pgliteDir, { recursive: true });
  const pglite = await PGlite.create(inMemory ? undefined : options.pgliteDir);
  if (options.statementTimeoutMs)
    await pglite.exec(`SET statement_timeout = ${Math.round(options.statementTimeoutMs)}`);
  const adapterFactory = createPGliteMigrationFactory(pglite);
  const prisma = new PrismaClient({ adapter: adapterFactory, log: [...log] });
  if (options.onQuery) attachQueryLog(prisma, options.onQuery);
  return {
    mode: 'pglite',
    prisma,
    adapterFactory,
    location: inMemory ? 'memory' : options.pgliteDir,
    connection: { pglite },
    async close() {
      await prisma.$disconnect();
      await pglite.close();
    },
  };
}

function attachQueryLog(prisma: PrismaClient, onQuery: (sql: string) => void): void {
  (prisma as unknown as { $on(event: 'query', cb: (e: { query: string }) => void): void }).$on('query', (event) =>
    onQuery(event.query),
  );
}
