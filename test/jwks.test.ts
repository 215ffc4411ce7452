/** An external identity provider: tokens verified against its JWKS, matched to accounts by verified email. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, type JWTPayload, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './support/server.js';

let idp: Server;
let server: TestServer;
let sign: (claims: JWTPayload) => Promise<string>;

beforeAll(async () => {
  const { publicKey, privateKey } = await generateKeyPair('RS256');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'test-key', alg: 'RS256', use: 'sig' };
  idp = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ keys: [jwk] }));
  });
  await new Promise<void>((resolve) => idp.listen(0, '127.0.0.1', resolve));
  const { port } = idp.address() as AddressInfo;
  sign = (claims) =>
    new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', kid: 'test-key' })
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(privateKey);
  server = await startTestServer({ env: { JWKS_URL: `http://127.0.0.1:${port}/.well-known/jwks.json` } });
});
afterAll(async () => {
  await server?.stop();
  await new Promise((resolve) => idp?.close(resolve));
});

const viewerWith = async (token: string) =>
  server.graphql<{ viewer: { email: string } | null }>(
    '{ viewer { email } }',
    {},
    { authorization: `Bearer ${token}` },
  );

describe('JWKS_URL', () => {
  it('accepts the provider’s token for the account with its verified email', async () => {
    const { status, body } = await viewerWith(
      await sign({ sub: 'idp|123', email: 'Student1@demo.test', email_verified: true }),
    );
    expect(status).toBe(200);
    expect(body.data?.viewer).toEqual({ email: 'student1@demo.test' });
  });

  it('still accepts the API’s own tokens from logIn', async () => {
    const { body } = await server.graphql<{ logIn: { token: string } }>(
      'mutation { logIn(input: { email: "student2@demo.test", password: "practice" }) { ... on AuthPayload { token } } }',
    );
    expect((await viewerWith(body.data?.logIn.token ?? '')).body.data?.viewer).toEqual({ email: 'student2@demo.test' });
  });

  it('rejects unverified emails, unknown accounts and tokens signed by anyone else', async () => {
    const unverified = await viewerWith(await sign({ email: 'student1@demo.test', email_verified: false }));
    expect(unverified.status).toBe(401);
    const unknown = await viewerWith(await sign({ email: 'stranger@nowhere.test' }));
    expect(unknown.status).toBe(401);
    const { privateKey } = await generateKeyPair('RS256');
    const forged = await new SignJWT({ email: 'student1@demo.test' })
      .setProtectedHeader({ alg: 'RS256', kid: 'test-key' })
      .setExpirationTime('5m')
      .sign(privateKey);
    expect((await viewerWith(forged)).status).toBe(401);
  });
});
