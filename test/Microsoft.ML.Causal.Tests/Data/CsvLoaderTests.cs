using System.Globalization;
using System.Text;
using Microsoft.ML.Causal.Data;
using Microsoft.ML.Causal.TestFramework;

namespace Microsoft.ML.Causal.Tests.Data;

/// <summary>The text loader on the edge cases a real CSV brings.</summary>
public class CsvLoaderTests
{
    private static readonly CausalContext Ctx = new(1);

    private static ICausalDataView Load(string text, CsvLoadOptions? options = null) => Ctx.Data.LoadFromText(text, options);

    [Fact]
    public void InfersDoubleBooleanAndTextAndReadsEmptyNumbersAsNaN()
    {
        var data = Load("a,b,c\n1.5,true,x\n,false,y\n-2e3,TRUE,\n");
        Assert.Equal(ColumnType.Double, data.Schema["a"].Type);
        Assert.Equal(ColumnType.Boolean, data.Schema["b"].Type);
        Assert.Equal(ColumnType.Text, data.Schema["c"].Type);
        Assert.Equal([1.5, double.NaN, -2000], data.GetColumn<double>("a").ToArray());
        Assert.Equal([true, false, true], data.GetColumn<bool>("b").ToArray());
        Assert.Equal(["x", "y", ""], data.GetColumn<string>("c").ToArray());
    }

    [Fact]
    public void QuotedFieldsMayHoldSeparatorsQuotesAndNewlines()
    {
        var data = Load("id,note\n1,\"a, b\"\n2,\"line1\nline2\"\n3,\"say \"\"hi\"\"\"\n");
        Assert.Equal(3, data.RowCount);
        Assert.Equal(["a, b", "line1\nline2", "say \"hi\""], data.GetColumn<string>("note").ToArray());
    }

    [Fact]
    public void ByteOrderMarkIsNotPartOfTheFirstColumnName()
    {
        var path = Path.GetTempFileName();
        File.WriteAllText(path, "x,y\n1,2\n", new UTF8Encoding(encoderShouldEmitUTF8Identifier: true));
        var data = Ctx.Data.LoadFromTextFile(path);
        Assert.Equal("x", data.Schema[0].Name);
        Assert.Equal([1.0], data.GetColumn<double>("x").ToArray());
        File.Delete(path);
    }

    [Fact]
    public void HeaderOnlyGivesZeroRowsWithTypedColumns()
    {
        var data = Load("a,b\n", new CsvLoadOptions { ColumnTypes = new Dictionary<string, ColumnType> { ["b"] = ColumnType.Text } });
        Assert.Equal(0, data.RowCount);
        Assert.Equal(ColumnType.Double, data.Schema["a"].Type);
        Assert.Equal(ColumnType.Text, data.Schema["b"].Type);
    }

    [Fact]
    public void EmptyFileIsRejected()
    {
        var e = Assert.Throws<DataLoadException>(() => Load(""));
        Assert.Contains("empty", e.Message);
    }

    [Fact]
    public void RaggedRowIsRejectedWithItsLineNumber()
    {
        var e = Assert.Throws<DataLoadException>(() => Load("a,b\n1,2\n3,4\n5\n6,7\n"));
        Assert.Equal(4, e.Line);
        Assert.Contains("1 fields but the header has 2", e.Message);
    }

    [Fact]
    public void LineNumbersCountLinesInsideQuotedFields()
    {
        var e = Assert.Throws<DataLoadException>(() => Load("a,b\n1,\"x\ny\"\n2,3,4\n"));
        Assert.Equal(4, e.Line);
    }

