package dev.fundament.guardrails.eval;

/**
 * Limited-memory BFGS for smooth convex objectives: the quasi-Newton direction from the last
 * {@value #MEMORY} steps (two-loop recursion), a backtracking line search on the Armijo condition,
 * stopping when the gradient is small or after a fixed number of iterations. Deterministic.
 */
final class Lbfgs {

    static final int MEMORY = 10;

    interface Objective {
        /** @return the value at {@code x}; writes the gradient into {@code gradient} */
        double evaluate(double[] x, double[] gradient);
    }

    private Lbfgs() {
    }

    static double[] minimise(Objective f, double[] x, int maxIterations, double tolerance) {
        int n = x.length;
        double[][] s = new double[MEMORY][];
        double[][] y = new double[MEMORY][];
        double[] rho = new double[MEMORY];
        double[] alpha = new double[MEMORY];
        double[] g = new double[n];
        double fx = f.evaluate(x, g);
        int stored = 0;
        int next = 0;
        double[] xNew = new double[n];
        double[] gNew = new double[n];
        for (int iteration = 0; iteration < maxIterations && norm(g) > tolerance; iteration++) {
            double[] d = g.clone();
            for (int k = 0; k < stored; k++) {
                int i = Math.floorMod(next - 1 - k, MEMORY);
                alpha[i] = rho[i] * dot(s[i], d);
                axpy(-alpha[i], y[i], d);
            }
            if (stored > 0) {
                int last = Math.floorMod(next - 1, MEMORY);
                double scale = dot(s[last], y[last]) / dot(y[last], y[last]);
                for (int j = 0; j < n; j++) {
                    d[j] *= scale;
                }
            }
            for (int k = stored - 1; k >= 0; k--) {
                int i = Math.floorMod(next - 1 - k, MEMORY);
                double beta = rho[i] * dot(y[i], d);
                axpy(alpha[i] - beta, s[i], d);
            }
            for (int j = 0; j < n; j++) {
                d[j] = -d[j];
            }
            double slope = dot(g, d);
            if (slope >= 0) {
                // not a descent direction: fall back to steepest descent
                for (int j = 0; j < n; j++) {
                    d[j] = -g[j];
                }
                slope = dot(g, d);
                stored = 0;
            }
            double step = stored == 0 && iteration == 0 ? 1 / Math.max(1e-12, norm(g)) : 1;
            double fNew;
            int tries = 0;
            while (true) {
                for (int j = 0; j < n; j++) {
                    xNew[j] = x[j] + step * d[j];
                }
                fNew = f.evaluate(xNew, gNew);
                if (fNew <= fx + 1e-4 * step * slope || ++tries > 40) {
                    break;
                }
                step /= 2;
            }
            double[] sk = new double[n];
            double[] yk = new double[n];
            for (int j = 0; j < n; j++) {
                sk[j] = xNew[j] - x[j];
                yk[j] = gNew[j] - g[j];
            }
            double sy = dot(sk, yk);
            if (sy > 1e-12) {
                s[next] = sk;
                y[next] = yk;
                rho[next] = 1 / sy;
                next = (next + 1) % MEMORY;
                stored = Math.min(stored + 1, MEMORY);
            }
            System.arraycopy(xNew, 0, x, 0, n);
            System.arraycopy(gNew, 0, g, 0, n);
            if (Math.abs(fx - fNew) < 1e-12 * Math.max(1, Math.abs(fx))) {
                fx = fNew;
                break;
            }
            fx = fNew;
        }
        return x;
    }

    private static double dot(double[] a, double[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += a[i] * b[i];
        }
        return sum;
    }

    private static double norm(double[] a) {
        return Math.sqrt(dot(a, a));
    }

    private static void axpy(double a, double[] x, double[] y) {
        for (int i = 0; i < y.length; i++) {
            y[i] += a * x[i];
        }
    }
}
