using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Microsoft.ML.Causal.Cli.Output;
using Microsoft.ML.Causal.Data;
using Microsoft.ML.Causal.Inference;
using Microsoft.ML.Causal.Trainers;
using Spectre.Console;

namespace Microsoft.ML.Causal.Cli.Commands;

/// <summary>
/// <c>causal fit --data train.csv --outcome y --treatment w [--features ...] --method M [--learner L] [--trees N]
/// [--folds K] [--bootstrap B] [--continuous] [--propensity COL] [--compact] --model model.zip</c>: fits a CATE model and writes the whole fitted
/// pipeline (featurization included) to one zip; <c>--compact</c> (causal-forest) saves the forest's <c>Compact()</c> copy. A treatment with two values is binary, one with more has one
/// effect per non-control arm; <c>--continuous</c> reads it as a dose (DML methods). Methods without analytic
/// intervals fit <c>--bootstrap</c> replicates (default 100) so that <c>causal predict</c> always has intervals.
/// Prints n, the arms, the AIPW ATE with its 95 % interval and the fit time; JSON:
/// <c>{"method":..,"n":..,"arms":[..],"ate":..,"ate_se":..,"ate_lower":..,"ate_upper":..,"fit_seconds":..}</c>,
/// where <c>arms</c> lists every arm, the control first (empty for a dose), and, with several arms, <c>ate</c>,
/// <c>ate_se</c>, <c>ate_lower</c> and <c>ate_upper</c> are arrays in arm order, control excluded.
/// </summary>
internal static class FitCommand
{
    public static Command Create(TextWriter stdout)
    {
        var data = new DataOptions();
        var method = new Option<string>("--method") { Description = $"The estimator: {string.Join(", ", CateMethods.Methods)}.", Required = true };
        method.AcceptOnlyFromAmong(CateMethods.Methods);
        var learner = new Option<string>("--learner") { Description = "Nuisance and final-stage learners: gbdt (default), forest, linear.", DefaultValueFactory = _ => "gbdt" };
        learner.AcceptOnlyFromAmong(CateMethods.Learners);
        var trees = new Option<int?>("--trees") { Description = "Trees per nuisance model (gbdt: the most, early stopping picks fewer; forest: default 500)." };
        var folds = new Option<int>("--folds") { Description = "Cross-fitting folds (default 5).", DefaultValueFactory = _ => 5 };
        var bootstrap = new Option<int>("--bootstrap") { Description = "Bootstrap replicates behind the intervals of s, t, x, r, dr (default 100).", DefaultValueFactory = _ => 100 };
        var continuous = new Option<bool>("--continuous") { Description = "Read the treatment as a continuous dose (linear-dml, sparse-linear-dml): the marginal effect." };
        var propensity = new Option<string>("--propensity") { Description = "A column of known P(treated | x) for a binary treatment (otherwise learned)." };
        var model = new Option<string>("--model") { Description = "The model zip to write.", Required = true };
        var compact = new Option<bool>("--compact")
        {
            Description = "causal-forest: save only what scoring needs (the trees and leaf statistics), without the out-of-bag estimates, nuisances and leaf rows; predictions and intervals are unchanged.",
        };
        var format = CliOptions.Format();
        var command = new Command("fit", "Fit a CATE model (meta-learner or DML) and save the whole pipeline to a zip.") { method, learner, trees, folds, bootstrap, continuous, propensity, model, compact, format };
        data.AddTo(command, propensity);
        CliOptions.AtLeast(trees, 1);
        CliOptions.AtLeast(folds, 2);
        CliOptions.AtLeast(bootstrap, 1, " (the intervals of 'causal predict' come from it)");
        command.Validators.Add(result =>
        {
            if (result.GetValue(continuous) && result.GetValue(method) is { } m && !m.Contains("dml", StringComparison.Ordinal) && m != "causal-forest")
                result.AddError("--continuous needs --method linear-dml, sparse-linear-dml or causal-forest.");
            if (result.GetValue(compact) && result.GetValue(method) is { } c && c != "causal-forest")
                result.AddError($"--compact applies to --method causal-forest; a {c} model keeps nothing that scoring does not need.");
        });
        command.SetAction(parsed =>
        {
            var loaded = data.Load(parsed, parsed.GetValue(continuous) ? TreatmentKind.Continuous : TreatmentKind.Binary, propensity);
            loaded = loaded with { Columns = loaded.Columns with { Propensity = parsed.GetValue(propensity) } };
            var estimator = CateMethods.Create(parsed.GetValue(method)!, parsed.GetValue(learner)!, parsed.GetValue(trees), parsed.GetValue(folds), parsed.GetValue(bootstrap));
            return Run(loaded, estimator, parsed.GetValue(model)!, parsed.GetValue(compact), parsed.GetValue(format)!, stdout);
        });
        return command;
    }

