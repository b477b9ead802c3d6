import { render, screen } from '@testing-library/react';
import App from './App';

describe('App', () => {
  it('starts at the sign-in page offering one button per configured demo user', async () => {
    process.env = {
      NODE_ENV: 'test',
      APP_CONFIG: [
        {
          data: {
            app: { title: 'Sidecar Campaigns' },
            backend: { baseUrl: 'http://localhost:7007' },
            auth: {
              providers: {
                demo: {
                  users: [
                    { name: 'pat' },
                    { name: 'alice', description: 'team-payments' },
                  ],
                },
              },
            },
          },
          context: 'test',
        },
      ] as unknown as string,
    };

    render(App.createRoot());

    expect(
      await screen.findByRole(
        'button',
        { name: 'Sign in as pat' },
        { timeout: 15000 },
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: 'Sign in as alice' }),
    ).toBeInTheDocument();
    expect(screen.getByText('team-payments')).toBeInTheDocument();
    expect(
      screen.getByRole('heading', { level: 1, name: 'Sidecar Campaigns' }),
    ).toBeInTheDocument();
  }, 20000);
});
