namespace Microsoft.ML.Causal.Transforms;

/// <summary>What one-hot encoding does with a category not seen during fitting.</summary>
public enum UnseenCategoryHandling
{
    /// <summary>Encode it as all zeros, like a missing value (the default; scoring never fails on new categories).</summary>
    AllZero,
    /// <summary>Raise <see cref="DataValidationException"/> naming the column, row and value.</summary>
    Error,
}
