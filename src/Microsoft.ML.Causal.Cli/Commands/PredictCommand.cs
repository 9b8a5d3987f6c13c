using System.CommandLine;
using System.Globalization;
using System.Text;
using Microsoft.ML.Causal.Cli.Output;
using Microsoft.ML.Causal.Data;
using Microsoft.ML.Causal.Trainers;

namespace Microsoft.ML.Causal.Cli.Commands;

/// <summary>
/// <c>causal predict --model model.zip --data test.csv --out preds.csv [--level 0.95] [--format table|json]</c>:
/// scores every row with a model written by <c>causal fit</c>. <c>preds.csv</c> has one row per input row, in
/// input order: <c>cate</c>, <c>cate_lower</c>, <c>cate_upper</c> for a binary or continuous treatment; for several
/// arms <c>cate_A</c>, <c>cate_A_lower</c>, <c>cate_A_upper</c> per non-control arm A. Extra input columns are
/// ignored; a missing feature column is an error naming it. JSON: <c>{"rows":..,"out":..,"level":..,"columns":[..]}</c>.
/// </summary>
internal static class PredictCommand
{
    public static Command Create(TextWriter stdout)
    {
        var model = new Option<string>("--model") { Description = "The model zip written by 'causal fit'.", Required = true };
        var data = new Option<string>("--data") { Description = "The CSV file to score (header row required; '.' decimal point).", Required = true };
        var output = new Option<string>("--out") { Description = "The predictions CSV to write.", Required = true };
        var level = CliOptions.Level("The level of the two-sided intervals (default 0.95).");
        var format = CliOptions.Format();
        var command = new Command("predict", "Score a CSV with a fitted CATE model: τ̂(x) and its interval per row.") { model, data, output, level, format };
        command.SetAction(parsed => Run(parsed.GetValue(model)!, parsed.GetValue(data)!, parsed.GetValue(output)!, parsed.GetValue(level), parsed.GetValue(format)!, stdout));
        return command;
    }

    private static int Run(string modelPath, string dataPath, string outPath, double level, string format, TextWriter stdout)
    {
        var ctx = new CausalContext(seed: 42);
        var chain = ModelFiles.Load<CausalTransformerChain<CateTransformer>>(ctx, modelPath, out var inputSchema);
        var cate = chain.LastTransformer.WithLevel(level);
        if (!cate.Model.HasIntervals)
        {
            throw new Persistence.ModelFileException(
                $"The {cate.Model.Method} model in {modelPath} was fitted without bootstrap replicates, so it has no intervals; refit it with 'causal fit' (which always fits them).");
        }
        var scorer = new CausalTransformerChain<CateTransformer>(chain.Transformers.SetItem(chain.Transformers.Length - 1, cate));
        var view = ctx.Data.LoadFromTextFile(dataPath, new CsvLoadOptions { ColumnTypes = DeclaredTypes(ctx, dataPath, inputSchema) });
        var scored = scorer.Transform(view);
        var columns = OutputColumns(cate);
        WriteCsv(outPath, scored, cate, columns);
        if (format == "json")
        {
            JsonOutput.Write(stdout, json =>
            {
                json.WriteStartObject();
                json.WriteNumber("rows", scored.RowCount);
                json.WriteString("out", outPath);
                json.WriteNumber("level", level);
                json.WriteStartArray("columns");
                foreach (var c in columns)
                    json.WriteStringValue(c);
                json.WriteEndArray();
                json.WriteEndObject();
            });
        }
        else
        {
            stdout.WriteLine(FormattableString.Invariant($"{scored.RowCount:N0} rows scored by the {cate.Model.Method} model ({level:P0} intervals) → {outPath}"));
        }
        return CausalCli.Success;
    }

    /// <summary>The training schema's type for every column the file has, so values read as they were when fitting.</summary>
    internal static Dictionary<string, ColumnType> DeclaredTypes(CausalContext ctx, string path, DataSchema inputSchema)
    {
        var names = DataOptions.Header(ctx, path).ToHashSet(StringComparer.Ordinal);
        return inputSchema.Where(c => names.Contains(c.Name) && c.Type.Kind != ColumnKind.Vector && c.Type.Kind != ColumnKind.Key)
            .ToDictionary(c => c.Name, c => c.Type, StringComparer.Ordinal);
    }

    /// <summary>The prediction columns, in order (the CLI contract).</summary>
    internal static List<string> OutputColumns(CateTransformer cate)
    {
        if (cate.TreatmentKind != TreatmentKind.MultiArm)
            return ["cate", "cate_lower", "cate_upper"];
        return [.. cate.EffectNames.SelectMany(a => new[] { $"cate_{a}", $"cate_{a}_lower", $"cate_{a}_upper" })];
    }

    private static void WriteCsv(string path, ICausalDataView scored, CateTransformer cate, List<string> columns)
    {
        // Per effect j: estimate, lower, upper (columns 3j, 3j + 1, 3j + 2).
        var k = cate.Model.EffectCount;
        ReadOnlyMemory<double>[] parts =
        [
            scored.GetColumn<double>(CateTransformer.CateColumn),
            scored.GetColumn<double>(CateTransformer.LowerColumn),
            scored.GetColumn<double>(CateTransformer.UpperColumn),
        ];
        CsvOutput.WriteNumbers(path, columns, scored.RowCount, (i, c) => parts[c % 3].Span[i * k + c / 3]);
    }
}
