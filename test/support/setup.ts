/** Runs around every test file (vitest `setupFiles`): nothing a file started outlives it. */
import { afterAll } from 'vitest';
import { disposeLeftovers } from './leftovers.js';

afterAll(disposeLeftovers);