    private static int Run(LoadedData data, ICateLearner estimator, string modelPath, bool compact, string format, TextWriter stdout)
    {
        var columns = data.Columns;
        if (columns.TreatmentKind != TreatmentKind.Continuous)
        {
            // The arms as the trainer will read them: binary for two, one effect per non-control arm for more.
            var armCount = DataOptions.OnFile(data.Path,
                () => CateColumnReader.ReadTreatment(data.Raw, "causal fit", columns with { TreatmentKind = TreatmentKind.MultiArm }).ArmNames.Length);
            if (armCount > 2)
                columns = columns with { TreatmentKind = TreatmentKind.MultiArm };
            estimator = CateMethods.ForArms(estimator, armCount);
        }
        var ctx = data.Context;
        var trainer = new CateTrainer(estimator, columns, ctx.NextComponentSeed(), ctx, maxDegreeOfParallelism: data.Threads);
        var clock = Stopwatch.StartNew();
        var fitted = ConsoleOutput.WithProgress(stdout, ctx, $"Fitting the {estimator.Method} model",
            () => DataOptions.OnFile(data.Path, () => data.Featurizer.Append(trainer).Fit(data.Raw)));
        var seconds = clock.Elapsed.TotalSeconds;
        if (compact)
            fitted = new CausalTransformerChain<CateTransformer>(fitted.Transformers.SetItem(fitted.Transformers.Length - 1, fitted.LastTransformer.Compact()));
        ctx.Model.Save(fitted, data.Raw.Schema, modelPath);

        var model = fitted.LastTransformer.Model;
        var ates = model.AverageEffects.Where(a => a.Estimand == Estimand.Ate).ToList();
        var arms = model.ControlArm is { } control ? [control, .. model.EffectNames] : new List<string>();
        if (format == "json")
        {
            JsonOutput.Write(stdout, json =>
            {
                json.WriteStartObject();
                json.WriteString("method", model.Method);
                json.WriteNumber("n", data.Raw.RowCount);
                json.WriteStartArray("arms");
                foreach (var arm in arms)
                    json.WriteStringValue(arm);
                json.WriteEndArray();
                var several = columns.TreatmentKind == TreatmentKind.MultiArm;
                Field(json, "ate", several, ates.Select(a => a.Estimate));
                Field(json, "ate_se", several, ates.Select(a => a.StandardError));
                Field(json, "ate_lower", several, ates.Select(a => a.Interval().Lower));
                Field(json, "ate_upper", several, ates.Select(a => a.Interval().Upper));
                json.WriteNumber("fit_seconds", Math.Round(seconds, 3));
                json.WriteEndObject();
            });
            return CausalCli.Success;
        }
        var console = ConsoleOutput.For(stdout);
        console.WriteLine(FormattableString.Invariant($"{model.Method} model fitted on {data.Raw.RowCount:N0} rows in {seconds:F1} s → {modelPath}"));
        if (arms.Count > 0)
            console.WriteLine($"arms: {string.Join(", ", arms)} (control: {model.ControlArm})");
        var table = new Table().AddColumns("effect", "ATE (AIPW)", "SE", "95 % CI", "n");
        foreach (var a in ates)
        {
            var (lo, hi) = a.Interval();
            table.AddRow(Markup.Escape(a.Arm), ConsoleOutput.Format(a.Estimate), ConsoleOutput.Format(a.StandardError),
                $"{ConsoleOutput.Format(lo)} … {ConsoleOutput.Format(hi)}", a.Count.ToString(CultureInfo.InvariantCulture));
        }
        console.Write(table);
        if (model.Overlap is { } overlap)
            console.WriteLine(overlap.ToString());
        return CausalCli.Success;
    }

    /// <summary>A number, or an array of numbers with several arms.</summary>
    private static void Field(System.Text.Json.Utf8JsonWriter json, string name, bool array, IEnumerable<double> values)
    {
        var list = values.ToList();
        if (!array)
        {
            JsonOutput.Number(json, name, list.Count > 0 ? list[0] : null);
            return;
        }
        json.WriteStartArray(name);
        foreach (var v in list)
            json.WriteNumberValue(v);
        json.WriteEndArray();
    }
}
