using Microsoft.ML.Causal.Data;
using Microsoft.ML.Causal.Evaluation;
using Microsoft.ML.Causal.Learners;
using Microsoft.ML.Causal.Learners.GradientBoosting;
using Microsoft.ML.Causal.Simulation;
using Microsoft.ML.Causal.TestFramework;
using Microsoft.ML.Causal.Trainers;

namespace Microsoft.ML.Causal.Tests.Evaluation;

/// <summary>Doubly robust policy evaluation: exact cases by hand, accuracy against a known truth, and bad inputs.</summary>
public class PolicyEvaluationTests
{
    private static readonly GradientBoostingOptions Small = new() { NumberOfTrees = 60, LearningRate = 0.1, NumberOfLeaves = 7, MinRowsInLeaf = 40 };
    private static readonly PolicyEvaluationOptions Fast = new()
    {
        OutcomeLearner = new GradientBoostingRegressionLearner(Small),
        PropensityLearner = new GradientBoostingClassificationLearner(Small),
        Folds = 3,
    };

    // Four rows by hand: W = (1, 0, 1, 0), Y = (5, 2, 3, 4), μ̂₁ = (4, 4, 2, 2), μ̂₀ = (1, 3, 1, 3), ê₁ = (½, ½, ¼, ¼).
    // Γ = μ̂₁ − μ̂₀ + W(Y − μ̂₁)/ê₁ − (1 − W)(Y − μ̂₀)/(1 − ê₁) = (3 + 2, 1 + 2, 1 + 4, −1 − 4/3) = (5, 3, 5, −7/3).
    private static CateData FourRows(int[]? clusters = null) =>
        new(new FeatureMatrix(new double[] { 0, 1, 2, 3 }, 4, 1), new double[] { 5, 2, 3, 4 }, TreatmentAssignment.FromValues([1, 0, 1, 0]))
        {
            Clusters = clusters ?? ReadOnlyMemory<int>.Empty,
        };

    private static DoublyRobustScores FourRowScores(int[]? clusters = null) =>
        DoublyRobustScores.FromNuisances(FourRows(clusters), [[1, 3, 1, 3], [4, 4, 2, 2]], [[0.5, 0.5, 0.75, 0.75], [0.5, 0.5, 0.25, 0.25]]);

    [Fact]
    public void TheScoresAndGainsOfASmallCaseAreThoseComputedByHand()
    {
        var scores = FourRowScores();
        Assert.Equal([0, 0, 0, 0], scores.ScoresOf("0").ToArray());
        var gamma = scores.ScoresOf("1").ToArray();
        double[] expected = [5, 3, 5, -7.0 / 3];
        for (var i = 0; i < 4; i++)
            Assert.Equal(expected[i], gamma[i], 12);

        // Treat rows 0 and 2. Over no one: d = πΓ = (5, 0, 5, 0), mean 2.5, SE² = Σ(d − 2.5)²/(n(n − 1)) = 25/12.
        var value = scores.EvaluatePolicy([true, false, true, false]);
        Assert.Equal(2.5, value.VersusControl.Estimate, 12);
        Assert.Equal(Math.Sqrt(25.0 / 12), value.VersusControl.StandardError, 12);
        // Over everyone: d = (π − 1)Γ = (0, −3, 0, 7/3), mean −1/6, Σ(d + 1/6)² = (1 + 289 + 1 + 225)/36.
        Assert.Equal(-1.0 / 6, value.VersusTreatEveryone.Estimate, 12);
        Assert.Equal(Math.Sqrt(516.0 / 36 / 12), value.VersusTreatEveryone.StandardError, 12);
        Assert.Same(value.VersusTreatEveryone, value.Versus("1"));
        Assert.Equal([0.5, 0.5], value.Shares.ToArray());
        Assert.Equal(4, value.Count);
        Assert.Equal("given", value.Nuisances);

        // The segment of rows 0 and 1: mean Γ = 4, SE² = ((5 − 4)² + (3 − 4)²)/(2·1) = 1.
        var segment = scores.SubsetEffect([true, true, false, false]);
        Assert.Equal(4, segment.Estimate, 12);
        Assert.Equal(1, segment.StandardError, 12);
        Assert.Equal(2, segment.Count);
    }

