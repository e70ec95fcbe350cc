/** A random source in [0, 1): `Math.random` or a seeded generator. */
export type RandomSource = () => number;

/**
 * A small deterministic PRNG (mulberry32): the same seed gives the same sequence, so
 * a demo fleet, a benchmark data set or a test load can be reproduced exactly.
 */
export function seededRandom(seed: number): RandomSource {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** An integer in [0, n). */
export function randomInt(random: RandomSource, n: number): number {
  return Math.floor(random() * n);
}

export function pick<T>(random: RandomSource, items: readonly T[]): T {
  return items[randomInt(random, items.length)] as T;
}
