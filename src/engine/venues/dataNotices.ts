import type { DataGap, DataNotices } from '../../market-data/AlpacaData.js';
import { AlertPriority } from '../../notify/Notifier.js';
import type { VenueContext } from './Venue.js';

const iso = (ms: number): string => new Date(ms).toISOString();

/** The alert for a gap: minutes the stream missed and REST filled, or minutes the broker's history has no bar for. */
export function gapAlertText(gap: DataGap): string {
  const span = `${iso(gap.from)} → ${iso(gap.to)}`;
  return gap.missing === true
    ? `⚠️ Market data missing ${span}: the broker's history has no bar for any symbol (${(gap.to - gap.from) / 60_000} minutes)`
    : `⚠️ Market data gap ${span}: ${gap.backfilled} bars backfilled`;
}

/** What the owner hears of Alpaca's feed: gaps and missing data (errors), a silence (an error), its end (info). */
export function dataNotices(ctx: VenueContext, silenceMinutes: number): DataNotices {
  return {
    gap: (gap) => {
      ctx.core.bus.emit('data.gap', gap);
      ctx.notify({ priority: AlertPriority.Error, text: gapAlertText(gap) });
    },
    silent: (since) => {
      ctx.notify({ priority: AlertPriority.Error, text: `⚠️ Market data silent: no bar since ${iso(since)} while the market is open (${silenceMinutes} minutes or more); reconnecting, minutes fetched over REST meanwhile` });
    },
    back: (since) => {
      ctx.notify({ priority: AlertPriority.Info, text: `✅ Market data back: live bars again (silent since ${iso(since)})` });
    },
  };
}
