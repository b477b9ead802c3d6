import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { PORTAL_URL, screenshot, signedInPage } from './browser';
import { control, openSidecarsTab, startUpgrade } from './portalActions';

const CAMPAIGN_TIMEOUT_MS = 120_000;
/** Longer than two polls of the campaign page (every 2 s without signals). */
const PAUSED_FOR_MS = 5_000;
/** A fetch this soon after a signal of its campaign is that signal's refetch. */
const REFETCH_WITHIN_MS = 1_500;
/**
 * cart runs istio-proxy 1.23.1: a version already in the fleet (payments runs it), so the fleet's
 * newest version and every drift the other suites check stay as seeded; the test rolls it back.
 */
const TARGET_IMAGE = 'docker.io/istio/proxyv2:1.22.3';

const phase = (page: Page, label: string) =>
  page
    .locator('header')
    .getByText(label, { exact: true })
    .waitFor({ timeout: CAMPAIGN_TIMEOUT_MS });

describe('live updates and owner notifications in the portal', () => {
  // bob of team-checkout owns cart: he starts its campaign and is one of the owners notified.
  const page = signedInPage('bob');

  it("follows a campaign through signals without polling, and tells cart's owners in the notifications", async t => {
    const campaignRequests: number[] = [];
    page().on('request', request => {
      if (
        request.method() === 'GET' &&
        /\/api\/sidecars\/campaigns\/[^/?]+$/.test(
          new URL(request.url()).pathname,
        )
      )
        campaignRequests.push(Date.now());
    });
    const sockets: string[] = [];
    const signalFrames: Array<{ at: number; frame: string }> = [];
    page().on('websocket', socket => {
      sockets.push(socket.url());
      socket.on('framereceived', ({ payload }) =>
        signalFrames.push({ at: Date.now(), frame: String(payload) }),
      );
    });

    const answers: string[] = [];
    page().on('response', async response => {
      if (
        response.request().method() === 'GET' &&
        /\/api\/sidecars\/campaigns\/[^/?]+$/.test(
          new URL(response.url()).pathname,
        )
      )
        answers.push(
          `${new Date().toISOString()} ${response.status()} ${((await response.json().catch(() => ({}))) as { phase?: string }).phase}`,
        );
    });
    try {
      await openSidecarsTab(page(), 'cart');
      await startUpgrade(page(), 'cart', {
        targetImage: TARGET_IMAGE,
        maxUnavailable: '1',
        // cart has two pods: a long bake after the first keeps the campaign running while it is paused.
        bakeSeconds: '30',
      });
      await page().getByText('Live: updates as the campaign changes').waitFor();
      assert.ok(
        sockets.some(url => url.includes('/api/signals')),
        `the page listens on the signals WebSocket (opened: ${sockets.join(', ') || 'none'})`,
      );
      await phase(page(), 'Running');

      await control(page(), 'Pause', 'checking the error budget');
      await phase(page(), 'Paused');

      // Paused long enough for a poll or two, had the page kept polling.
      await page().waitForTimeout(PAUSED_FOR_MS);

      await control(page(), 'Resume', 'budget is fine');
      // The page moves on to Completed by itself: each change's signal makes it fetch once.
      await phase(page(), 'Completed');
      // Rolled back, cart is as seeded again (and the notification is updated once more).
      await control(page(), 'Roll back', 'back to the fleet version');
      await phase(page(), 'Rolled back');
      await page().getByText('Final state').waitFor();

      // Every fetch of the campaign followed a signal of its channel, except the first load and the
      // answers to the pause, the resume and the rollback, which the page shows as they come.
      const id = new URL(page().url()).pathname.split('/').pop()!;
      const signalled = signalFrames
        .filter(({ frame }) => frame.includes(`sidecars:campaign:${id}`))
        .map(({ at }) => at);
      const unexplained = campaignRequests.filter(
        at => !signalled.some(s => s <= at && at - s <= REFETCH_WITHIN_MS),
      );
      t.diagnostic(
        `campaign ${id}: ${signalled.length} signals, ${campaignRequests.length} fetches, ${unexplained.length} not after a signal`,
      );
      assert.ok(signalled.length > 0, 'signals of the campaign arrived');
      assert.ok(
        unexplained.length <= 4,
        `${unexplained.length} of ${campaignRequests.length} fetches followed no signal (${signalled.length} signals)`,
      );

      await page().goto(`${PORTAL_URL}/notifications`);
      const notification = page()
        .getByText(`Sidecar campaign istio-proxy → ${TARGET_IMAGE} rolled back`)
        .first();
      await notification.waitFor();
      assert.equal(
        await page()
          .getByText(
            new RegExp(
              `Sidecar campaign istio-proxy → ${TARGET_IMAGE.replaceAll('.', '\\.')} `,
            ),
          )
          .count(),
        1,
        'one notification for the campaign and cart, updated in place',
      );
      await screenshot(page(), 'notifications');
    } catch (error) {
      // What the page heard and fetched, to tell a missing signal from a failed fetch.
      t.diagnostic(
        `signal frames: ${JSON.stringify(signalFrames.map(f => [new Date(f.at).toISOString(), f.frame]))}`,
      );
      t.diagnostic(`campaign answers: ${JSON.stringify(answers)}`);
      t.diagnostic(
        `page: ${(await page().locator('main').innerText()).slice(0, 1500)}`,
      );
      throw error;
    }
  });
});
