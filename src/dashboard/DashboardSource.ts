import type { ControlReply } from '../control/ControlCommands.js';
import type { DaemonEvents } from '../core/DaemonEvents.js';
import type { EventBus } from '../core/EventBus.js';
import type { VenueHealth } from '../engine/venues/Venue.js';
import type { PortfolioSnapshot } from '../persistence/PortfolioSnapshot.js';
import type { EquityPoint } from '../portfolio/EquityPoint.js';

/** Where the daemon is in its lifecycle: only `running` is healthy. */
export const DaemonPhase = { Starting: 'starting', Running: 'running', Stopping: 'stopping' } as const;
export type DaemonPhase = (typeof DaemonPhase)[keyof typeof DaemonPhase];

/** What the dashboard reads of the running daemon (the engine provides it); it never changes anything but through `control`. */
export interface DashboardSource {
  readonly mode: 'sim' | 'alpaca';
  /** `offline simulation`, `Alpaca paper`, `Alpaca LIVE`. */
  readonly venueName: string;
  readonly runId: string;
  readonly bus: EventBus<DaemonEvents>;
  phase(): DaemonPhase;
  /** The state as the state file has it now (what `npm run status` reads); null before the start completed. */
  snapshot(): PortfolioSnapshot | null;
  health(): VenueHealth;
  /** The equity curves (thinned): the strategies' total and each strategy's. */
  curves(): { readonly total: readonly EquityPoint[]; readonly strategies: Readonly<Record<string, readonly EquityPoint[]>> };
  /** Market time of the last bar the strategies saw. */
  lastBarTime(): number | null;
  /** Alerts waiting in the Telegram outbox, null without Telegram. */
  outboxPending(): number | null;
  /** The owner's commands, the same as `npm run ctl` (pause/resume); null when the daemon has no breakers. */
  control(words: readonly string[], by: string): ControlReply | null;
}
