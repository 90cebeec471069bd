import { EventEmitter } from 'node:events';

/** Alpaca's stock stream as the SDK presents it: authenticated, subscribed, then the bars the test sends. */
export class FakeStream extends EventEmitter {
  onBar(fn: (b: unknown) => void): void {
    this.on('bar', fn);
  }
  onUpdatedBar(): void {}
  onError(): void {}
  onDisconnect(): void {}
  onReconnected(): void {}
  connect(): void {}
  disconnect(): void {}
  waitForAuthenticationResult(): Promise<{ authenticated: boolean }> {
    return Promise.resolve({ authenticated: true });
  }
  subscribeForBars(): void {}
  subscribeForUpdatedBars(): void {
    queueMicrotask(() => this.emit('subscription'));
  }
  /** A `b` message: the minute starting at `start`. */
  bar(symbol: string, start: number, close: number): void {
    this.emit('bar', { symbol, timestamp: new Date(start), open: close, high: close, low: close, close, volume: 100 });
  }
}
