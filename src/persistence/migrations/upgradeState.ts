import { normalizeV2 } from './normalizeV2.js';
import { upgradeV1, type UpgradeV1Context } from './upgradeV1.js';
import { upgradeV2 } from './upgradeV2.js';

/** What an upgrade may need to know that an old file does not say. */
export interface UpgradeContext {
  /** The offline account's starting cash (`sim.starting_cash`): version 1 kept no venue; null in Alpaca mode. */
  readonly startingCash: number | null;
  readonly entryCommission?: UpgradeV1Context['entryCommission'];
}

/**
 * Any state file this project has written, brought to the current version (4) before it is
 * validated: version 1 (no engine state: rebuilt from the books it showed), every shape version 2
 * had (normalized to its last), version 2 to 3, then 3 to 4
 * (the closed trades and the equity history, inline in version 3, are appended to the logs at
 * the first save). A version it does not know is left as it is
 * (validation then names it). Throws, with the reason, when an old file cannot be trusted.
 */
export function upgradeState(raw: unknown, context: UpgradeContext): unknown {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return raw;
  let o = raw as Record<string, unknown>;
  if (o['version'] === 1) {
    if (context.startingCash === null) throw new Error('version 1 was written by the offline mode only');
    o = upgradeV1(o, { startingCash: context.startingCash, ...(context.entryCommission === undefined ? {} : { entryCommission: context.entryCommission }) }) as Record<string, unknown>;
  }
  if (o['version'] === 2) o = upgradeV2(normalizeV2(o, { keepIntentExits: true }) as Record<string, unknown>);
  // Version 3 held the closed trades and the equity history inline, as version 4 holds them once read back from its logs.
  if (o['version'] === 3) return { ...o, version: 4 };
  return o;
}
