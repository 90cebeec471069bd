/**
 * Typed errors with stable codes. Callers branch on the class or `code`, never on the message.
 * `UserError`s are the user's to fix (bad config, bad CSV, bad flag): the CLI prints their message
 * without a stack trace and exits non-zero.
 */
export abstract class AppError extends Error {
  abstract readonly code: string;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** An error in what the user gave us: configuration, environment, data files, command line. */
export abstract class UserError extends AppError {}

export class ConfigError extends UserError {
  readonly code = 'CONFIG_INVALID';
}

export class CliError extends UserError {
  readonly code = 'CLI_INVALID';
}

/** A module of the user's strategies folder cannot be used: it does not compile, load, or export what a strategy needs. */
export class StrategyModuleError extends UserError {
  readonly code = 'STRATEGY_MODULE_INVALID';
}

/** The daemon cannot start in this place: another one runs on the same state directory. */
export class AlreadyRunningError extends UserError {
  readonly code = 'ALREADY_RUNNING';
}

/** A data file that cannot be used; the message names the file and, where known, the line. */
export class DataError extends UserError {
  readonly code = 'DATA_INVALID';
  constructor(
    message: string,
    readonly file: string,
    readonly line?: number,
    options?: { cause?: unknown },
  ) {
    super(line === undefined ? `${file}: ${message}` : `${file}:${line}: ${message}`, options);
  }
}

/** The broker said no (an HTTP 4xx from Alpaca, or the simulator's own rules). */
export class BrokerRejectError extends AppError {
  readonly code = 'BROKER_REJECTED';
  constructor(
    message: string,
    readonly status: number,
    readonly brokerCode: string | number | null,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The broker could not be reached or did not answer (timeout, connection cut, 5xx): the request's fate is unknown. */
export class BrokerNetworkError extends AppError {
  readonly code = 'BROKER_UNREACHABLE';
}

/** The broker answered something the daemon cannot use (a field missing or malformed); the message names it. */
export class BrokerPayloadError extends AppError {
  readonly code = 'BROKER_PAYLOAD_INVALID';
}

/** The RiskGate refused an intent; `rule` names the rule that refused it. */
export class RiskDenied extends AppError {
  readonly code = 'RISK_DENIED';
  constructor(
    readonly rule: string,
    message: string,
  ) {
    super(message);
  }
}

/** Something that must never happen happened (NaN price, negative cash, books that disagree): stop trading. */
export class InvariantError extends AppError {
  readonly code = 'INVARIANT_BROKEN';
}
