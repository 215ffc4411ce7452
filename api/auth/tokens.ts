/**
 * Access tokens: JWTs signed with HS256 (JWT_SECRET, or a random secret kept under
 * DATA_DIR when unset), or verified against an external identity provider's JWKS_URL.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createRemoteJWKSet, type JWTVerifyGetKey, jwtVerify, SignJWT } from 'jose';

const ISSUER = 'practice-api';
const AUDIENCE = 'practice-api';

/** Issues and verifies access tokens. */
export interface TokenService {
  /** Signs a token for `userId` (subject), valid for `ttlSeconds`. */
  sign(userId: string, ttlSeconds?: number): Promise<string>;
  /** Returns the user id of a valid token, or null for an invalid or expired one. */
  verify(token: string): Promise<string | null>;
}

async function loadOrCreateSecret(dataDir: string): Promise<string> {
  const file = join(dataDir, 'jwt-secret');
  try {
    return (await readFile(file, 'utf8')).trim();
  } catch {
    await mkdir(dataDir, { recursive: true });
    const secret = randomBytes(48).toString('base64url');
    // 'wx' fails if another process created it first; then read theirs.
    await writeFile(file, secret, { flag: 'wx', mode: 0o600 }).catch(() => undefined);
    return (await readFile(file, 'utf8')).trim();
  }
}

/** Builds the token service from the environment's JWT settings. */
export async function createTokenService(options: {
  jwtSecret?: string | undefined;
  jwksUrl?: string | undefined;
  dataDir: string;
}): Promise<TokenService> {
  const secret = new TextEncoder().encode(options.jwtSecret ?? (await loadOrCreateSecret(options.dataDir)));
  const remote: JWTVerifyGetKey | undefined = options.jwksUrl
    ? createRemoteJWKSet(new URL(options.jwksUrl))
    : undefined;
  return {
    sign: (userId, ttlSeconds = 7 * 24 * 3600) =>
      new SignJWT({})
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject(userId)
        .setIssuer(ISSUER)
        .setAudience(AUDIENCE)
        .setIssuedAt()
        .setExpirationTime(`${ttlSeconds}s`)
        .sign(secret),
    async verify(token) {
      try {
        const { payload } = remote
          ? await jwtVerify(token, remote)
          : await jwtVerify(token, secret, { issuer: ISSUER, audience: AUDIENCE, algorithms: ['HS256'] });
        return payload.sub ?? null;
      } catch {
        return null;
      }
    },
  };
}
