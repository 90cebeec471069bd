/**
 * Whether npm printed its run-script banner (`> alpaca-paper-daemon@0.1.0 status` and the command)
 * on this process's stdout before it started: under `npm run` (npm_lifecycle_event is set), unless
 * npm was silenced (`-s`, `--loglevel silent`: it then exports npm_config_loglevel=silent) or runs
 * with `--json` (npm 11 then prints banners on stderr). A JSON reader on the pipe chokes on it.
 */
export function npmBannerOnStdout(env: Readonly<Record<string, string | undefined>>): boolean {
  return env['npm_lifecycle_event'] !== undefined && env['npm_config_loglevel'] !== 'silent' && env['npm_config_json'] !== 'true';
}
