using System.CommandLine;
using System.Globalization;
using Microsoft.ML.Causal.Cli.Output;
using Microsoft.ML.Causal.Inference;
using Microsoft.ML.Causal.Trainers;
using Spectre.Console;

namespace Microsoft.ML.Causal.Cli.Commands;

/// <summary>
/// <c>causal ate --data d.csv --outcome y --treatment w [--features ...] [--estimand ate|att|atc|overlap]
/// [--method aipw|ipw|difference|regression] [--propensity COL] [--level 0.95] [--format table|json]</c> and the
/// common data flags (<see cref="DataOptions"/>): the average effect of each non-control arm, by
/// <c>ctx.Analysis.AverageTreatmentEffect</c>. JSON for two arms:
/// <c>{"estimand":..,"method":..,"estimate":..,"se":..,"lower":..,"upper":..,"n":..}</c>; for more,
/// <c>{"estimand":..,"method":..,"arms":[..],"estimate":[..],"se":[..],"lower":[..],"upper":[..],"n":..}</c> with
/// the numbers in the order of <c>arms</c> (the arms in order, control excluded). <c>n</c> is the number of rows
/// analysed; <c>lower</c>/<c>upper</c> bound the normal interval at <c>--level</c>.
/// </summary>
internal static class AteCommand
{
    private static readonly string[] Estimands = ["ate", "att", "atc", "overlap"];
    private static readonly string[] Methods = ["aipw", "ipw", "difference", "regression"];

    public static Command Create(TextWriter stdout)
    {
        var data = new DataOptions();
        var estimand = new Option<string>("--estimand") { Description = "The population averaged over: ate, att (the treated), atc (the controls) or overlap.", DefaultValueFactory = _ => "ate" };
        estimand.AcceptOnlyFromAmong(Estimands);
        var method = new Option<string>("--method") { Description = "aipw (doubly robust), ipw (Hajek), difference (in means) or regression (adjustment).", DefaultValueFactory = _ => "aipw" };
        method.AcceptOnlyFromAmong(Methods);
        var propensity = new Option<string>("--propensity") { Description = "A column of known P(treated | x) for a binary treatment (otherwise learned)." };
        var level = new Option<double>("--level") { Description = "The level of the interval lower..upper.", DefaultValueFactory = _ => 0.95 };
        level.Validators.Add(result =>
        {
            if (result.Tokens is [var token] && double.TryParse(token.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && !(value > 0 && value < 1))
                result.AddError("--level must lie strictly between 0 and 1 (e.g. 0.95).");
        });
        var format = new Option<string>("--format") { Description = "table or json.", DefaultValueFactory = _ => "table" };
        format.AcceptOnlyFromAmong("table", "json");

        var command = new Command("ate", "Average treatment effect of each non-control arm (AIPW, IPW, difference in means or regression adjustment).");
        data.AddTo(command, propensity);
        foreach (var option in new Option[] { estimand, method, propensity, level, format })
            command.Options.Add(option);
        command.SetAction(parsed =>
        {
            var known = parsed.GetValue(propensity);
            var loaded = data.Load(parsed, known is null ? TreatmentKind.MultiArm : TreatmentKind.Binary, propensity);
            var options = new AverageEffectOptions
            {
                Estimand = Array.IndexOf(Estimands, parsed.GetValue(estimand)) switch { 0 => Estimand.Ate, 1 => Estimand.Att, 2 => Estimand.Atc, _ => Estimand.Overlap },
                Method = Array.IndexOf(Methods, parsed.GetValue(method)) switch
                {
                    0 => AverageEffectMethod.Aipw, 1 => AverageEffectMethod.Ipw, 2 => AverageEffectMethod.DifferenceInMeans, _ => AverageEffectMethod.RegressionAdjustment,
                },
                MaxDegreeOfParallelism = loaded.Threads,
            };
            var columns = loaded.Columns with { Propensity = known };
            var result = ConsoleOutput.WithProgress(stdout, loaded.Context, "Estimating",
                () => DataOptions.OnFile(loaded.Path, () => loaded.Context.Analysis.AverageTreatmentEffect(loaded.Featurized, columns, options)));
            Write(stdout, result, parsed.GetValue(estimand)!, parsed.GetValue(level), parsed.GetValue(format) == "json");
            return CausalCli.Success;
        });
        return command;
    }

    private static void Write(TextWriter stdout, AverageEffectResult result, string estimand, double level, bool json)
    {
        var effects = result.Effects;
        var intervals = effects.Select(e => e.Interval(level)).ToArray();
        if (json)
        {
            var several = effects.Length > 1;
            JsonOutput.Write(stdout, w =>
            {
                w.WriteStartObject();
                w.WriteString("estimand", estimand);
                w.WriteString("method", effects[0].Method);
                if (several)
                {
                    w.WriteStartArray("arms");
                    foreach (var e in effects)
                        w.WriteStringValue(e.Arm);
                    w.WriteEndArray();
                }
                Numbers(w, "estimate", several, effects.Select(e => e.Estimate));
                Numbers(w, "se", several, effects.Select(e => e.StandardError));
                Numbers(w, "lower", several, intervals.Select(i => i.Lower));
                Numbers(w, "upper", several, intervals.Select(i => i.Upper));
                w.WriteNumber("n", result.RowCount);
                w.WriteEndObject();
            });
            return;
        }

        var console = ConsoleOutput.For(stdout);
        console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{estimand.ToUpperInvariant()} by {effects[0].Method}: {result.RowCount:N0} rows, control arm '{result.ControlArm}'"));
        var percent = (level * 100).ToString("G4", CultureInfo.InvariantCulture);
        var table = new Table().AddColumns("arm", "estimate", "se", $"{percent} % lower", $"{percent} % upper", "rows");
        for (var k = 0; k < effects.Length; k++)
        {
            var e = effects[k];
            table.AddRow(Markup.Escape(e.Arm), ConsoleOutput.Format(e.Estimate), ConsoleOutput.Format(e.StandardError),
                ConsoleOutput.Format(intervals[k].Lower), ConsoleOutput.Format(intervals[k].Upper), e.Count.ToString(CultureInfo.InvariantCulture));
        }
        console.Write(table);
        if (result.Overlap is { } overlap)
            console.WriteLine(overlap.ToString());
    }

    /// <summary>One number, or for several arms an array of them.</summary>
    private static void Numbers(System.Text.Json.Utf8JsonWriter w, string name, bool array, IEnumerable<double> values)
    {
        if (!array)
        {
            w.WriteNumber(name, values.Single());
            return;
        }
        w.WriteStartArray(name);
        foreach (var v in values)
            w.WriteNumberValue(v);
        w.WriteEndArray();
    }
}