    [Fact]
    public void WithClustersTheStandardErrorSumsTheInfluenceWithinClusters()
    {
        // Clusters {0, 2} and {1, 3}: d − θ sums to 2.5 + 2.5 = 5 and −5; SE² = (25 + 25)/n² · C/(C − 1) = 50/16 · 2.
        var value = FourRowScores([0, 1, 0, 1]).EvaluatePolicy([true, false, true, false]);
        Assert.Equal(2.5, value.VersusControl.Estimate, 12);
        Assert.Equal(2.5, value.VersusControl.StandardError, 12);
    }

    [Fact]
    public void ARuleOverSeveralArmsTakesEachRowsScoreAtItsArm()
    {
        // Arms 0 (control), 1, 2; W = (0, 1, 2), Y = (1, 2, 3), μ̂ₐ = a, êₐ = ⅓ everywhere.
        // Γ(1) = 1 + 3·1{W=1}(Y − 1) − 3·1{W=0}Y = (−2, 4, 1); Γ(2) = 2 + 3·1{W=2}(Y − 2) − 3·1{W=0}Y = (−1, 2, 5).
        var data = new CateData(new FeatureMatrix(new double[] { 0, 0, 0 }, 3, 1), new double[] { 1, 2, 3 }, TreatmentAssignment.FromValues([0, 1, 2]));
        double[] third = [1.0 / 3, 1.0 / 3, 1.0 / 3];
        var scores = DoublyRobustScores.FromNuisances(data, [[0, 0, 0], [1, 1, 1], [2, 2, 2]], [third, third, third]);
        var value = scores.EvaluatePolicy(["0", "1", "2"]);
        Assert.Equal(3, value.VersusControl.Estimate, 12);                       // (0 + 4 + 5)/3
        Assert.Equal(Math.Sqrt(14.0 / 6), value.VersusControl.StandardError, 12); // deviations (−3, 1, 2)
        Assert.Equal(2, value.Versus("1").Estimate, 12);                          // (0 + 2, 4 − 4, 5 − 1)/3
        Assert.Equal(1, value.Versus("2").Estimate, 12);                          // (0 + 1, 4 − 2, 5 − 5)/3
        Assert.Equal(value.VersusControl, value.Versus("0"));
        Assert.Equal(value.VersusControl.Estimate, scores.EvaluatePolicy([0, 1, 2]).VersusControl.Estimate);
        Assert.Throws<InvalidOperationException>(() => value.VersusTreatEveryone);
        Assert.Throws<ArgumentException>(() => scores.EvaluatePolicy([true, false, true]));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void OnSimulatedSellersTheEstimatedGainIsWithinFourStandardErrorsOfTheTrueGain(bool knownPropensity)
    {
        var sellers = SellerSimulation.Generate(6000, seed: 21);
        var ctx = new CausalContext(5);
        var features = ctx.Transforms.Featurize("Features", [.. SellerExperiment.CovariateColumns]).Fit(sellers.ToDataView()).Transform(sellers.ToDataView());
        var options = knownPropensity ? Fast with { Propensity = new PropensityOptions { Constant = 0.5 } } : Fast;
        var columns = new CateColumns("gmv_growth", "coaching");
        // Two fixed rules (not learned from these rows): coach new and growing sellers; coach where the true τ(x) > 0.
        bool[][] rules =
        [
            [.. sellers.GmvTier.Select(t => t is "new" or "growing")],
            [.. sellers.TrueEffect.Select(t => t > 0)],
        ];
        var scores = ctx.Cate.ScoreDoublyRobust(features, columns, options);
        foreach (var treat in rules)
        {
            var value = scores.EvaluatePolicy(treat);
            var overNoOne = Enumerable.Range(0, treat.Length).Average(i => treat[i] ? sellers.TrueEffect[i] : 0);
            var overEveryone = Enumerable.Range(0, treat.Length).Average(i => treat[i] ? 0 : -sellers.TrueEffect[i]);
            foreach (var (gain, truth) in new[] { (value.VersusControl, overNoOne), (value.VersusTreatEveryone, overEveryone) })
            {
                Assert.True(double.IsFinite(gain.StandardError) && gain.StandardError > 0, $"SE {gain.StandardError}");
                Assert.True(Math.Abs(gain.Estimate - truth) <= 4 * gain.StandardError, $"{gain}: true gain {truth:F3}");
            }
        }
    }

    [Fact]
    public void TheCatalogEvaluatesARuleAsTheScoresDoWithTheSameSeed()
    {
        var ctx = new CausalContext(3);
        var sellers = SellerSimulation.Generate(1500, seed: 4);
        var data = ctx.Transforms.Featurize("Features", [.. SellerExperiment.CovariateColumns]).Fit(sellers.ToDataView()).Transform(sellers.ToDataView());
        var columns = new CateColumns("gmv_growth", "coaching");
        var options = Fast with { Seed = 17 };
        var treat = sellers.GmvTier.Select(t => t == "new").ToArray();
        var direct = ctx.Cate.EvaluatePolicy(data, treat, columns, options);
        var viaScores = ctx.Cate.ScoreDoublyRobust(data, columns, options).EvaluatePolicy(treat);
        Assert.Equal(direct.VersusControl, viaScores.VersusControl);
        Assert.Equal(direct.VersusTreatEveryone, viaScores.VersusTreatEveryone);
        var byName = ctx.Cate.EvaluatePolicy(data, treat.Select(t => t ? "true" : "false").ToArray(), columns, options);
        Assert.Equal(direct.VersusControl, byName.VersusControl);
        Assert.Contains("cross-fitted on the 1,500 evaluation rows in 3 folds", direct.Nuisances);
    }

    [Fact]
    public void ANaNOutcomeIsRejectedNamingTheColumnAndRow()
    {
        var ctx = new CausalContext(1);
        var sellers = SellerSimulation.Generate(300, seed: 6);
        var bad = TestTables.WithValue(sellers.ToDataView(), "gmv_growth", 42, double.NaN);
        var data = ctx.Transforms.Featurize("Features", [.. SellerExperiment.CovariateColumns]).Fit(bad).Transform(bad);
        var error = Assert.Throws<DataValidationException>(() => ctx.Cate.EvaluatePolicy(data, new bool[300], new CateColumns("gmv_growth", "coaching"), Fast));
        Assert.Equal("gmv_growth", error.ColumnName);
        Assert.Equal(42, error.Row);
    }

    [Fact]
    public void APolicyOfTheWrongLengthOrWithUnknownArmsIsRejectedClearly()
    {
        var scores = FourRowScores();
        var error = Assert.Throws<ArgumentException>(() => scores.EvaluatePolicy([true, false, true]));
        Assert.Contains("3 arms for 4 rows", error.Message);
        Assert.Contains("row 1", Assert.Throws<ArgumentException>(() => scores.EvaluatePolicy([0, 7, 0, 0])).Message);
        Assert.Contains("'sms'", Assert.Throws<ArgumentException>(() => scores.EvaluatePolicy(["0", "1", "sms", "0"])).Message);
        Assert.Throws<ArgumentException>(() => scores.SubsetEffect([true]));
        Assert.Throws<ArgumentException>(() => scores.SubsetEffect([true, false, false, false]));

        var ctx = new CausalContext(1);
        var sellers = SellerSimulation.Generate(200, seed: 6);
        var data = ctx.Transforms.Featurize("Features", [.. SellerExperiment.CovariateColumns]).Fit(sellers.ToDataView()).Transform(sellers.ToDataView());
        var viaCatalog = Assert.Throws<ArgumentException>(() => ctx.Cate.EvaluatePolicy(data, new bool[199], new CateColumns("gmv_growth", "coaching"), Fast));
        Assert.Contains("199 entries for 200 rows", viaCatalog.Message);
    }

    [Fact]
    public void GivenNuisancesMustBeUsableAndTheTreatmentDiscrete()
    {
        var data = FourRows();
        var zero = Assert.Throws<DataValidationException>(() =>
            DoublyRobustScores.FromNuisances(data, [[1, 3, 1, 3], [4, 4, 2, 2]], [[0.5, 0.5, 1, 0.75], [0.5, 0.5, 0, 0.25]]));
        Assert.Equal(2, zero.Row);
        Assert.Throws<ArgumentException>(() => DoublyRobustScores.FromNuisances(data, [[1, 3, 1, 3]], [[0.5, 0.5, 0.5, 0.5]]));
        Assert.Throws<ArgumentException>(() => DoublyRobustScores.FromNuisances(data, [[1, 3, 1], [4, 4, 2]], [[0.5, 0.5, 0.5], [0.5, 0.5, 0.5]]));
        var dose = new CateData(new FeatureMatrix(new double[] { 0, 1, 2, 3 }, 4, 1), new double[] { 5, 2, 3, 4 }, TreatmentAssignment.Continuous([0.1, 0.5, 0.9, 0.3]));
        Assert.Throws<DataValidationException>(() => DoublyRobustScores.CrossFit(dose));
    }
}
