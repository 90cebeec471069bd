/**
 * An error the emulator answers with, as Alpaca answers: an HTTP status and a JSON body
 * `{code, message}` with Alpaca's 8-digit code (40110000 unauthorized, 40310000 forbidden,
 * 40410000 not found, 42210000 unprocessable, 40010001 invalid input, 42910000 rate limit).
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
    readonly extra: Readonly<Record<string, unknown>> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }

  body(): Record<string, unknown> {
    return { ...this.extra, code: this.code, message: this.message };
  }
}

export const AlpacaCode = {
  Invalid: 40010001,
  Unauthorized: 40110000,
  Forbidden: 40310000,
  NotFound: 40410000,
  Unprocessable: 42210000,
  RateLimited: 42910000,
  Internal: 50010000,
} as const;

export const invalid = (message: string): ApiError => new ApiError(422, AlpacaCode.Invalid, message);
export const notFound = (message: string): ApiError => new ApiError(404, AlpacaCode.NotFound, message);
