/**
 * What the daemon prints on stdout besides the log file (`logging.console`):
 * - `pretty`: one short readable line per event (wall time, market time when it is not the wall
 *   time, level, component, message; the fields only at debug level), colours on a terminal;
 * - `journal`: for a service whose stdout is the systemd journal: warnings and errors only, each
 *   one line with its syslog priority (`<4>`), no time (the journal stamps it); the file has the rest;
 * - `json`: the file's JSON lines (a container's log collector);
 * - `off`: nothing but the start-up banner;
 * - `auto`: `pretty` on a terminal; `journal` when started by systemd (INVOCATION_ID or
 *   JOURNAL_STREAM set) and stdout is not a terminal; otherwise (a pipe, a file, nohup) `pretty`
 *   without colours.
 */
export const ConsoleMode = { Auto: 'auto', Pretty: 'pretty', Journal: 'journal', Json: 'json', Off: 'off' } as const;
export type ConsoleMode = (typeof ConsoleMode)[keyof typeof ConsoleMode];
export type ConsoleFormat = Exclude<ConsoleMode, 'auto'>;

export const consoleModes = Object.values(ConsoleMode) as [ConsoleMode, ...ConsoleMode[]];

/** Where stdout goes, as far as the choice of console format cares. */
export interface ConsoleSurroundings {
  readonly isTty: boolean;
  readonly env: Readonly<Record<string, string | undefined>>;
}

/** The format `mode` stands for here (see ConsoleMode for the rule of `auto`). */
export function resolveConsoleMode(mode: ConsoleMode, s: ConsoleSurroundings): ConsoleFormat {
  if (mode !== ConsoleMode.Auto) return mode;
  if (s.isTty) return ConsoleMode.Pretty;
  const underSystemd = (s.env['INVOCATION_ID'] ?? '') !== '' || (s.env['JOURNAL_STREAM'] ?? '') !== '';
  return underSystemd ? ConsoleMode.Journal : ConsoleMode.Pretty;
}
