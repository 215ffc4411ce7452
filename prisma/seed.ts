/** `npm run db:seed`: applies pending migrations, then seeds the demo data (idempotent). */

import { applyMigrations } from '../api/db/migrations.js';
import { openDatabase } from '../api/db.js';
import { parseEnv } from '../api/env.js';
import { seedDemoActivity } from './seed/demo-activity.js';
import { DEMO_PASSWORD, DEMO_USERS, seedDatabase } from './seed/index.js';

const env = parseEnv();
const database = await openDatabase({ databaseUrl: env.DATABASE_URL, pgliteDir: env.PGLITE_DIR });
try {
  console.log(`database: ${database.mode} (${database.location})`);
  await applyMigrations(database.adapterFactory, { onProgress: (line) => console.log(`migrate: ${line}`) });
  const report = await seedDatabase(database.prisma, (line) => console.log(`seed: ${line}`));
  await seedDemoActivity(database.prisma, (line) => console.log(`seed: ${line}`));
  console.log(`seed done: ${report.created} created, ${report.updated} updated, ${report.unchanged} unchanged`);
  console.log(
    `\nSign in as any of ${DEMO_USERS.map((user) => user.email).join(', ')} with password "${DEMO_PASSWORD}".`,
  );
} finally {
  await database.close();
}
