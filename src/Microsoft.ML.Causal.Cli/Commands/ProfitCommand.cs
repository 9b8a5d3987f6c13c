using System.CommandLine;
using System.Globalization;
using Microsoft.ML.Causal.Cli.Output;
using Microsoft.ML.Causal.Data;
using Microsoft.ML.Causal.Segmentation.CoarsePersonalization;
using Microsoft.ML.Causal.Trainers;

namespace Microsoft.ML.Causal.Cli.Commands;

/// <summary>
/// <c>causal profit --model model.zip --data d.csv --levels 0,5,10,... --margin M --out profits.csv [--cost C]
/// [--baseline COL [--depth-scale S]] [--format table|json]</c>: turns a model written by <c>causal fit</c> into the profit
/// matrix <c>causal coarse</c> reads. <c>profits.csv</c> has one row per input row, in input order, and one column
/// <c>profit_&lt;level&gt;</c> per listed level, in the order listed: the expected incremental profit of offering that level,
/// relative to the control level, by <see cref="ProfitFormula"/>:
/// π(t) = (M − δ·S·t)·Δ(t) − δ·S·t·b − C·1[t ≠ control], π(control) = 0, where Δ(t) is the model's incremental outcome
/// (τ̂ of arm t against control; for a continuous treatment t·τ̂, the linear dose response from dose 0), δ = 1 with
/// <c>--baseline</c> (the column b holds each row's expected outcome at control, and the depth S·t is given away on it too)
/// and 0 without. JSON: <c>{"rows":..,"out":..,"levels":[..],"columns":[..]}</c>.
/// </summary>
internal static class ProfitCommand
{
    public static Command Create(TextWriter stdout)
    {
        var model = new Option<string>("--model") { Description = "The model zip written by 'causal fit' (several arms, binary or continuous treatment).", Required = true };
        var data = new Option<string>("--data") { Description = "The CSV file to score (header row required; '.' decimal point).", Required = true };
        var levels = new Option<string>("--levels") { Description = "The treatment levels, comma-separated, as the treatment column writes them (e.g. 0,5,10); one profit_<level> column each.", Required = true };
        var margin = new Option<double>("--margin") { Description = "Profit per unit of incremental outcome (e.g. the gross margin as a share of spend).", Required = true };
        var cost = new Option<double>("--cost") { Description = "Cost of offering any level other than control, per row (default 0).", DefaultValueFactory = _ => 0 };
        var baseline = new Option<string?>("--baseline") { Description = "A column with each row's expected outcome at control; the level's depth is then also given away on it." };
        var scale = new Option<double>("--depth-scale") { Description = "With --baseline: the share of the outcome given away per unit of level (default 0.01, levels in percent).", DefaultValueFactory = _ => 0.01 };
        var output = new Option<string>("--out") { Description = "The profits CSV to write.", Required = true };
        var format = CliOptions.Format();
        foreach (var number in new[] { margin, cost, scale })
        {
            number.Validators.Add(r =>
            {
                var v = r.GetValueOrDefault<double>();
                if (!double.IsFinite(v) || (number != margin && v < 0))
                    r.AddError($"{number.Name} must be a finite number{(number == margin ? "" : " ≥ 0")}; got {v.ToString(CultureInfo.InvariantCulture)}.");
            });
        }
        var command = new Command("profit", "Turn a fitted model into expected incremental profits per row and treatment level (input of 'causal coarse').")
        {
            model, data, levels, margin, cost, baseline, scale, output, format,
        };
        command.SetAction(parsed =>
        {
            var formula = new ProfitFormula
            {
                Margin = parsed.GetValue(margin),
                PromotionCost = parsed.GetValue(cost),
                DiscountsOutcome = parsed.GetValue(baseline) is not null,
                DepthScale = parsed.GetValue(scale),
            };
            return Run(parsed.GetValue(model)!, parsed.GetValue(data)!, parsed.GetValue(levels)!, formula, parsed.GetValue(baseline), parsed.GetValue(output)!, parsed.GetValue(format)!, stdout);
        });
        return command;
    }

