namespace Microsoft.ML.Causal.Learners;

/// <summary>What every model does with one row of features before and while scoring it.</summary>
internal static class FeatureRow
{
    /// <summary>Rejects a row whose length is not the model's feature count.</summary>
    public static void Check(int expected, ReadOnlySpan<double> features)
    {
        if (features.Length != expected)
            throw new ArgumentException($"The model expects {expected} features; the row has {features.Length}.", nameof(features));
    }

    /// <summary>b0 + xᵀβ, after checking the row's length.</summary>
    public static double Linear(double intercept, ReadOnlySpan<double> coefficients, ReadOnlySpan<double> features)
    {
        Check(coefficients.Length, features);
        var s = intercept;
        for (var j = 0; j < coefficients.Length; j++)
            s += coefficients[j] * features[j];
        return s;
    }
}
