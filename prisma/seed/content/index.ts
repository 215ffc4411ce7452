/** Every content item the seed publishes in the global catalog. */
import type { SeedItem } from '../../../api/content/body.js';
import { codingProblems } from './coding.js';
import { moreCodingProblems } from './coding-more.js';
import { debugLabs } from './debug-labs.js';
import { systemDesignPrompts } from './system-design.js';

export const seedItems: readonly SeedItem[] = [
  ...codingProblems,
  ...moreCodingProblems,
  ...debugLabs,
  ...systemDesignPrompts,
];
