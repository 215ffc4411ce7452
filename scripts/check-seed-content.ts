/**
 * Runs every seeded item's reference solution and starter/buggy code against its tests
 * (trusted child processes) and prints a line per item. Used while authoring content;
 * the test suite checks the same thing.
 */

import { runSeedItemChecks } from '../prisma/seed/check.js';
import { seedItems } from '../prisma/seed/content/index.js';

const failures = await runSeedItemChecks(seedItems, (line) => console.log(line));
if (failures.length > 0) {
  console.error(`\n${failures.length} problem(s):\n${failures.join('\n')}`);
  process.exit(1);
}
console.log(`\nall ${seedItems.length} items check out`);
