/** The signals that ask a long-running command (the daemon, the emulator) to stop gracefully. */
const STOP_SIGNALS = ['SIGINT', 'SIGTERM'] as const;

export type StopSignal = (typeof STOP_SIGNALS)[number];

/**
 * Calls `stop` on the first SIGINT or SIGTERM, and swallows the ones after it while the stop runs.
 * One Ctrl+C under `npm start` arrives twice: the terminal sends SIGINT to the whole foreground
 * process group (npm and the daemon), and npm forwards its own copy to the script it runs. Without a
 * listener, that second SIGINT would kill the daemon half way through its final save (and npm then
 * exits 130). The stop's own hard timeout ends a stop that hangs. Returns a function that removes
 * the listeners.
 */
export function onStopSignal(stop: (signal: StopSignal) => void): () => void {
  let stopping = false;
  const listeners = STOP_SIGNALS.map((signal) => {
    const listener = (): void => {
      if (stopping) return;
      stopping = true;
      stop(signal);
    };
    process.on(signal, listener);
    return [signal, listener] as const;
  });
  return () => {
    for (const [signal, listener] of listeners) process.off(signal, listener);
  };
}
