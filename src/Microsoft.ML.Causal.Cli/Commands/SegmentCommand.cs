using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.ML.Causal.Cli.Output;
using Microsoft.ML.Causal.Data;
using Microsoft.ML.Causal.Segmentation;
using Microsoft.ML.Causal.Segmentation.GroupLasso;
using Spectre.Console;

namespace Microsoft.ML.Causal.Cli.Commands;

/// <summary>
/// <c>causal segment --data d.csv --response y --segment COL --creative COL [--features ...] [--categorical ...]
/// [--weight COL] [--lambda L | --cv K] [--alpha A] [--rule min|1se] [--path N] --model seg.zip --out assign.csv
/// [--responses responses.csv [--level 0.95]] [--curve curve.csv] [--format table|json]</c>: group-lasso segment discovery from a multi-creative experiment
/// (<c>ctx.Segmentation.GroupLasso</c>). With <c>--lambda</c> the model is fitted at that λ (α default 0.25); otherwise
/// (α, λ) are chosen by K-fold cross-validation (<c>--cv</c>, default 5 folds) over the default α grid, or over λ only
/// at <c>--alpha</c>. The segment and creative columns are read as text, so their values appear as in the file.
/// Writes the featurization + segmenter pipeline to the model zip, and <c>assign.csv</c>: per input row, in order,
/// <c>segment</c> (argmaxⱼ γⱼᵀx) and one <c>score_&lt;segment&gt;</c> per segment. JSON:
/// <c>{"lambda":..,"alpha":..,"cv_deviance":..,"segments":[{"segment":..,"creatives":[{"creative":..,"fused":..,"deviation":..}]}]}</c>,
/// where <c>cv_deviance</c> is the selected point's mean held-out binomial deviance per unit weight (null with
/// <c>--lambda</c>) and <c>deviation</c> is ‖δⱼₖ‖₂ on the standardized scale the penalty acts on. <c>--responses</c>
/// writes, per (assigned segment, creative), <c>segment</c>, <c>creative</c>, <c>designed_for</c>, <c>people</c>,
/// <c>response</c> (the mean predicted response over the segment's rows), <c>response_se</c>, <c>response_lower</c>
/// and <c>response_upper</c>, from the refit on the selected support (<see cref="GroupLassoResponses"/>).
/// </summary>
internal static class SegmentCommand
{
    public static Command Create(TextWriter stdout)
    {
        var data = new DataOptions(DataFlags.Features | DataFlags.Weight);
        var response = new Option<string>("--response") { Description = "The 0/1 (or true/false) response column.", Required = true };
        var segment = new Option<string>("--segment") { Description = "The column naming the segment each row's creative was designed for.", Required = true };
        var creative = new Option<string>("--creative") { Description = "The column naming the creative shown; each creative belongs to one segment.", Required = true };
        var lambda = new Option<double?>("--lambda") { Description = "Fit at this λ ≥ 0 (otherwise λ is chosen by cross-validation)." };
        var cv = new Option<int?>("--cv") { Description = "Cross-validation folds choosing (α, λ) (default 5)." };
        var alpha = new Option<double?>("--alpha") { Description = "α, the share of the penalty on the centres (default 0.25 with --lambda; otherwise cross-validated over 0.05 … 0.45)." };
        var rule = new Option<string>("--rule") { Description = "Cross-validation choice: min (smallest held-out deviance, default) or 1se (largest λ within one SE).", DefaultValueFactory = _ => "min" };
        rule.AcceptOnlyFromAmong("min", "1se");
        var path = new Option<int>("--path") { Description = "λ values on each cross-validated path (default 50).", DefaultValueFactory = _ => 50 };
        var model = new Option<string>("--model") { Description = "The model zip to write (featurization and segmenter).", Required = true };
        var output = new Option<string>("--out") { Description = "The assignment CSV to write: segment and score_<segment> per input row.", Required = true };
        var responses = new Option<string>("--responses") { Description = "Also write, per (assigned segment, creative), the predicted response with its interval (refit on the selected support) to this CSV." };
        var level = CliOptions.Level("The level of the --responses intervals (default 0.95).");
        var curve = new Option<string>("--curve") { Description = "When λ is cross-validated, also write the cross-validation curve (alpha, lambda, deviance, deviance_se, chosen) to this CSV." };
        var format = CliOptions.Format();
        var command = new Command("segment", "Group-lasso segment discovery from a multi-creative experiment: which creatives fit their segment, and who is in which.")
        {
            response, segment, creative, lambda, cv, alpha, rule, path, model, output, responses, level, curve, format,
        };
        data.AddTo(command, response, segment, creative);
        CliOptions.AtLeast(path, 1);
        command.Validators.Add(r =>
        {
            var fixedLambda = r.GetValue(lambda);
            if (fixedLambda is not null && r.GetValue(cv) is not null)
                r.AddError("Give --lambda (a fixed λ) or --cv (cross-validate λ), not both.");
            if (fixedLambda is not null && r.GetValue(curve) is not null)
                r.AddError("--curve needs cross-validation; drop --lambda.");
            if (fixedLambda is { } l && !(l >= 0 && double.IsFinite(l)))
                r.AddError(FormattableString.Invariant($"--lambda must be a finite number ≥ 0; got {l}."));
            if (r.GetValue(cv) is { } folds && folds < 2)
                r.AddError(FormattableString.Invariant($"--cv must be at least 2 folds; got {folds}."));
            if (r.GetValue(alpha) is { } a && !(a >= 0 && (fixedLambda is null ? a < 1 : a <= 1)))
                r.AddError(FormattableString.Invariant($"--alpha must be in [0, 1] with --lambda and in [0, 1) when λ is cross-validated; got {a}."));
        });
        command.SetAction(parsed =>
        {
            var segmentColumn = parsed.GetValue(segment)!;
            var creativeColumn = parsed.GetValue(creative)!;
            var table = data.LoadTable(parsed, [segmentColumn, creativeColumn], response, segment, creative);
            RequireFeatureValues(table);
            var threads = table.Threads == 0 ? -1 : table.Threads;
            var options = new GroupLassoTrainerOptions
            {
                ResponseColumnName = parsed.GetValue(response)!,
                SegmentColumnName = segmentColumn,
                CreativeColumnName = creativeColumn,
                FeatureColumnName = table.FeatureVector,
                WeightColumnName = parsed.GetValue(data.Weight),
                Lambda = parsed.GetValue(lambda),
                Alpha = parsed.GetValue(alpha),
                Solver = new GroupLassoOptions
                {
                    Folds = parsed.GetValue(cv) ?? 5,
                    PathLength = parsed.GetValue(path),
                    Rule = parsed.GetValue(rule) == "1se" ? GroupLassoSelectionRule.OneStandardError : GroupLassoSelectionRule.Minimum,
                    MaxDegreeOfParallelism = threads,
                },
            };
            var ctx = table.Context;
            var estimator = table.Featurizer.Append(ctx.Segmentation.GroupLasso(options));
            var fitted = ConsoleOutput.WithProgress(stdout, ctx, "Fitting the group-lasso segmentation",
                () => DataOptions.OnFile(table.Path, () => estimator.Fit(table.Raw)));
            ctx.Model.Save(fitted, table.Raw.Schema, parsed.GetValue(model)!);
            var scored = DataOptions.OnFile(table.Path, () => fitted.Transform(table.Raw));
            var segmenter = fitted.LastTransformer;
            var counts = Write(parsed.GetValue(output)!, scored, segmenter.SegmentNames);
            if (parsed.GetValue(responses) is { } responsesPath)
            {
                var estimates = DataOptions.OnFile(table.Path, () => GroupLassoResponses.Estimate(scored, options, segmenter.Model, parsed.GetValue(level)));
                WriteResponses(responsesPath, estimates, segmenter.Model);
            }
            if (parsed.GetValue(curve) is { } curvePath)
                WriteCurve(curvePath, segmenter.CrossValidation!);
            Report(stdout, segmenter, counts, parsed.GetValue(output)!, parsed.GetValue(format) == "json");
            if (parsed.GetValue(responses) is { } written && parsed.GetValue(format) != "json")
                stdout.WriteLine($"Predicted response per (segment, creative), {parsed.GetValue(level).ToString("P0", CultureInfo.InvariantCulture)} intervals → {written}");
            return CausalCli.Success;
        });
        return command;
    }

