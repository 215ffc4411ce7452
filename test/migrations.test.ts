/**
 * Migrations through the WASM schema engine: create from the schema diff, apply like
 * `prisma migrate deploy`, report status. On an in-memory PGlite, and also on a fresh
 * PostgreSQL database when TEST_DATABASE_URL is set.
 */
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import type { SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import pg from 'pg';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { afterEach, describe, expect, it } from 'vitest';
import { applyMigrations, createMigration, migrationStatus } from '../api/db/migrations.js';
import { createPostgresDatabase } from './support/database.js';

const schemaV1 = `datasource db {
  provider = "postgresql"
}

enum Role {
  STUDENT
  TEACHER
}

model User {
  id    String @id @default(uuid())
  email String @unique
  role  Role   @default(STUDENT)
  posts Post[]
}

model Post {
  id       Int    @id @default(autoincrement())
  title    String
  authorId String
  author   User   @relation(fields: [authorId], references: [id], onDelete: Cascade)

  @@index([authorId, title])
}
`;
const schemaV2 = schemaV1.replace(
  '  role  Role   @default(STUDENT)\n',
  '  role  Role   @default(STUDENT)\n  bio   String?\n',
);

/** A database the migrations run against, with a direct way to read it back. */
interface Target {
  name: string;
  factory: SqlMigrationAwareDriverAdapterFactory;
  query(sql: string): Promise<Record<string, unknown>[]>;
  close(): Promise<void>;
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function tempProject(): Promise<{ schemaPath: string; migrationsDir: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'migrations-test-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  const schemaPath = join(dir, 'schema.prisma');
  await writeFile(schemaPath, schemaV1);
  return { schemaPath, migrationsDir: join(dir, 'migrations') };
}

/** In-memory PGlite behind the adapter's own factory, as `api/db.ts` builds it. */
function pgliteTarget(): Target {
  const db = new PGlite();
  const target: Target = {
    name: 'pglite',
    factory: new PrismaPGlite(db),
    query: async (sql) => (await db.query<Record<string, unknown>>(sql)).rows,
    close: () => db.close(),
  };
  cleanups.push(() => target.close());
  return target;
}

/** A fresh PostgreSQL database on TEST_DATABASE_URL's server, dropped afterwards. */
async function postgresTarget(serverUrl: string): Promise<Target> {
  const created = await createPostgresDatabase(serverUrl);
  const client = new pg.Client({ connectionString: created.url });
  await client.connect();
  const target: Target = {
    name: 'postgres',
    factory: new PrismaPg({ connectionString: created.url }),
    query: async (sql) => (await client.query<Record<string, unknown>>(sql)).rows,
    close: async () => {
      await client.end();
      await created.drop();
    },
  };
  cleanups.push(() => target.close());
  return target;
}

async function targets(): Promise<Target[]> {
  const serverUrl = process.env.TEST_DATABASE_URL;
  return [pgliteTarget(), ...(serverUrl ? [await postgresTarget(serverUrl)] : [])];
}

describe('migrations', () => {
  it('rejects a migration name that is not snake_case, before touching anything', async () => {
    const { migrationsDir, schemaPath } = await tempProject();
    await expect(createMigration('Add-Users', { migrationsDir, schemaPath })).rejects.toThrow(/snake_case/);
    await expect(readdir(migrationsDir)).rejects.toThrow(/ENOENT/);
  });

  it('creates, applies once, and applies only the new ALTER after a schema change', async () => {
    const { migrationsDir, schemaPath } = await tempProject();
    const dbs = await targets();

    const first = await createMigration('init', { migrationsDir, schemaPath });
    expect(first?.path).toMatch(/[/\\]\d{14}_init[/\\]migration\.sql$/);
    const firstSql = await readFile(first?.path ?? '', 'utf8');
    expect(firstSql).toContain(`CREATE TYPE "Role" AS ENUM ('STUDENT', 'TEACHER');`);
    expect(firstSql).toContain('CREATE TABLE "Post"');
    expect(firstSql).toContain('CREATE UNIQUE INDEX "User_email_key"');
    expect(firstSql).toContain('CREATE INDEX "Post_authorId_title_idx"');
    expect(firstSql).toContain('FOREIGN KEY ("authorId") REFERENCES "User"("id") ON DELETE CASCADE');
    expect(await readFile(join(migrationsDir, 'migration_lock.toml'), 'utf8')).toContain('provider = "postgresql"');
    const [initName] = await readdir(migrationsDir).then((names) => names.filter((name) => name.endsWith('_init')));

    expect(await createMigration('nothing_changed', { migrationsDir, schemaPath })).toBeNull();
    expect((await readdir(migrationsDir)).sort()).toEqual([initName, 'migration_lock.toml']);

    for (const db of dbs) {
      expect(await migrationStatus(db.factory, { migrationsDir }), db.name).toEqual({
        applied: [],
        pending: [initName],
        failed: [],
      });
      const progress: string[] = [];
      const applied = await applyMigrations(db.factory, { migrationsDir, onProgress: (line) => progress.push(line) });
      expect(applied, db.name).toEqual({ applied: [initName] });
      expect(
        progress.some((line) => line.startsWith(`Applied ${initName}`)),
        db.name,
      ).toBe(true);
      expect(await applyMigrations(db.factory, { migrationsDir }), db.name).toEqual({ applied: [] });
      await db.query(`INSERT INTO "User" (id, email) VALUES ('u1', 'ada@example.com')`);
    }

    await writeFile(schemaPath, schemaV2);
    const second = await createMigration('add_user_bio', { migrationsDir, schemaPath });
    const secondSql = await readFile(second?.path ?? '', 'utf8');
    const statements = secondSql.split('\n').filter((line) => line.trim() && !line.startsWith('--'));
    expect(statements).toEqual(['ALTER TABLE "User" ADD COLUMN     "bio" TEXT;']);
    const secondName = second?.path.split(/[/\\]/).at(-2) ?? '';
    expect(secondName > (initName ?? '')).toBe(true);

    for (const db of dbs) {
      expect((await migrationStatus(db.factory, { migrationsDir })).pending, db.name).toEqual([secondName]);
      expect(await applyMigrations(db.factory, { migrationsDir }), db.name).toEqual({ applied: [secondName] });
      const rows = await db.query(
        'SELECT migration_name, checksum, finished_at IS NOT NULL AS finished, applied_steps_count FROM _prisma_migrations ORDER BY started_at',
      );
      expect(rows, db.name).toEqual([
        {
          migration_name: initName,
          checksum: expect.stringMatching(/^[0-9a-f]{64}$/),
          finished: true,
          applied_steps_count: 1,
        },
        {
          migration_name: secondName,
          checksum: expect.stringMatching(/^[0-9a-f]{64}$/),
          finished: true,
          applied_steps_count: 1,
        },
      ]);
      expect(await db.query(`SELECT email, role::text, bio FROM "User"`), db.name).toEqual([
        { email: 'ada@example.com', role: 'STUDENT', bio: null },
      ]);
      expect(await migrationStatus(db.factory, { migrationsDir }), db.name).toEqual({
        applied: [initName, secondName],
        pending: [],
        failed: [],
      });
    }
  });

  it('stops at a failing migration and records it as failed, not applied', async () => {
    const { migrationsDir } = await tempProject();
    const broken = '20240101000000_broken';
    await mkdir(join(migrationsDir, broken), { recursive: true });
    await writeFile(
      join(migrationsDir, broken, 'migration.sql'),
      'CREATE TABLE "Kept" (id INT);\nALTER TABLE "Missing" ADD COLUMN x INT;\n',
    );
    const db = pgliteTarget();

    await expect(applyMigrations(db.factory, { migrationsDir })).rejects.toThrow(/Missing|No such table/);
    expect(await migrationStatus(db.factory, { migrationsDir })).toEqual({
      applied: [],
      pending: [broken],
      failed: [broken],
    });
    // The script ran as one transaction: its first statement was rolled back too.
    expect(await db.query(`SELECT to_regclass('"Kept"')::text AS kept`)).toEqual([{ kept: null }]);
    await expect(applyMigrations(db.factory, { migrationsDir })).rejects.toThrow(/failed migrations/);
  });
});
