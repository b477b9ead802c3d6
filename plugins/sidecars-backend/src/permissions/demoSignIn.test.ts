import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import authPlugin from '@backstage/plugin-auth-backend';
import demoSignInModule from '@internal/plugin-auth-backend-module-demo-provider';

/** The demo sign-in lets anyone enter as any listed user, so a production backend must refuse to start with it. */
describe('the demo sign-in outside development', () => {
  const nodeEnv = process.env.NODE_ENV;
  afterEach(() => {
    process.env.NODE_ENV = nodeEnv;
  });

  it('stops the backend from starting when NODE_ENV is production', async () => {
    process.env.NODE_ENV = 'production';
    const starting = startTestBackend({
      features: [
        authPlugin,
        demoSignInModule,
        mockServices.rootConfig.factory({
          data: {
            app: { baseUrl: 'http://localhost:3000' },
            auth: { providers: { demo: { users: [{ name: 'pat' }] } } },
          },
        }),
      ],
    });
    await expect(starting).rejects.toThrow(
      /demo.*refused with NODE_ENV=production.*Remove auth.providers.demo/s,
    );
  });
});
