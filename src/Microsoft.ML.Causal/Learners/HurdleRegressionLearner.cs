using Microsoft.ML.Causal.Persistence;

namespace Microsoft.ML.Causal.Learners;

/// <summary>
/// A two-part (hurdle) regression for a non-negative label that is often exactly 0, such as spend or gross profit per
/// customer: E[y | x] = P(y &gt; 0 | x) · E[y | y &gt; 0, x]. A classifier fits whether the label is positive on every row;
/// a regressor fits the label on the positive rows only. Each part sees a simpler target than E[y | x] itself (a
/// probability, and an amount without the mass of zeros), which helps when the zeros and the amounts respond to the
/// features differently.
/// </summary>
/// <remarks>
/// Weights, when given, weight both parts. Labels must be finite and ≥ 0, with at least one zero and at least
/// <c>minimumPositiveRows</c> positive rows among those fitted on.
/// </remarks>
public sealed class HurdleRegressionLearner : IRegressionLearner
{
    /// <summary>Creates the learner from its two parts.</summary>
    /// <param name="occurrence">Fits P(y &gt; 0 | x) on labels 1[y &gt; 0] of every row.</param>
    /// <param name="amount">Fits E[y | y &gt; 0, x] on the positive rows.</param>
    /// <param name="minimumPositiveRows">The fewest positive rows the amount model may be fitted on (default 20; ≥ 1).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="minimumPositiveRows"/> is below 1.</exception>
    public HurdleRegressionLearner(IClassificationLearner occurrence, IRegressionLearner amount, int minimumPositiveRows = 20)
    {
        ArgumentNullException.ThrowIfNull(occurrence);
        ArgumentNullException.ThrowIfNull(amount);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(minimumPositiveRows);
        Occurrence = occurrence;
        Amount = amount;
        MinimumPositiveRows = minimumPositiveRows;
    }

    /// <summary>The learner of P(y &gt; 0 | x).</summary>
    public IClassificationLearner Occurrence { get; }

    /// <summary>The learner of E[y | y &gt; 0, x].</summary>
    public IRegressionLearner Amount { get; }

    /// <summary>The fewest positive rows the amount model may be fitted on.</summary>
    public int MinimumPositiveRows { get; }

    /// <inheritdoc />
    /// <exception cref="DataValidationException">A label is negative or not finite (the message names the row), there is no zero label, or fewer positive rows than <see cref="MinimumPositiveRows"/>.</exception>
    public IRegressionModel Fit(TrainingSet data, FitContext? context = null)
    {
        const string name = nameof(HurdleRegressionLearner);
        TrainingSetChecks.Check(data, name, 1);
        context ??= FitContext.Default;
        var labels = data.Labels.Span;
        var occurs = new double[data.Features.RowCount];
        var positive = new List<int>();
        for (var i = 0; i < data.Count; i++)
        {
            var r = data.RowAt(i);
            if (labels[r] < 0)
            {
                throw new DataValidationException(name, data.LabelColumnName, r, $"the label is {labels[r]}; a hurdle model needs labels ≥ 0 (0 = no occurrence).",
                    "Shift the label so that 'nothing happened' is 0 (e.g. gross profit before a fixed cost), or use a plain regression learner.");
            }
            if (labels[r] > 0)
            {
                occurs[r] = 1;
                positive.Add(r);
            }
        }
        if (positive.Count == data.Count)
        {
            throw new DataValidationException(name, data.LabelColumnName, null, "no label is 0, so there is no hurdle to model.",
                "Use a plain regression learner for a label that is always positive.");
        }
        if (positive.Count < MinimumPositiveRows)
        {
            throw new DataValidationException(name, data.LabelColumnName, null,
                $"only {positive.Count} labels are positive; the amount model needs at least {MinimumPositiveRows}.", "Pass more rows, or lower minimumPositiveRows.");
        }
        var occurrence = Occurrence.Fit(data with { Labels = occurs }, context);
        var amount = Amount.Fit(data with { Rows = positive.ToArray() }, context with { Seed = CausalContext.DeriveSeed(context.Seed, 1) });
        return new HurdleRegressionModel(occurrence, amount);
    }
}

/// <summary>A fitted hurdle model: prediction = P̂(y &gt; 0 | x) · Ê[y | y &gt; 0, x].</summary>
public sealed class HurdleRegressionModel : IRegressionModel
{
    internal const string LoaderName = "HurdleRegression";
    internal const int Version = 1;

    internal HurdleRegressionModel(IProbabilityModel occurrence, IRegressionModel amount)
    {
        if (occurrence.FeatureCount != amount.FeatureCount)
            throw new ArgumentException($"The occurrence model reads {occurrence.FeatureCount} features; the amount model {amount.FeatureCount}.", nameof(amount));
        Occurrence = occurrence;
        Amount = amount;
    }

    /// <summary>The model of P(y &gt; 0 | x).</summary>
    public IProbabilityModel Occurrence { get; }

    /// <summary>The model of E[y | y &gt; 0, x].</summary>
    public IRegressionModel Amount { get; }

    /// <inheritdoc />
    public int FeatureCount => Occurrence.FeatureCount;

    /// <inheritdoc />
    public string ComponentName => LoaderName;

    /// <inheritdoc />
    public int ComponentVersion => Version;

    /// <inheritdoc />
    public double Predict(ReadOnlySpan<double> features) => Occurrence.PredictProbability(features) * Amount.Predict(features);

    /// <inheritdoc />
    public void Save(IModelWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteModel(Occurrence);
        writer.WriteModel(Amount);
    }

    internal static HurdleRegressionModel Load(IModelReader reader)
    {
        var occurrence = reader.ReadModel<IProbabilityModel>();
        var amount = reader.ReadModel<IRegressionModel>();
        if (occurrence.FeatureCount != amount.FeatureCount)
            throw new ModelFileException("The model file is corrupt: the hurdle model's two parts read different numbers of features.");
        return new HurdleRegressionModel(occurrence, amount);
    }
}