    /// <summary>
    /// The segmenter needs every feature of every row: an empty numeric feature cell is bad input naming its line
    /// (text features are one-hot encoded, where an empty cell is a category of its own).
    /// </summary>
    private static void RequireFeatureValues(FeaturizedTable table)
    {
        foreach (var name in table.FeatureColumns)
        {
            var type = table.Raw.Schema[name].Type;
            if (!type.IsNumericScalar)
                continue;
            var values = table.Raw.GetNumericColumn(name).Span;
            for (var i = 0; i < values.Length; i++)
            {
                if (!double.IsFinite(values[i]))
                {
                    throw new CliInputException(string.Create(CultureInfo.InvariantCulture,
                        $"{table.Path}, line {i + 2}, column '{name}': the feature is {(double.IsNaN(values[i]) ? "missing" : values[i])}; the group-lasso segmenter needs every feature of every row. Fill the cell, drop the row, or leave the column out of --features."));
                }
            }
        }
    }

    /// <summary>The columns of <c>--curve</c>, in order.</summary>
    internal static readonly string[] CurveColumns = ["alpha", "lambda", "deviance", "deviance_se", "chosen"];

    /// <summary>Every (α, λ) cross-validated, in the curve's order; <c>chosen</c> marks the minimum (<c>min</c>), the one-SE point (<c>1se</c>), or both.</summary>
    private static void WriteCurve(string path, GroupLassoCrossValidation cv)
    {
        using var writer = CsvOutput.Create(path, CurveColumns);
        foreach (var point in cv.Curve)
        {
            var marks = new List<string>();
            if (point == cv.Minimum)
                marks.Add("min");
            if (point == cv.OneStandardError)
                marks.Add("1se");
            writer.WriteLine(string.Join(',', CsvOutput.Number(point.Alpha), CsvOutput.Number(point.Lambda), CsvOutput.Number(point.MeanDeviance),
                CsvOutput.Number(point.StandardError), string.Join(' ', marks)));
        }
    }

