/**
 * A seeded pseudo-random source (mulberry32): the same seed gives the same sequence, so a simulated
 * run (partial fills, quote sizes) can be replayed exactly. Returns numbers in [0, 1).
 */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A version-4-shaped UUID drawn from `random` (reproducible, unlike crypto.randomUUID). */
export function seededUuid(random: () => number): string {
  let hex = '';
  for (let i = 0; i < 32; i++) {
    let d = Math.floor(random() * 16);
    if (i === 12) d = 4;
    else if (i === 16) d = 8 + (d & 3);
    hex += d.toString(16);
  }
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
