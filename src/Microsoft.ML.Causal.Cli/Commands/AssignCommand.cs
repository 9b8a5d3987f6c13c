using System.CommandLine;
using System.Globalization;
using Microsoft.ML.Causal.Cli.Output;
using Microsoft.ML.Causal.Data;
using Microsoft.ML.Causal.Segmentation.GroupLasso;
using Spectre.Console;

namespace Microsoft.ML.Causal.Cli.Commands;

/// <summary>
/// <c>causal assign --model seg.zip --data people.csv --out assign.csv [--format table|json]</c>: assigns people to
/// segments with a model written by <c>causal segment</c> (its featurization and segmenter). <c>assign.csv</c> has
/// the columns of <c>causal segment</c>'s: per input row, in order, <c>segment</c> and one <c>score_&lt;segment&gt;</c>
/// per segment. The file needs the feature columns only (the response, segment and creative are not read; extra
/// columns are ignored). JSON: <c>{"rows":..,"out":..,"segments":[..],"shares":[..]}</c> with the share of rows
/// assigned to each segment, in segment order.
/// </summary>
internal static class AssignCommand
{
    public static Command Create(TextWriter stdout)
    {
        var model = new Option<string>("--model") { Description = "The model zip written by 'causal segment'.", Required = true };
        var data = new Option<string>("--data") { Description = "The CSV of people to assign (header row required; '.' decimal point).", Required = true };
        var output = new Option<string>("--out") { Description = "The assignment CSV to write: segment and score_<segment> per input row.", Required = true };
        var format = CliOptions.Format();
        var command = new Command("assign", "Assign people to segments with a model written by 'causal segment'.") { model, data, output, format };
        command.SetAction(parsed =>
        {
            var ctx = new CausalContext(seed: 42);
            var modelPath = parsed.GetValue(model)!;
            var dataPath = parsed.GetValue(data)!;
            var chain = ModelFiles.Load<CausalTransformerChain<GroupLassoTransformer>>(ctx, modelPath, out var inputSchema);
            var view = ctx.Data.LoadFromTextFile(dataPath, new CsvLoadOptions { ColumnTypes = PredictCommand.DeclaredTypes(ctx, dataPath, inputSchema) });
            var scored = DataOptions.OnFile(dataPath, () => chain.Transform(view));
            var names = chain.LastTransformer.SegmentNames;
            var counts = SegmentCommand.Write(parsed.GetValue(output)!, scored, names);
            var shares = counts.Select(c => (double)c / Math.Max(scored.RowCount, 1)).ToArray();
            if (parsed.GetValue(format) == "json")
            {
                JsonOutput.Write(stdout, w =>
                {
                    w.WriteStartObject();
                    w.WriteNumber("rows", scored.RowCount);
                    w.WriteString("out", parsed.GetValue(output));
                    w.WriteStartArray("segments");
                    foreach (var s in names)
                        w.WriteStringValue(s);
                    w.WriteEndArray();
                    w.WriteStartArray("shares");
                    foreach (var s in shares)
                        w.WriteNumberValue(s);
                    w.WriteEndArray();
                    w.WriteEndObject();
                });
                return CausalCli.Success;
            }
            var console = ConsoleOutput.For(stdout);
            console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{scored.RowCount:N0} rows assigned to {names.Count} segments → {parsed.GetValue(output)}"));
            var table = new Table().AddColumns("segment", "rows", "share");
            for (var j = 0; j < names.Count; j++)
                table.AddRow(Markup.Escape(names[j]), counts[j].ToString(CultureInfo.InvariantCulture), shares[j].ToString("P1", CultureInfo.InvariantCulture));
            console.Write(table);
            return CausalCli.Success;
        });
        return command;
    }
}