    /// <summary>The columns of <c>--responses</c>, in order.</summary>
    internal static readonly string[] ResponseColumns = ["segment", "creative", "designed_for", "people", "response", "response_se", "response_lower", "response_upper"];

    private static void WriteResponses(string path, IReadOnlyList<SegmentCreativeResponse> estimates, GroupLassoModel model)
    {
        using var writer = CsvOutput.Create(path, ResponseColumns);
        foreach (var r in estimates)
        {
            writer.WriteLine(string.Join(',', CsvOutput.Quote(r.SegmentName), CsvOutput.Quote(r.CreativeName), CsvOutput.Quote(model.Segments[r.DesignedFor].Name),
                r.People.ToString(CultureInfo.InvariantCulture), CsvOutput.Number(r.Response), CsvOutput.Number(r.StandardError),
                CsvOutput.Number(r.Lower), CsvOutput.Number(r.Upper)));
        }
    }

    /// <summary>The assignment columns, in order (the CLI contract): <c>segment</c>, then <c>score_&lt;segment&gt;</c> per segment.</summary>
    internal static List<string> OutputColumns(IReadOnlyList<string> segments) => ["segment", .. segments.Select(s => $"score_{s}")];

    /// <summary>Writes the assignment; returns the number of rows assigned to each segment.</summary>
    internal static int[] Write(string path, ICausalDataView scored, IReadOnlyList<string> segments)
    {
        var m = segments.Count;
        var keys = scored.GetColumn<int>(GroupLassoTransformer.SegmentColumn).Span;
        var scores = scored.GetColumn<double>(GroupLassoTransformer.ScoresColumn).Span;
        var counts = new int[m];
        using var writer = CsvOutput.Create(path, OutputColumns(segments));
        var line = new StringBuilder();
        for (var i = 0; i < scored.RowCount; i++)
        {
            line.Clear().Append(CsvOutput.Quote(segments[keys[i]]));
            counts[keys[i]]++;
            for (var j = 0; j < m; j++)
                line.Append(',').Append(CsvOutput.Number(scores[i * m + j]));
            writer.WriteLine(line);
        }
        return counts;
    }

