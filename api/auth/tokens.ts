/**
 * Access tokens: JWTs signed with HS256 (JWT_SECRET, or a random secret kept under
 * DATA_DIR when unset), or verified against an external identity provider's JWKS_URL.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createRemoteJWKSet, decodeProtectedHeader, type JWTVerifyGetKey, jwtVerify, SignJWT } from 'jose';

const ISSUER = 'practice-api';
const AUDIENCE = 'practice-api';

/**
 * Who a valid token speaks for: our own tokens name the user id; an external identity
 * provider's tokens name a verified email, matched to the account with that email.
 */
export type TokenIdentity = { userId: string } | { email: string };

/** Issues and verifies access tokens. */
export interface TokenService {
  /** Signs a token for `userId` (subject), valid for `ttlSeconds`. */
  sign(userId: string, ttlSeconds?: number): Promise<string>;
  /** Returns who a valid token speaks for, or null for an invalid or expired one. */
  verify(token: string): Promise<TokenIdentity | null>;
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
        // Our own tokens (from logIn / signUp) first, then the identity provider's.
        if (decodeProtectedHeader(token).alg === 'HS256') {
          const { payload } = await jwtVerify(token, secret, {
            issuer: ISSUER,
            audience: AUDIENCE,
            algorithms: ['HS256'],
          });
          return payload.sub ? { userId: payload.sub } : null;
        }
        if (!remote) return null;
        const { payload } = await jwtVerify(token, remote);
        const email = typeof payload.email === 'string' ? payload.email.trim().toLowerCase() : '';
        return email && payload.email_verified !== false ? { email } : null;
      } catch {
        return null;
      }
    },
  };
}