    [Fact]
    public void CommaDecimalIsTextNotAMisreadNumberWhateverTheCulture()
    {
        var saved = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("de-DE");
            var data = Load("a;b\n1,5;1.5\n2,5;2.5\n", new CsvLoadOptions { Separator = ';' });
            Assert.Equal(ColumnType.Text, data.Schema["a"].Type);
            Assert.Equal(["1,5", "2,5"], data.GetColumn<string>("a").ToArray());
            Assert.Equal([1.5, 2.5], data.GetColumn<double>("b").ToArray());

            var declared = new CsvLoadOptions { Separator = ';', ColumnTypes = new Dictionary<string, ColumnType> { ["a"] = ColumnType.Double } };
            var e = Assert.Throws<DataLoadException>(() => Load("a;b\n1,5;1.5\n", declared));
            Assert.Equal("a", e.ColumnName);
            Assert.Equal(2, e.Line);
            Assert.Contains("'.' as the decimal point", e.Message);
        }
        finally
        {
            CultureInfo.CurrentCulture = saved;
        }
    }

    [Fact]
    public void VeryLongLinesAreRead()
    {
        var wide = new string('x', 2_000_000);
        var data = Load($"a,b\n1,{wide}\n2,y\n");
        Assert.Equal(wide, data.GetColumn<string>("b").Span[0]);
        Assert.Equal(2, data.RowCount);
    }

    [Fact]
    public void LateNonNumericValueWidensTheColumnToTextInsteadOfFailing()
    {
        var text = new StringBuilder("a,b\n");
        for (var i = 0; i < 50; i++)
            text.Append(i).Append(",1\n");
        text.Append("n/a,2\n");
        var data = Load(text.ToString(), new CsvLoadOptions { InferenceRowCount = 10 });
        Assert.Equal(ColumnType.Text, data.Schema["a"].Type);
        Assert.Equal("n/a", data.GetColumn<string>("a").Span[50]);
        Assert.Equal(ColumnType.Double, data.Schema["b"].Type);
    }

    [Fact]
    public void ALateEmptyCellInAnInferredBooleanColumnWidensItToText()
    {
        var text = new StringBuilder("b,x\n");
        for (var i = 0; i < 20; i++)
            text.Append("true,1\n");
        text.Append(",2\n");
        var data = Load(text.ToString(), new CsvLoadOptions { InferenceRowCount = 5 });
        Assert.Equal(ColumnType.Text, data.Schema["b"].Type);
        Assert.Equal("", data.GetColumn<string>("b").Span[20]);
    }

    [Fact]
    public void ColumnsSizedFromTheSampleStillGrowWhenLaterRowsAreShorter()
    {
        // The sample's long rows make the row estimate far too small; every row must still be read.
        var path = Path.GetTempFileName();
        var text = new StringBuilder("a,b\n");
        for (var i = 0; i < 20; i++)
            text.Append("1234567890.123456,").Append(new string('x', 200)).Append('\n');
        for (var i = 0; i < 5000; i++)
            text.Append(i).Append(",y\n");
        File.WriteAllText(path, text.ToString());
        var data = Ctx.Data.LoadFromTextFile(path, new CsvLoadOptions { InferenceRowCount = 20 });
        File.Delete(path);
        Assert.Equal(5020, data.RowCount);
        Assert.Equal(4999, data.GetColumn<double>("a").Span[^1]);
    }

    [Fact]
    public void NonSeekableStreamsAreReadToo()
    {
        var bytes = Encoding.UTF8.GetBytes("a,b\n1,x\n2,y\n");
        using var stream = new NonSeekable(bytes);
        var data = Ctx.Data.LoadFromStream(stream);
        Assert.Equal([1.0, 2.0], data.GetColumn<double>("a").ToArray());
    }

    [Fact]
    public void DeclaredTypesParseIntegersKeysAndBooleans()
    {
        var options = new CsvLoadOptions
        {
            ColumnTypes = new Dictionary<string, ColumnType>
            {
                ["n"] = ColumnType.Int32,
                ["arm"] = ColumnType.Key([]),
                ["flag"] = ColumnType.Boolean,
                ["f"] = ColumnType.Single,
            },
        };
        var data = Load("n,arm,flag,f\n3,sms,1,0.5\n-4,email,0,1e-3\n7,,true,2\n", options);
        Assert.Equal([3, -4, 7], data.GetColumn<int>("n").ToArray());
        Assert.Equal(["email", "sms"], data.Schema["arm"].Type.KeyValues.ToArray());
        Assert.Equal([1, 0, -1], data.GetColumn<int>("arm").ToArray());
        Assert.Equal([true, false, true], data.GetColumn<bool>("flag").ToArray());
        Assert.Equal([0.5f, 0.001f, 2f], data.GetColumn<float>("f").ToArray());
    }

    [Fact]
    public void DeclaredKeyValuesRejectOthersNamingLineAndColumn()
    {
        var options = new CsvLoadOptions { ColumnTypes = new Dictionary<string, ColumnType> { ["arm"] = ColumnType.Key(["control", "email"]) } };
        var e = Assert.Throws<DataLoadException>(() => Load("arm\ncontrol\nsms\n", options));
        Assert.Equal(3, e.Line);
        Assert.Equal("arm", e.ColumnName);
    }

    [Fact]
    public void EmptyCellInIntegerColumnIsAnErrorWithTheFix()
    {
        var options = new CsvLoadOptions { ColumnTypes = new Dictionary<string, ColumnType> { ["n"] = ColumnType.Int32 } };
        var e = Assert.Throws<DataLoadException>(() => Load("n\n1\n\"\"\n", options));
        Assert.Equal("n", e.ColumnName);
        Assert.Contains("ColumnType.Double", e.Message);
    }

    [Fact]
    public void DuplicateOrEmptyHeaderNamesAreRejected()
    {
        Assert.Contains("appears twice", Assert.Throws<DataLoadException>(() => Load("a,a\n1,2\n")).Message);
        Assert.Contains("header field 2 is empty", Assert.Throws<DataLoadException>(() => Load("a,\n1,2\n")).Message);
    }

    [Fact]
    public void WithoutHeaderColumnsAreNumberedAndTheFirstRowIsData()
    {
        var data = Load("1,x\n2,y\n", new CsvLoadOptions { HasHeader = false });
        Assert.Equal(["Column0", "Column1"], data.Schema.Select(c => c.Name));
        Assert.Equal([1.0, 2.0], data.GetColumn<double>("Column0").ToArray());
    }

    [Fact]
    public void MalformedQuotingIsRejectedWithALine()
    {
        var e = Assert.Throws<DataLoadException>(() => Load("a,b\n1,\"unterminated\n"));
        Assert.Contains("quot", e.Message);
    }

    [SharedDataFact]
    public void ReadsTheSharedIhdpFile()
    {
        var path = SharedData.Path("ihdp", "ihdp_npci_1.csv");
        var data = Ctx.Data.LoadFromTextFile(path);
        Assert.Equal(747, data.RowCount);
        Assert.Equal(30, data.Schema.Count);
        Assert.All(data.Schema, c => Assert.Equal(ColumnType.Double, c.Type));
    }

    private sealed class NonSeekable(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }
}