    private static void Report(TextWriter stdout, GroupLassoTransformer segmenter, int[] counts, string outPath, bool json)
    {
        var model = segmenter.Model;
        var deviance = segmenter.CrossValidation?.Selected.MeanDeviance;
        if (json)
        {
            JsonOutput.Write(stdout, w =>
            {
                w.WriteStartObject();
                w.WriteNumber("lambda", model.Lambda);
                w.WriteNumber("alpha", model.Alpha);
                if (deviance is { } d)
                    w.WriteNumber("cv_deviance", d);
                else
                    w.WriteNull("cv_deviance");
                w.WriteStartArray("segments");
                foreach (var s in model.Segments)
                {
                    w.WriteStartObject();
                    w.WriteString("segment", s.Name);
                    w.WriteStartArray("creatives");
                    foreach (var c in s.Creatives.Select(k => model.Creatives[k]))
                        WriteCreative(w, c);
                    w.WriteEndArray();
                    w.WriteEndObject();
                }
                w.WriteEndArray();
                w.WriteEndObject();
            });
            return;
        }
        var console = ConsoleOutput.For(stdout);
        var total = counts.Sum();
        var choice = segmenter.CrossValidation is { } cv
            ? string.Create(CultureInfo.InvariantCulture, $" chosen by {cv.Folds}-fold cross-validation ({(cv.Rule == GroupLassoSelectionRule.Minimum ? "minimum" : "one-SE rule")}), held-out deviance {ConsoleOutput.Format(cv.Selected.MeanDeviance)} ± {ConsoleOutput.Format(cv.Selected.StandardError)}")
            : " (fixed)";
        console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{model.Segments.Count} segments, {model.Creatives.Count} creatives, {total:N0} rows: λ = {ConsoleOutput.Format(model.Lambda)}, α = {ConsoleOutput.Format(model.Alpha)}{choice} → {outPath}"));
        var creatives = new Table().AddColumns("segment", "creative", "fits its segment", "deviation ‖δ‖");
        foreach (var s in model.Segments)
        {
            foreach (var c in s.Creatives.Select(k => model.Creatives[k]))
                creatives.AddRow(Markup.Escape(s.Name), Markup.Escape(c.Name), c.Fused ? "yes (fused)" : "no", ConsoleOutput.Format(c.Deviation));
        }
        console.Write(creatives);
        var mix = new Table().AddColumns("segment", "rows assigned", "share");
        for (var j = 0; j < counts.Length; j++)
            mix.AddRow(Markup.Escape(model.Segments[j].Name), counts[j].ToString(CultureInfo.InvariantCulture), ((double)counts[j] / total).ToString("P1", CultureInfo.InvariantCulture));
        console.Write(mix);
        if (!model.Converged)
            console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"warning: the solver stopped at its iteration limit (KKT residual {model.KktResidual:E2})."));
    }

    private static void WriteCreative(Utf8JsonWriter w, CreativeResponse c)
    {
        w.WriteStartObject();
        w.WriteString("creative", c.Name);
        w.WriteBoolean("fused", c.Fused);
        w.WriteNumber("deviation", c.Deviation);
        w.WriteEndObject();
    }
}
