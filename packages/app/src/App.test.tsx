import { render, screen } from '@testing-library/react';
import App from './App';

describe('App', () => {
  it('starts at the guest sign-in page titled for this portal', async () => {
    process.env = {
      NODE_ENV: 'test',
      APP_CONFIG: [
        {
          data: {
            app: { title: 'Sidecar Campaigns' },
            backend: { baseUrl: 'http://localhost:7007' },
          },
          context: 'test',
        },
      ] as unknown as string,
    };

    render(App.createRoot());

    expect(await screen.findByRole('button', { name: /enter/i }, { timeout: 15000 })).toBeInTheDocument();
    expect(screen.getByRole('heading', { level: 1, name: 'Sidecar Campaigns' })).toBeInTheDocument();
  }, 20000);
});
