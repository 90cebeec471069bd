/**
 * An error as plain data for the log: name, message, stack, and the primitive fields that say what
 * happened (an HTTP status, Alpaca's error code, a retry delay, a system error code); its cause the
 * same way. Objects it carries (the SDK's errors hold the fetch `Response`) are left out: walking
 * them for redaction can throw (a `Response` getter read off its prototype), and a log line must
 * never crash the daemon.
 */
export function safeError(value: unknown, depth = 0): unknown {
  if (!(value instanceof Error)) return value !== null && typeof value === 'object' ? String(value) : value;
  const out: Record<string, unknown> = { type: value.name, message: value.message, stack: value.stack };
  for (const [k, v] of Object.entries(value)) {
    if (v === null || ['string', 'number', 'boolean'].includes(typeof v)) out[k] = v;
  }
  if (value.cause !== undefined && depth < 3) out['cause'] = safeError(value.cause, depth + 1);
  return out;
}
