/**
 * Migrations on PGlite: a migration-aware adapter factory over a PGlite instance whose scripts
 * are awaited and whose errors read as the engine's database errors, and a scratch instance
 * for diffing.
 */
import { PGlite } from '@electric-sql/pglite';
import {
  DriverAdapterError,
  type SqlDriverAdapter,
  type SqlMigrationAwareDriverAdapterFactory,
} from '@prisma/driver-adapter-utils';
import { PrismaPGlite } from 'pglite-prisma-adapter';

/**
 * A migration-aware factory over a PGlite instance (the caller owns and closes `db`). Unlike
 * `pglite-prisma-adapter` 0.7's own factory, its `executeScript` awaits the script (see
 * {@link guardAdapter}), and its shadow database is a fresh in-memory PGlite that is closed
 * when the engine disposes it instead of being left open.
 */
export function createPGliteMigrationFactory(db: PGlite): SqlMigrationAwareDriverAdapterFactory {
  const inner = new PrismaPGlite(db);
  return {
    provider: inner.provider,
    adapterName: inner.adapterName,
    connect: async () => awaitScripts(await inner.connect(), db),
    connectToShadowDb: async () => {
      const shadow = new PGlite();
      const adapter = awaitScripts(await new PrismaPGlite(shadow).connect(), shadow);
      const dispose = adapter.dispose.bind(adapter);
      adapter.dispose = async () => {
        await dispose();
        await shadow.close();
      };
      return adapter;
    },
  };
}

function awaitScripts(adapter: SqlDriverAdapter, db: Pick<PGlite, 'exec'>): SqlDriverAdapter {
  adapter.executeScript = (script) => execPGliteScript(db, script);
  return adapter;
}

export async function execPGliteScript(db: Pick<PGlite, 'exec'>, script: string): Promise<void> {
  try {
    await db.exec(script);
  } catch (error) {
    throw toDriverAdapterError(error);
  }
}

interface PostgresErrorFields {
  code: string;
  message: string;
  severity?: string;
  detail?: string;
  column?: string;
  hint?: string;
}

function isPostgresError(error: unknown): error is PostgresErrorFields {
  return (
    error instanceof Error &&
    typeof (error as Partial<PostgresErrorFields>).code === 'string' &&
    typeof (error as Partial<PostgresErrorFields>).severity === 'string'
  );
}

/** Maps a PGlite error to the shape the engine reports as a database error. */
function toDriverAdapterError(error: unknown): unknown {
  if (!isPostgresError(error)) return error;
  return new DriverAdapterError({
    kind: 'postgres',
    code: error.code,
    severity: error.severity ?? 'ERROR',
    message: error.message,
    detail: error.detail,
    column: error.column,
    hint: error.hint,
    originalCode: error.code,
    originalMessage: error.message,
  });
}

/**
 * A throwaway in-memory PGlite serving as both the engine's main connection and its shadow
 * database. Creating a migration never needs the real database: the engine only asks the main
 * connection for its version, then replays the existing migrations on the (empty) shadow
 * database and diffs that against the schema. One instance instead of two halves the cost,
 * since starting a PGlite (initdb in WASM) takes seconds.
 */
export function scratchPGlite(): { factory: SqlMigrationAwareDriverAdapterFactory; close: () => Promise<void> } {
  const db = new PGlite();
  const inner = createPGliteMigrationFactory(db);
  return {
    factory: {
      provider: inner.provider,
      adapterName: inner.adapterName,
      connect: () => inner.connect(),
      connectToShadowDb: () => inner.connect(),
    },
    close: () => db.close(),
  };
}

/** The PGlite behind a `pglite-prisma-adapter` adapter (its `client` field), if that is what it is. */
export function pgliteClientOf(adapter: SqlDriverAdapter): Pick<PGlite, 'exec'> | undefined {
  if (adapter.adapterName !== 'pglite-prisma-adapter' || !('client' in adapter)) return undefined;
  const client: unknown = adapter.client;
  const exec = typeof client === 'object' && client !== null && 'exec' in client ? client.exec : undefined;
  return typeof exec === 'function' ? (client as Pick<PGlite, 'exec'>) : undefined;
}
