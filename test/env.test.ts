/** The environment is parsed once; a bad value is reported by name. */
import { describe, expect, it } from 'vitest';
import { EnvError, parseEnv } from '../api/env.js';

describe('parseEnv', () => {
  it('defaults to the embedded database on port 4000', () => {
    const env = parseEnv({});
    expect(env).toMatchObject({ PORT: 4000, PGLITE_DIR: '.data/pglite', SEED_ON_START: true });
    expect(env.DATABASE_URL).toBeUndefined();
  });

  it('treats empty variables as unset', () => {
    expect(parseEnv({ DATABASE_URL: '', REDIS_URL: ' ' }).DATABASE_URL).toBeUndefined();
  });

  it('names every bad variable and what was wrong with it', () => {
    const bad = { PORT: '99999', DATABASE_URL: 'mysql://x', JWT_SECRET: 'short', EXECUTOR: 'docker' };
    expect(() => parseEnv(bad)).toThrow(EnvError);
    try {
      parseEnv(bad);
    } catch (error) {
      const message = (error as Error).message;
      for (const name of Object.keys(bad)) expect(message).toContain(`${name}:`);
      expect(message).toContain('at least 32 characters');
    }
  });
});
