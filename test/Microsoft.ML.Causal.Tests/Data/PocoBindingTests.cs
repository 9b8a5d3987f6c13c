using Microsoft.ML.Causal.Data;

namespace Microsoft.ML.Causal.Tests.Data;

/// <summary>Round trips between objects and data views.</summary>
public class PocoBindingTests
{
    private static readonly CausalContext Ctx = new(1);

    public sealed class Row
    {
        public double X { get; set; }

        public float F { get; set; }

        public int N { get; set; }

        public bool B { get; set; }

        public string S { get; set; } = "";

        [CausalColumn("Vec", VectorSize = 2)]
        public double[] V { get; set; } = [0, 0];
    }

    [Fact]
    public void ObjectsRoundTripThroughAView()
    {
        Row[] rows =
        [
            new() { X = 1.5, F = 2.25f, N = -3, B = true, S = "a", V = [1, 2] },
            new() { X = double.NaN, F = float.NaN, N = int.MaxValue, B = false, S = "", V = [double.NaN, -0.0] },
        ];
        var view = Ctx.Data.LoadFromEnumerable(rows);
        Assert.Equal(["X", "F", "N", "B", "S", "Vec"], view.Schema.Select(c => c.Name));
        Assert.Equal([ColumnType.Double, ColumnType.Single, ColumnType.Int32, ColumnType.Boolean, ColumnType.Text, ColumnType.Vector(2)], view.Schema.Select(c => c.Type));

        var back = Ctx.Data.CreateEnumerable<Row>(view).ToList();
        Assert.Equal(2, back.Count);
        for (var i = 0; i < rows.Length; i++)
        {
            Assert.Equal(rows[i].X, back[i].X);
            Assert.Equal(rows[i].F, back[i].F);
            Assert.Equal(rows[i].N, back[i].N);
            Assert.Equal(rows[i].B, back[i].B);
            Assert.Equal(rows[i].S, back[i].S);
            Assert.Equal(rows[i].V.Select(BitConverter.DoubleToInt64Bits), back[i].V.Select(BitConverter.DoubleToInt64Bits));
        }
    }

    [Fact]
    public void LoadedViewDoesNotSeeLaterChangesToTheObjects()
    {
        var rows = new[] { new Row { X = 1, V = [5, 6] } };
        var view = Ctx.Data.LoadFromEnumerable(rows);
        rows[0].X = 99;
        rows[0].V[0] = 99;
        Assert.Equal(1, view.GetColumn<double>("X").Span[0]);
        Assert.Equal(5, view.GetColumn<double>("Vec").Span[0]);
    }

    public sealed class KeyReader
    {
        public string Arm { get; set; } = "";

        [CausalColumn("Arm")]
        public int ArmCode { get; set; }
    }

    [Fact]
    public void KeyColumnsReadAsValueNamesOrCodes()
    {
        var view = new InMemoryDataView.Builder().AddKey("Arm", [1, -1, 0], ["control", "email"]).Build();
        var rows = Ctx.Data.CreateEnumerable<KeyReader>(view).ToList();
        Assert.Equal(["email", "", "control"], rows.Select(r => r.Arm));
        Assert.Equal([1, -1, 0], rows.Select(r => r.ArmCode));
    }

    public sealed class Missing
    {
        public double Absent { get; set; }
    }

    [Fact]
    public void APropertyWithoutAColumnIsNamedInTheError()
    {
        var view = new InMemoryDataView.Builder().AddDouble("X", [1]).Build();
        var e = Assert.Throws<SchemaMismatchException>(() => Ctx.Data.CreateEnumerable<Missing>(view).ToList());
        Assert.Equal("Absent", e.ColumnName);
    }

    public sealed class Ragged
    {
        public double[] V { get; set; } = [];
    }

    [Fact]
    public void VectorsOfDifferentLengthsAreRejected()
    {
        var e = Assert.Throws<SchemaMismatchException>(() => Ctx.Data.LoadFromEnumerable(new[] { new Ragged { V = [1, 2] }, new Ragged { V = [1] } }));
        Assert.Equal("V", e.ColumnName);
    }

    public sealed class Unsupported
    {
        public DateTime When { get; set; }
    }

    [Fact]
    public void UnsupportedPropertyTypesAreNamed()
    {
        var e = Assert.Throws<NotSupportedException>(() => Ctx.Data.LoadFromEnumerable(new[] { new Unsupported() }));
        Assert.Contains("Unsupported.When", e.Message);
        Assert.Contains("CausalIgnore", e.Message);
    }
}
