package example.proactivecare.population;

import java.util.SplittableRandom;

/** Seeding and the few distributions the generator draws from, all on {@link SplittableRandom}. */
final class Randoms {

    private static final double[] LN_FACTORIAL = new double[1024];

    static {
        for (int k = 1; k < LN_FACTORIAL.length; k++) {
            LN_FACTORIAL[k] = LN_FACTORIAL[k - 1] + Math.log(k);
        }
    }

    private Randoms() {}

    /**
     * A well-mixed 64-bit seed from the run's seed and a stream number (a patient index, or a fixed number for the
     * organisation structure): SplitMix64's finaliser, so neighbouring indexes give unrelated streams.
     */
    static long mix(long seed, long stream) {
        long z = seed * 0x9E3779B97F4A7C15L + stream * 0xD1B54A32D192ED03L + 0x632BE59BD9B4E019L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    static SplittableRandom stream(long seed, long stream) {
        return new SplittableRandom(mix(seed, stream));
    }

    /** A Poisson count: multiplication for small means, Hörmann's PTRS transformed rejection for large ones. */
    static int poisson(SplittableRandom random, double mean) {
        if (!(mean > 0)) {
            return 0;
        }
        if (mean < 30) {
            double limit = Math.exp(-mean);
            double product = random.nextDouble();
            int count = 0;
            while (product > limit) {
                count++;
                product *= random.nextDouble();
            }
            return count;
        }
        double slam = Math.sqrt(mean);
        double logMean = Math.log(mean);
        double b = 0.931 + 2.53 * slam;
        double a = -0.059 + 0.02483 * b;
        double invAlpha = 1.1239 + 1.1328 / (b - 3.4);
        double vr = 0.9277 - 3.6224 / (b - 2);
        while (true) {
            double u = random.nextDouble() - 0.5;
            double v = random.nextDouble();
            double us = 0.5 - Math.abs(u);
            long k = (long) Math.floor((2 * a / us + b) * u + mean + 0.43);
            if (us >= 0.07 && v <= vr) {
                return (int) k;
            }
            if (k < 0 || (us < 0.013 && v > us)) {
                continue;
            }
            if (Math.log(v) + Math.log(invAlpha) - Math.log(a / (us * us) + b)
                    <= -mean + k * logMean - lnFactorial(k)) {
                return (int) k;
            }
        }
    }

    static double lnFactorial(long k) {
        if (k < LN_FACTORIAL.length) {
            return LN_FACTORIAL[(int) k];
        }
        double x = k + 1.0; // Stirling's series for ln Γ(x)
        return (x - 0.5) * Math.log(x) - x + 0.5 * Math.log(2 * Math.PI) + 1 / (12 * x) - 1 / (360 * x * x * x);
    }

    /** A lognormal factor with mean 1: exp(σz − σ²/2) for a standard normal z. */
    static double meanOneLognormal(double sigma, double z) {
        return Math.exp(sigma * z - sigma * sigma / 2);
    }

    /** A draw from the weights, by index. */
    static int pick(SplittableRandom random, double[] weights, double total) {
        double target = random.nextDouble() * total;
        for (int i = 0; i < weights.length; i++) {
            target -= weights[i];
            if (target < 0) {
                return i;
            }
        }
        return weights.length - 1;
    }

    static double sum(double[] values) {
        double total = 0;
        for (double value : values) {
            total += value;
        }
        return total;
    }

    /** A uniform whole number in [from, to], both included. */
    static int between(SplittableRandom random, int from, int to) {
        return to <= from ? from : from + random.nextInt(to - from + 1);
    }
}
