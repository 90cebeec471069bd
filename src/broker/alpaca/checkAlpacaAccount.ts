import { errors, type Alpaca } from '@alpacahq/alpaca-trade-api';
import type { AlpacaEnv } from '../../config/env.js';
import { BrokerNetworkError, ConfigError } from '../../core/errors.js';
import { readPatiently, type Patience } from './readPatiently.js';

export interface AlpacaAccountSummary {
  readonly accountNumber: string;
  readonly status: string;
  readonly cash: number;
  readonly equity: number;
  readonly buyingPower: number;
}

/**
 * Checks the keys and the account before anything trades: a clear message for refused keys (401),
 * forbidden access (403), an unreachable server, and an account that is not active or is blocked.
 */
export async function checkAlpacaAccount(client: Alpaca, env: AlpacaEnv, patience?: Patience): Promise<AlpacaAccountSummary> {
  let a;
  try {
    // The daemon's start waits out a 429 or a 5xx (patience); `npm run check` answers at once.
    a = await (patience === undefined ? client.trading.account.getAccount() : readPatiently(() => client.trading.account.getAccount(), patience));
  } catch (error) {
    if (error instanceof errors.AuthError) {
      throw new ConfigError(
        `ALPACA_API_KEY / ALPACA_SECRET_KEY: ${env.baseUrl} refused them (401 ${String(error.code ?? '')} ${error.message}): check the keys, and that paper keys go with the paper URL (live keys with the live one)`,
        { cause: error },
      );
    }
    if (error instanceof errors.PermissionError) throw new ConfigError(`ALPACA_API_KEY: ${env.baseUrl} forbids this account (403): ${error.message}`, { cause: error });
    if (error instanceof errors.ApiError) throw new BrokerNetworkError(`${env.baseUrl} answered ${error.status} to GET /v2/account: ${error.message}`, { cause: error });
    throw new BrokerNetworkError(`cannot reach ${env.baseUrl}: ${error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error)}`, { cause: error });
  }
  const status = String(a.status ?? 'unknown');
  if (status !== 'ACTIVE') throw new ConfigError(`the Alpaca account ${a.accountNumber ?? ''} is ${status}, not ACTIVE: it cannot trade`);
  if (a.accountBlocked === true || a.tradingBlocked === true) throw new ConfigError(`the Alpaca account ${a.accountNumber ?? ''} is blocked (${a.accountBlocked === true ? 'account_blocked' : 'trading_blocked'}): see the Alpaca dashboard`);
  const n = (x: string | undefined, field: string): number => {
    const v = Number(x);
    if (x === undefined || !Number.isFinite(v)) throw new BrokerNetworkError(`account from Alpaca: ${field} is not a decimal`);
    return v;
  };
  return { accountNumber: String(a.accountNumber ?? ''), status, cash: n(a.cash, 'cash'), equity: n(a.equity, 'equity'), buyingPower: n(a.buyingPower, 'buying_power') };
}
