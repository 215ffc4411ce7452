/** Seeded content is sound: every reference solution passes its tests, every starter fails one. */
import { describe, expect, it } from 'vitest';
import { runSeedItemChecks } from '../prisma/seed/check.js';
import { seedItems } from '../prisma/seed/content/index.js';
import { canRun } from './support/python.js';

describe('seed content', () => {
  it('gives every coding item and debug lab 5+ tests (2+ hidden), a passing reference and a failing starter in JavaScript and Python', async () => {
    const languages = (['JAVASCRIPT', 'PYTHON'] as const).filter(canRun);
    const lines: string[] = [];
    const problems = await runSeedItemChecks(seedItems, (line) => lines.push(line), languages);
    expect(problems).toEqual([]);
    // Each coding item and lab reported each language run; each design prompt its rubric.
    const runnable = seedItems.filter((item) => item.body.kind !== 'SYSTEM_DESIGN').length;
    expect(lines.filter((line) => / (JAVASCRIPT|PYTHON): reference /.test(line))).toHaveLength(
      runnable * languages.length,
    );
  }, 240_000);

  it('catches a reference solution that fails its tests', async () => {
    const [first] = seedItems;
    if (!first || first.body.kind === 'SYSTEM_DESIGN') throw new Error('expected a coding item first');
    const broken = {
      ...first,
      body: { ...first.body, referenceSolution: first.body.starterCode },
    };
    const problems = await runSeedItemChecks([broken], undefined, (['JAVASCRIPT', 'PYTHON'] as const).filter(canRun));
    expect(problems.some((problem) => problem.includes('reference fails'))).toBe(true);
  });
});
