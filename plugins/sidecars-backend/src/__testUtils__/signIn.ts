import type { Server } from 'node:http';
import { DEMO_USER_HEADER } from '@internal/plugin-auth-backend-module-demo-provider';
import request from 'supertest';

export interface SignedIn {
  token: string;
  ownershipEntityRefs: string[];
}

/** Signs in through the auth backend's demo provider, as the portal's sign-in page does. */
export async function signInAsDemoUser(
  server: Server,
  userName: string,
): Promise<SignedIn> {
  const res = await request(server)
    .get('/api/auth/demo/refresh')
    .set(DEMO_USER_HEADER, userName)
    .set('X-Requested-With', 'XMLHttpRequest');
  if (res.status !== 200)
    throw new Error(
      `signing in as ${userName} answered ${res.status}: ${JSON.stringify(res.body)}`,
    );
  const { token, identity } = res.body.backstageIdentity as {
    token: string;
    identity: { ownershipEntityRefs: string[] };
  };
  return { token, ownershipEntityRefs: identity.ownershipEntityRefs };
}

const base64url = (value: object) =>
  Buffer.from(JSON.stringify(value)).toString('base64url');

/** `token` with its claims replaced by `claims` but the original signature: what a user would send to pose as someone else. */
export function forgeClaims(
  token: string,
  claims: Record<string, unknown>,
): string {
  const [header, payload, signature] = token.split('.');
  const original = JSON.parse(
    Buffer.from(payload ?? '', 'base64url').toString('utf8'),
  ) as Record<string, unknown>;
  return [header, base64url({ ...original, ...claims }), signature].join('.');
}

/** A token that claims `claims` with no signature at all (`alg: none`). */
export function unsignedToken(claims: Record<string, unknown>): string {
  return [base64url({ alg: 'none', typ: 'JWT' }), base64url(claims), ''].join(
    '.',
  );
}
