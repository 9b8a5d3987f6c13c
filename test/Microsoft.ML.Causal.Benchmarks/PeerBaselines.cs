namespace Microsoft.ML.Causal.Benchmarks;

/// <summary>
/// The peers' figures the CATE harnesses print next to ours, copied from the project's shared notes: grf 2.6.1 and
/// EconML 0.15.1 on their own draws of the same designs (<c>docs/peer-baselines.md</c>, 2-core machine,
/// 2026-11-22) and the boosting table of Nie and Wager's R-learner paper (<c>docs/algorithms.md</c> §7.1).
/// Missing entries are NaN.
/// </summary>
internal static class PeerBaselines
{
    /// <summary>Test RMSE of τ̂: grf causal forest, EconML CausalForestDML, X-, S-, T- and DR-learner (EconML, HistGradientBoosting).</summary>
    public static readonly Dictionary<(string Design, int Rows), (double Grf, double CfDml, double X, double S, double T, double Dr)> Rmse = new()
    {
        [("A", 2000)] = (0.207, 0.212, 0.457, 0.350, 0.651, 27.7),
        [("A", 10000)] = (0.124, 0.134, 0.274, 0.181, 0.382, 0.899),
        [("B", 2000)] = (0.451, 0.429, 0.488, 0.494, 0.706, 1.96),
        [("B", 10000)] = (0.206, 0.209, 0.256, 0.300, 0.429, 0.441),
        [("C", 2000)] = (0.129, 0.101, 0.540, 0.470, 0.864, 11.4),
        [("C", 10000)] = (0.067, 0.074, 0.262, 0.263, 0.518, 1.06),
        [("D", 2000)] = (0.848, 0.819, 0.668, 0.667, 0.714, 12.4),
        [("D", 10000)] = (0.610, 0.586, 0.392, 0.391, 0.421, 0.882),
        [("WA", 2000)] = (0.225, 0.284, 0.438, 0.384, 0.587, 1.89),
        [("WA", 10000)] = (0.097, 0.111, 0.254, 0.209, 0.367, 0.473),
        [("WA", 100000)] = (0.067, 0.073, 0.070, 0.077, 0.092, 0.092),
        [("A", 100000)] = (double.NaN, double.NaN, 0.072, 0.123, 0.146, 0.114),
        [("B", 100000)] = (double.NaN, double.NaN, 0.103, 0.196, 0.231, 0.122),
        [("C", 100000)] = (double.NaN, double.NaN, 0.056, 0.153, 0.287, 0.080),
        [("D", 100000)] = (double.NaN, double.NaN, 0.210, 0.247, 0.171, 0.252),
    };

    /// <summary>EconML fit seconds on WA (2 threads): X-learner and DR-learner.</summary>
    public static readonly Dictionary<int, (double X, double Dr)> WagerAtheyFitSeconds = new()
    {
        [2000] = (1.3, 1.3),
        [10000] = (1.4, 1.9),
        [100000] = (1.5, 1.8),
    };

    /// <summary>Nie–Wager's boosting MSEs at σ = 1 (S, T, X, R), by setup, n and d.</summary>
    public static readonly Dictionary<(string Design, int Rows, int Dimensions), (double S, double T, double X, double R)> NieWagerBoostingMse = new()
    {
        [("A", 500, 6)] = (0.12, 0.20, 0.08, 0.06),
        [("A", 1000, 12)] = (0.09, 0.16, 0.05, 0.05),
        [("B", 500, 6)] = (0.33, 0.48, 0.27, 0.33),
        [("C", 500, 6)] = (0.46, 0.97, 0.23, 0.15),
        [("D", 500, 6)] = (0.55, 0.53, 0.57, 0.66),
    };
}
