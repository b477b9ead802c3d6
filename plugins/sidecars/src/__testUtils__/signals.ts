import type { SignalApi } from '@backstage/plugin-signals-react';
import type { CampaignSignalMessage } from '@internal/plugin-sidecars-common';
import { act } from '@testing-library/react';

type Listener = (message: CampaignSignalMessage) => void;

/** A signals API the test publishes on, as the signals backend would over its WebSocket. */
export class FakeSignals implements SignalApi {
  private readonly listeners = new Map<string, Set<Listener>>();

  subscribe: SignalApi['subscribe'] = (channel, onMessage) => {
    // The pages subscribe with the campaign message type, the only one published here.
    const listener = onMessage as unknown as Listener;
    const listeners = this.listeners.get(channel) ?? new Set<Listener>();
    listeners.add(listener);
    this.listeners.set(channel, listeners);
    return { unsubscribe: () => listeners.delete(listener) };
  };

  /** The channels someone listens on now. */
  channels(): string[] {
    return [...this.listeners]
      .filter(([, listeners]) => listeners.size > 0)
      .map(([channel]) => channel);
  }

  publish(channel: string, message: CampaignSignalMessage): void {
    act(() => {
      for (const listener of this.listeners.get(channel) ?? [])
        listener(message);
    });
  }
}
