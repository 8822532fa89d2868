package io.natalia.oxo.traffic;

/** Derives independent random seeds from a seed and a key, such as a day number. */
final class Mixing {

  private Mixing() {}

  /** Returns a well-spread 64-bit value of {@code seed} and {@code key} (SplitMix64 finalizer). */
  static long mix(long seed, long key) {
    long z = seed + 0x9E3779B97F4A7C15L * (key + 1);
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
