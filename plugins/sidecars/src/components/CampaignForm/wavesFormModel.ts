import type { CampaignSpecInput } from '@internal/plugin-sidecars-common';
import { optionalCountOrPercent } from './typedValues';

export type BakeUnit = 'minutes' | 'seconds';

/** One wave as the form holds it, every field as typed. */
export interface WaveValues {
  name: string;
  clusters: string[];
  /** Empty keeps the campaign's max unavailable. */
  maxUnavailable: string;
  /** The gate before this wave; the first wave has none. */
  approval: boolean;
  /** Empty or 0 for no bake. */
  bake: string;
  bakeUnit: BakeUnit;
}

type WaveSpec = NonNullable<CampaignSpecInput['waves']>[number];

export function newWave(index: number, clusters: string[] = []): WaveValues {
  return {
    name: `wave-${index + 1}`,
    clusters,
    maxUnavailable: '',
    // Later waves wait for someone to look at the earlier ones, unless the user says otherwise.
    approval: index > 0,
    bake: '',
    bakeUnit: 'minutes',
  };
}

/** The bake in seconds; a value that is not a number is sent as it is, for the API to explain. */
function bakeSecondsOf(wave: WaveValues): number | undefined {
  if (wave.bake.trim() === '') return undefined;
  const value = Number(wave.bake);
  return wave.bakeUnit === 'minutes' ? value * 60 : value;
}

function gateOf(wave: WaveValues): NonNullable<WaveSpec['gate']> | undefined {
  const bakeSeconds = bakeSecondsOf(wave);
  const bakes = bakeSeconds !== undefined && bakeSeconds !== 0;
  if (!wave.approval && !bakes) return undefined;
  return {
    ...(wave.approval ? { approval: true } : {}),
    ...(bakes ? { bakeSeconds } : {}),
  };
}

/** The spec's waves from the form's, in order; the first wave never has a gate. */
export function toWavesSpec(waves: readonly WaveValues[]): WaveSpec[] {
  return waves.map((wave, index) => {
    const maxUnavailable = optionalCountOrPercent(wave.maxUnavailable);
    const gate = index > 0 ? gateOf(wave) : undefined;
    return {
      name: wave.name.trim(),
      clusters: wave.clusters,
      ...(maxUnavailable !== undefined ? { strategy: { maxUnavailable } } : {}),
      ...(gate ? { gate } : {}),
    };
  });
}

/** Spec paths the form shows an input for, for its waves. */
export function wavesInputPaths(waves: readonly WaveValues[]): string[] {
  return [
    'waves',
    ...waves.flatMap((_, index) => {
      const path = `waves.${index}`;
      const fields = [
        path,
        `${path}.name`,
        `${path}.clusters`,
        `${path}.strategy`,
        `${path}.strategy.maxUnavailable`,
      ];
      if (index > 0)
        fields.push(
          `${path}.gate`,
          `${path}.gate.approval`,
          `${path}.gate.bakeSeconds`,
        );
      return fields;
    }),
  ];
}
