using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Microsoft.ML.Causal.Data;

namespace Microsoft.ML.Causal.Tests.Data;

/// <summary>Text made of the characters that trouble CSV readers.</summary>
public sealed record CsvText(string Text, bool HasHeader, bool AllowQuoting, char Separator);

/// <summary>Generators of troublesome CSV text.</summary>
public static class CsvArbitraries
{
    private static readonly string[] Tokens =
    [
        ",", ";", "\t", "\"", "\"\"", "\n", "\r\n", "\r", " ", "a", "b", "x y", "1", "-2.5", "1e308", "1e999", "NaN", "-Infinity",
        "1,5", "true", "FALSE", "0", "\u00e9", "\u20ac", "\ufeff", "\0", "", "é\"\"", "12345678901234567890",
    ];

    /// <summary>Random token soups with random loader settings.</summary>
    public static Arbitrary<CsvText> Text() =>
        Gen.Elements(Tokens).ArrayOf().Select(string.Concat)
            .Zip(Gen.Elements(true, false).Two().Zip(Gen.Elements(',', ';', '\t')))
            .Select(t => new CsvText(t.Item1, t.Item2.Item1.Item1, t.Item2.Item1.Item2, t.Item2.Item2))
            .ToArbitrary();
}

/// <summary>Properties of the text loader over generated input.</summary>
public class CsvLoaderProperties
{
    private static readonly CausalContext Ctx = new(1);

    /// <summary>Whatever the input, the loader returns a consistent view or raises <see cref="DataLoadException"/>, never anything else.</summary>
    [Property(MaxTest = 10_000, Arbitrary = [typeof(CsvArbitraries)], Replay = "(20261122,1)")]
    public bool LoaderRaisesOnlyItsDocumentedException(CsvText input)
    {
        ICausalDataView data;
        try
        {
            data = Ctx.Data.LoadFromText(input.Text, new CsvLoadOptions { HasHeader = input.HasHeader, AllowQuoting = input.AllowQuoting, Separator = input.Separator });
        }
        catch (DataLoadException)
        {
            return true;
        }
        // A returned view is consistent: every column has one value per row.
        foreach (var c in data.Schema)
        {
            var length = c.Type.Kind switch
            {
                ColumnKind.Double => data.GetColumn<double>(c.Index).Length,
                ColumnKind.Boolean => data.GetColumn<bool>(c.Index).Length,
                ColumnKind.Text => data.GetColumn<string>(c.Index).Length,
                _ => -1,
            };
            if (length != data.RowCount)
                return false;
        }
        return true;
    }
}
