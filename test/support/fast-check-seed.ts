/**
 * Every property test of a run draws from one seed, so that a run on an unchanged tree is repeatable and a red
 * CI run is a real failure. The seed is FC_SEED when it is a number, a fresh random one with FC_SEED=random (to
 * explore; the seed is printed so that a failure can be replayed), and FIXED_SEED otherwise. fast-check's
 * failure message carries the seed, the path and the counterexample; the seed is also printed at the start.
 */
import fc from 'fast-check';

export const FIXED_SEED = 20_261_204;

export function seedFrom(value: string | undefined, random: () => number = Math.random): number {
  if (value === undefined || value.trim() === '') return FIXED_SEED;
  if (value === 'random') return Math.floor(random() * 0x7fff_ffff);
  const seed = Number(value);
  if (!Number.isSafeInteger(seed))
    throw new Error(`FC_SEED has the value "${value}": a whole number or random`);
  return seed;
}

const seed = seedFrom(process.env.FC_SEED);
fc.configureGlobal({ seed });
if (seed !== FIXED_SEED) process.stdout.write(`fast-check seed ${seed} (replay with FC_SEED=${seed})\n`);
