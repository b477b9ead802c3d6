import { randomBytes } from 'node:crypto';
import type { CampaignSpec } from '@internal/plugin-sidecars-common';
import { versionOf } from '../inventory/versions';

const slug = (text: string) =>
  text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40)
    .replace(/-+$/, '');

/** A readable, unique workflow id such as `istio-proxy-1-23-1-3f9a2c`. */
export function newCampaignId(spec: CampaignSpec): string {
  const version = slug(versionOf(spec.targetImage));
  return [spec.container, version, randomBytes(3).toString('hex')]
    .filter(Boolean)
    .join('-');
}