    private static int Run(string modelPath, string dataPath, string levelList, ProfitFormula formula, string? baselineColumn, string outPath, string format, TextWriter stdout)
    {
        var levels = levelList.Split(',', StringSplitOptions.TrimEntries);
        if (levels.Any(l => l.Length == 0) || levels.Distinct(StringComparer.Ordinal).Count() != levels.Length)
            throw new CliInputException($"--levels '{levelList}': give distinct, non-empty levels separated by commas (e.g. 0,5,10).");
        var ctx = new CausalContext(seed: 42);
        var chain = ModelFiles.Load<CausalTransformerChain<CateTransformer>>(ctx, modelPath, out var inputSchema);
        var cate = chain.LastTransformer;
        var view = ctx.Data.LoadFromTextFile(dataPath, new CsvLoadOptions { ColumnTypes = PredictCommand.DeclaredTypes(ctx, dataPath, inputSchema) });
        if (baselineColumn is not null && !view.Schema.TryGetColumn(baselineColumn, out _))
            throw new CliInputException($"{dataPath}: --baseline column '{baselineColumn}' is not in the file; add it or drop --baseline.");
        var scored = DataOptions.OnFile(dataPath, () => chain.Transform(view));
        var n = scored.RowCount;
        var (control, effects, columnOf) = Effects(cate, levels, scored.GetColumn<double>(CateTransformer.CateColumn).Span, n, modelPath);
        var b = baselineColumn is null ? default : view.GetNumericColumn(baselineColumn).Span;
        ProfitMatrix profits;
        try
        {
            profits = CateProfits.FromEffects(effects, n, [.. levels.Where(l => l != control)], control, formula, b);
        }
        catch (ArgumentException e)
        {
            throw new CliInputException($"{dataPath}: {e.Message}");
        }
        var names = levels.Select(l => $"profit_{l}").ToList();
        CsvOutput.WriteNumbers(outPath, names, n, (i, j) => profits[i, columnOf[j]]);
        if (format == "json")
        {
            JsonOutput.Write(stdout, json =>
            {
                json.WriteStartObject();
                json.WriteNumber("rows", n);
                json.WriteString("out", outPath);
                json.WriteStartArray("levels");
                foreach (var l in levels)
                    json.WriteStringValue(l);
                json.WriteEndArray();
                json.WriteStartArray("columns");
                foreach (var c in names)
                    json.WriteStringValue(c);
                json.WriteEndArray();
                json.WriteEndObject();
            });
        }
        else
        {
            stdout.WriteLine(FormattableString.Invariant($"{n:N0} rows × {levels.Length} levels of expected incremental profit from the {cate.Model.Method} model → {outPath}"));
        }
        return CausalCli.Success;
    }

    /// <summary>
    /// The control level, the incremental outcome of every listed non-control level per row (row-major), and for each listed
    /// level its column in the profit matrix (control first, then the non-control levels in the order listed).
    /// </summary>
    private static (string Control, double[] Effects, int[] ColumnOf) Effects(CateTransformer cate, string[] levels, ReadOnlySpan<double> tau, int n, string modelPath)
    {
        var model = cate.Model;
        var e = model.EffectCount;
        string control;
        Func<string, int, double> effect;
        if (cate.TreatmentKind == TreatmentKind.Continuous)
        {
            // Continuous: τ̂ is the marginal effect of one unit of dose; level t's incremental outcome over dose 0 is t·τ̂.
            var values = levels.ToDictionary(l => l, l => double.TryParse(l, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v)
                ? v : throw new CliInputException($"--levels: '{l}' is not a number; the model in {modelPath} has a continuous treatment, so its levels are doses."));
            control = levels.FirstOrDefault(l => values[l] == 0) ?? "0";
            var rowsTau = tau.ToArray();
            effect = (level, row) => values[level] * rowsTau[row];
        }
        else
        {
            control = model.ControlArm!;
            var arms = new[] { control }.Concat(model.EffectNames).ToArray();
            var unknown = levels.FirstOrDefault(l => !arms.Contains(l, StringComparer.Ordinal));
            if (unknown is not null)
                throw new CliInputException($"--levels: '{unknown}' is not an arm of the model in {modelPath}; its arms are {string.Join(", ", arms)} (control {control}).");
            var index = model.EffectNames.Select((a, k) => (a, k)).ToDictionary(p => p.a, p => p.k, StringComparer.Ordinal);
            var rowsTau = tau.ToArray();
            effect = (level, row) => rowsTau[row * e + index[level]];
        }
        var others = levels.Where(l => l != control).ToArray();
        var effects = new double[(long)n * others.Length];
        for (var i = 0; i < n; i++)
        {
            for (var k = 0; k < others.Length; k++)
                effects[i * others.Length + k] = effect(others[k], i);
        }
        var columnOf = levels.Select(l => l == control ? 0 : 1 + Array.IndexOf(others, l)).ToArray();
        return (control, effects, columnOf);
    }
}
