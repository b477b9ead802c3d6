import { useState } from 'react';
import Button from '@material-ui/core/Button';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import {
  Content,
  ErrorPanel,
  Header,
  InfoCard,
  Page,
  ProxiedSignInPage,
  WarningPanel,
} from '@backstage/core-components';
import { configApiRef, useApi } from '@backstage/frontend-plugin-api';
import type { SignInPageProps } from '@backstage/plugin-app-react';
import { readDemoUsers } from './demoUsers';
import { forgettingOnSignOut, rememberedUser } from './rememberedUser';

/** The header the backend's demo provider reads the chosen user from (DEMO_USER_HEADER there). */
const DEMO_USER_HEADER = 'x-demo-user';
const TITLE = 'Sidecar Campaigns';

/**
 * Local-development sign-in: one button per demo user of `auth.providers.demo.users`. The chosen
 * user signs in through the backend's `demo` auth provider, which looks the user up in the catalog;
 * the choice is remembered until sign-out.
 */
export function DemoSignInPage({ onSignInSuccess }: SignInPageProps) {
  const users = readDemoUsers(useApi(configApiRef));
  const [chosen, setChosen] = useState(rememberedUser.get);

  if (chosen) {
    const chooseAgain = () => {
      rememberedUser.forget();
      setChosen(undefined);
    };
    return (
      <ProxiedSignInPage
        provider="demo"
        headers={{ [DEMO_USER_HEADER]: chosen }}
        onSignInSuccess={identity => {
          rememberedUser.set(chosen);
          onSignInSuccess(forgettingOnSignOut(identity));
        }}
        ErrorComponent={({ error }) => (
          <Page themeId="home">
            <Header title={TITLE} subtitle={`Signing in as ${chosen} failed`} />
            <Content>
              <ErrorPanel
                title={`Could not sign in as ${chosen}`}
                error={error ?? new Error('unknown error')}
              />
              <Button
                color="primary"
                variant="contained"
                onClick={chooseAgain}
                style={{ marginTop: 16 }}
              >
                Choose another user
              </Button>
            </Content>
          </Page>
        )}
      />
    );
  }

  return (
    <Page themeId="home">
      <Header title={TITLE} subtitle="Local demo sign-in: choose who you are" />
      <Content>
        {users.length === 0 ? (
          <WarningPanel title="No demo users configured">
            List the users to offer under auth.providers.demo.users in
            app-config.yaml (each a User in the catalog).
          </WarningPanel>
        ) : (
          <Grid container spacing={3}>
            {users.map(user => (
              <Grid item xs={12} sm={6} md={3} key={user.name}>
                <InfoCard
                  title={user.name}
                  variant="fullHeight"
                  actions={
                    <Button
                      color="primary"
                      variant="outlined"
                      aria-label={`Sign in as ${user.name}`}
                      onClick={() => setChosen(user.name)}
                    >
                      Sign in
                    </Button>
                  }
                >
                  <Typography variant="body1">
                    {user.description ?? `user:default/${user.name}`}
                  </Typography>
                </InfoCard>
              </Grid>
            ))}
          </Grid>
        )}
      </Content>
    </Page>
  );
}
