using Microsoft.ML.Causal.Data;
using Microsoft.ML.Causal.Numerics;

namespace Microsoft.ML.Causal.TestFramework;

/// <summary>Small seeded tables of every column kind, for transform and pipeline tests.</summary>
public static class TestTables
{
    /// <summary>The category values of the <c>Region</c> text column.</summary>
    public static readonly string[] Regions = ["north", "south", "east", "west"];

    /// <summary>The arms of the <c>Arm</c> key column.</summary>
    public static readonly string[] Arms = ["control", "email", "sms"];

    /// <summary>
    /// A table with columns Age (Double, ~10 % NaN), Income (Single), Visits (Int32), Member (Boolean),
    /// Region (Text, ~5 % empty), Arm (Key over <see cref="Arms"/>, ~5 % missing), Scores (Vector of 3, some NaN).
    /// </summary>
    public static InMemoryDataView Mixed(int rows, int seed = 1)
    {
        var r = new CausalRandom(seed);
        var age = new double[rows];
        var income = new float[rows];
        var visits = new int[rows];
        var member = new bool[rows];
        var region = new string[rows];
        var arm = new int[rows];
        var scores = new double[rows * 3];
        for (var i = 0; i < rows; i++)
        {
            age[i] = r.NextDouble() < 0.1 ? double.NaN : Math.Round(18 + 60 * r.NextDouble(), 1);
            income[i] = (float)(20_000 + 80_000 * r.NextDouble());
            visits[i] = r.NextInt(30);
            member[i] = r.NextDouble() < 0.4;
            region[i] = r.NextDouble() < 0.05 ? "" : Regions[r.NextInt(Regions.Length)];
            arm[i] = r.NextDouble() < 0.05 ? -1 : r.NextInt(Arms.Length);
            for (var j = 0; j < 3; j++)
                scores[i * 3 + j] = r.NextDouble() < 0.05 ? double.NaN : r.NextDouble() * (j + 1);
        }
        return new InMemoryDataView.Builder()
            .AddDouble("Age", age)
            .AddSingle("Income", income)
            .AddInt32("Visits", visits)
            .AddBoolean("Member", member)
            .AddText("Region", region)
            .AddKey("Arm", arm, Arms)
            .AddVector("Scores", 3, scores, ["a", "b", "c"])
            .Build();
    }

    /// <summary><paramref name="data"/> with one value of a Double column replaced.</summary>
    public static InMemoryDataView WithValue(ICausalDataView data, string column, int row, double value)
    {
        var builder = new InMemoryDataView.Builder();
        foreach (var c in data.Schema)
        {
            if (c.Name == column)
            {
                var values = data.GetColumn<double>(c.Index).ToArray();
                values[row * c.Type.Size] = value;
                if (c.Type.Kind == ColumnKind.Vector)
                    builder.AddVector(c.Name, c.Type.Size, values, c.SlotNames);
                else
                    builder.AddDouble(c.Name, values);
                continue;
            }
            Copy(builder, data, c);
        }
        return builder.Build();
    }

    /// <summary><paramref name="data"/> without <paramref name="column"/>, or with it replaced by a Text column when <paramref name="asText"/>.</summary>
    public static InMemoryDataView Without(ICausalDataView data, string column, bool asText = false)
    {
        var builder = new InMemoryDataView.Builder();
        foreach (var c in data.Schema)
        {
            if (c.Name != column)
                Copy(builder, data, c);
            else if (asText)
                builder.AddText(column, Enumerable.Repeat("x", data.RowCount).ToArray());
        }
        return builder.Build();
    }

    private static void Copy(InMemoryDataView.Builder builder, ICausalDataView data, DataSchema.Column c)
    {
        switch (c.Type.Kind)
        {
            case ColumnKind.Double: builder.AddDouble(c.Name, data.GetColumn<double>(c.Index).Span); break;
            case ColumnKind.Single: builder.AddSingle(c.Name, data.GetColumn<float>(c.Index).Span); break;
            case ColumnKind.Int32: builder.AddInt32(c.Name, data.GetColumn<int>(c.Index).Span); break;
            case ColumnKind.Boolean: builder.AddBoolean(c.Name, data.GetColumn<bool>(c.Index).Span); break;
            case ColumnKind.Text: builder.AddText(c.Name, data.GetColumn<string>(c.Index).ToArray()); break;
            case ColumnKind.Key: builder.AddKey(c.Name, data.GetColumn<int>(c.Index).Span, c.Type.KeyValues); break;
            case ColumnKind.Vector: builder.AddVector(c.Name, c.Type.Size, data.GetColumn<double>(c.Index).Span, c.SlotNames); break;
        }
    }
}
