import { z } from 'zod';
import { invalid } from '../http/ApiError.js';

/**
 * The account's configurations (GET/PATCH /v2/account/configurations), Alpaca's fields. The emulated
 * account honours `suspend_trade` (new orders refused) and `fractional_trading` (fractional and
 * notional orders refused when false); the PDT and DTBP checks and the confirmation e-mails are kept
 * but have nothing to act on. It is a cash account that cannot short: `no_shorting` stays true,
 * `max_margin_multiplier` "1", options level 0 (a PATCH asking otherwise is refused with a 422).
 */
export interface AccountConfigurations {
  dtbp_check: 'both' | 'entry' | 'exit';
  trade_confirm_email: 'all' | 'none';
  suspend_trade: boolean;
  no_shorting: boolean;
  fractional_trading: boolean;
  max_margin_multiplier: string;
  max_options_trading_level: number;
  pdt_check: 'both' | 'entry' | 'exit';
  ptp_no_exception_entry: boolean;
  disable_overnight_trading: boolean;
}

export function defaultConfigurations(): AccountConfigurations {
  return {
    dtbp_check: 'entry',
    trade_confirm_email: 'all',
    suspend_trade: false,
    no_shorting: true,
    fractional_trading: true,
    max_margin_multiplier: '1',
    max_options_trading_level: 0,
    pdt_check: 'entry',
    ptp_no_exception_entry: false,
    disable_overnight_trading: false,
  };
}

const check = z.enum(['both', 'entry', 'exit']);
const patchSchema = z.strictObject({
  dtbp_check: check.optional(),
  trade_confirm_email: z.enum(['all', 'none']).optional(),
  suspend_trade: z.boolean().optional(),
  no_shorting: z.literal(true, { error: 'the emulated account cannot short: no_shorting stays true' }).optional(),
  fractional_trading: z.boolean().optional(),
  max_margin_multiplier: z.literal('1', { error: 'the emulated account is a cash account: max_margin_multiplier stays "1"' }).optional(),
  max_options_trading_level: z.literal(0, { error: 'options are not simulated: max_options_trading_level stays 0' }).optional(),
  pdt_check: check.optional(),
  ptp_no_exception_entry: z.boolean().optional(),
  disable_overnight_trading: z.boolean().optional(),
});

/** Applies a PATCH body, or throws a 422 naming the first field refused (nothing is changed then). */
export function patchConfigurations(current: AccountConfigurations, body: unknown): void {
  const r = patchSchema.safeParse(body ?? {});
  if (!r.success) {
    const issue = r.error.issues[0]!;
    const field = issue.path.join('.') || (issue.code === 'unrecognized_keys' ? issue.keys.join(', ') : 'body');
    throw invalid(`invalid ${field}: ${issue.message}`);
  }
  Object.assign(current, Object.fromEntries(Object.entries(r.data).filter(([, v]) => v !== undefined)));
}
