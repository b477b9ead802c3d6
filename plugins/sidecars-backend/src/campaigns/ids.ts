import { randomBytes } from 'node:crypto';
import {
  campaignIdOf,
  type CampaignSpec,
} from '@internal/plugin-sidecars-common';

/** A readable, unique workflow id such as `istio-proxy-1-23-1-3f9a2c`. */
export function newCampaignId(spec: CampaignSpec): string {
  return campaignIdOf(spec, randomBytes(3).toString('hex'));
}
