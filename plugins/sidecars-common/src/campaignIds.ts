import { parseImageReference } from './imageReference';
import type { CampaignSpec } from './spec';

/** The version an image reference names: its tag, else a digest prefix, else "latest". */
export function imageVersion(image: string): string {
  const parsed = parseImageReference(image);
  if (!parsed.ok) return image;
  if (parsed.image.tag !== undefined) return parsed.image.tag;
  if (parsed.image.digest !== undefined)
    return parsed.image.digest.slice(0, 'sha256:'.length + 12);
  return 'latest';
}

const slug = (text: string) =>
  text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40)
    .replace(/-+$/, '');

/**
 * A readable campaign id such as `istio-proxy-1-23-1-3f9a2c`, from the spec and a random `suffix`
 * (6 hex digits). It becomes a pod label value, so it stays within 63 of [a-z0-9-].
 */
export function campaignIdOf(
  spec: Pick<CampaignSpec, 'container' | 'targetImage'>,
  suffix: string,
): string {
  return [spec.container, slug(imageVersion(spec.targetImage)), suffix]
    .filter(Boolean)
    .join('-');
}

/** A template's id (and its Schedule's id after `sidecar-template-`): its name as lowercase words joined by "-". */
export const templateIdOf = (name: string): string => slug(name);
