import type { Config } from '@backstage/config';
import { AuthenticationError, NotAllowedError } from '@backstage/errors';
import { createProxyAuthenticator } from '@backstage/plugin-auth-node';

/** The request header in which the sign-in page names the demo user to enter as. */
export const DEMO_USER_HEADER = 'x-demo-user';

/** Anyone who reaches the backend may enter as any listed user, so only these environments allow it. */
const ALLOWED_ENVIRONMENTS = ['development', 'test'];

export interface DemoSignInResult {
  userName: string;
}

function offeredUsers(config: Config): string[] {
  const nodeEnv = process.env.NODE_ENV ?? '(unset)';
  if (!ALLOWED_ENVIRONMENTS.includes(nodeEnv)) {
    throw new Error(
      `the demo sign-in lets anyone enter as any listed user and is refused with NODE_ENV=${nodeEnv}; it runs only with NODE_ENV ${ALLOWED_ENVIRONMENTS.join(' or ')}. Remove auth.providers.demo and configure a real identity provider (see docs/permissions.md)`,
    );
  }
  return config.getConfigArray('users').map(user => user.getString('name'));
}

/**
 * Reads the chosen user from the DEMO_USER_HEADER header; only users listed in `auth.providers.demo.users`
 * may enter. That list's schema is the app's (packages/app/config.d.ts): the sign-in page shows it.
 */
export const demoAuthenticator = createProxyAuthenticator<
  string[],
  DemoSignInResult,
  undefined
>({
  defaultProfileTransform: async result => ({
    profile: { displayName: result.userName },
  }),
  initialize: ({ config }) => offeredUsers(config),
  async authenticate({ req }, users) {
    const userName = req.header(DEMO_USER_HEADER);
    if (!userName)
      throw new AuthenticationError(
        `missing the ${DEMO_USER_HEADER} header: name one of the demo users (${users.join(', ')})`,
      );
    if (!users.includes(userName)) {
      throw new NotAllowedError(
        `${DEMO_USER_HEADER} "${userName}" is not a demo user: use one of ${users.join(', ')} (auth.providers.demo.users)`,
      );
    }
    return { result: { userName } };
  },
});
