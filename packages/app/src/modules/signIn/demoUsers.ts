import type { ConfigApi } from '@backstage/frontend-plugin-api';

export interface DemoUser {
  name: string;
  description?: string;
}

/** The users `auth.providers.demo.users` offers on the sign-in page. */
export function readDemoUsers(config: ConfigApi): DemoUser[] {
  return (config.getOptionalConfigArray('auth.providers.demo.users') ?? []).map(
    user => ({
      name: user.getString('name'),
      description: user.getOptionalString('description'),
    }),
  );
}
