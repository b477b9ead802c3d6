import { render, screen } from '@testing-library/react';
import { FreshnessCaption } from './FreshnessCaption';

const NOW = Date.parse('2026-11-27T10:00:00Z');

describe('FreshnessCaption', () => {
  it('names no cluster when there is only one', () => {
    render(
      <FreshnessCaption
        clusters={[
          {
            name: 'local',
            ok: true,
            source: 'watch',
            syncedAt: '2026-11-27T09:59:58.000Z',
          },
        ]}
        now={NOW}
      />,
    );
    expect(screen.getByTestId('inventory-freshness')).toHaveTextContent(
      /^live \(watch\)$/,
    );
  });

  it('gives the age of a list, and leaves out clusters that did not answer or predate freshness', () => {
    render(
      <FreshnessCaption
        clusters={[
          {
            name: 'a',
            ok: true,
            source: 'list',
            syncedAt: '2026-11-27T09:58:30.000Z',
          },
          {
            name: 'b',
            ok: false,
            error: 'connection refused',
            watchError: 'the watch cache is still loading',
          },
          { name: 'c', ok: true },
        ]}
        now={NOW}
      />,
    );
    expect(screen.getByTestId('inventory-freshness')).toHaveTextContent(
      /^a: listed 1 min 30 s ago$/,
    );
  });

  it('shows nothing when no cluster says how fresh it is', () => {
    const { container } = render(
      <FreshnessCaption clusters={[{ name: 'a', ok: false }]} now={NOW} />,
    );
    expect(container).toBeEmptyDOMElement();
  });
});
