namespace Microsoft.ML.Causal.Forests.Splitting;

/// <summary>A chosen split: rows whose bin of <paramref name="Feature"/> is ≤ <paramref name="Bin"/> go left; missing values go left when <paramref name="MissingLeft"/>.</summary>
internal readonly record struct Split(int Feature, int Bin, bool MissingLeft, double Gain);
