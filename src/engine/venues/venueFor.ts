import type { Logger } from 'pino';
import type { DaemonConfig } from '../../config/configSchema.js';
import type { AlpacaEnv } from '../../config/env.js';
import type { Clock } from '../../core/Clock.js';
import { AlpacaStore } from './AlpacaStore.js';
import { SimVenue } from './SimVenue.js';
import type { Venue } from './Venue.js';

/** The venue of a mode: Alpaca (paper, live, or the emulator) when its keys are given, else the offline replay. */
export function venueFor(o: { config: DaemonConfig; alpaca: AlpacaEnv | null; wallClock: Clock; logger: Logger }): Venue {
  return o.alpaca === null ? new SimVenue({ config: o.config, wallClock: o.wallClock, logger: o.logger }) : new AlpacaStore({ config: o.config, env: o.alpaca, wallClock: o.wallClock, logger: o.logger });
}
