using System.CommandLine;
using System.Globalization;
using System.Text;
using Microsoft.ML.Causal.Cli.Output;
using Microsoft.ML.Causal.Data;
using Microsoft.ML.Causal.Segmentation.CoarsePersonalization;
using Spectre.Console;

namespace Microsoft.ML.Causal.Cli.Commands;

/// <summary>
/// <c>causal coarse --data profits.csv --k 5 [--id COL] [--capacity LEVEL=SHARE,...] [--fixed-shares] [--restarts R]
/// --out assign.csv [--format table|json]</c> (coarse personalization, step 2): the columns <c>profit_&lt;level&gt;</c>
/// of <c>profits.csv</c> give each person's expected incremental profit at each level; the command chooses K levels
/// and who gets which, maximizing the total profit, by <see cref="LloydSolver"/> (R restarts, default 20, seeded by
/// <c>--seed</c>). <c>--capacity</c> bounds the share of persons at a level: by default each SHARE is a maximum
/// ("at most 20 % get level 50": <c>--capacity 50=0.2</c>), binding when that level is offered, and Lloyd solves every
/// assignment step as the exact transport problem; with <c>--fixed-shares</c> the named levels are the K offered
/// levels and get exactly their shares (which must add up to 1), assigned exactly by <see cref="CapacitatedAssignment"/>.
/// <c>assign.csv</c> has, per input row in order, the <c>--id</c> value (when given), <c>level</c> and <c>profit</c>.
/// JSON: <c>{"levels":[..],"shares":[..],"profit":..,"full_profit":..,"recovery":..,"ratio":..}</c> with
/// recovery = (profit − best single level) / (full − best single level) and ratio = profit / full (both scored by
/// <see cref="CoarseEvaluation"/> on the file's profits).
/// </summary>
internal static class CoarseCommand
{
    /// <summary>The prefix of the profit columns (docs/cli.md).</summary>
    public const string ProfitPrefix = "profit_";

    public static Command Create(TextWriter stdout)
    {
        var data = new DataOptions(DataFlags.File);
        var k = new Option<int>("--k") { Description = "K, the number of distinct levels to offer (≥ 1).", Required = true };
        var id = new Option<string>("--id") { Description = "A column identifying each row, copied to the first column of --out." };
        var capacity = new Option<string>("--capacity") { Description = "Share bounds LEVEL=SHARE,... (each SHARE in [0, 1]; a maximum share unless --fixed-shares)." };
        var fixedShares = new Option<bool>("--fixed-shares") { Description = "The --capacity shares are exact: the named levels are the K offered levels, their shares adding up to 1." };
        var restarts = new Option<int>("--restarts") { Description = "Lloyd restarts, each from its own seeding (default 20).", DefaultValueFactory = _ => 20 };
        var output = new Option<string>("--out") { Description = "The assignment CSV to write: level and profit per input row.", Required = true };
        var format = CliOptions.Format();
        var command = new Command("coarse", "Coarse personalization: choose K treatment levels from a profit matrix and assign each row to one.")
        {
            k, id, capacity, fixedShares, restarts, output, format,
        };
        data.AddTo(command);
        CliOptions.AtLeast(k, 1);
        CliOptions.AtLeast(restarts, 1);
        capacity.Validators.Add(r =>
        {
            if (r.Tokens is [var token] && ParseCapacity(token.Value, out var error) is null)
                r.AddError(error!);
        });
        command.Validators.Add(r =>
        {
            if (r.GetValue(fixedShares) && r.GetValue(capacity) is null)
                r.AddError("--fixed-shares needs --capacity LEVEL=SHARE,... naming the K offered levels.");
            if (r.GetValue(fixedShares) && r.GetValue(capacity) is { } text && ParseCapacity(text, out _) is { } named && named.Count != r.GetValue(k))
                r.AddError(FormattableString.Invariant($"--fixed-shares: --capacity names {named.Count} levels but --k is {r.GetValue(k)}; with fixed shares the named levels are the offered ones."));
        });
        command.SetAction(parsed =>
        {
            var path = parsed.GetValue(data.Data)!;
            var ctx = new CausalContext(parsed.GetValue(data.Seed));
            var table = Load(ctx, path, parsed.GetValue(id));
            var bounds = ParseCapacity(parsed.GetValue(capacity), out _) ?? [];
            var policy = ConsoleOutput.WithProgress(stdout, ctx, "Choosing levels",
                () => Solve(path, table.Profits, parsed.GetValue(k), bounds, parsed.GetValue(fixedShares), parsed.GetValue(restarts),
                    parsed.GetValue(data.Seed), parsed.GetValue(data.Threads)));
            Write(parsed.GetValue(output)!, table, policy);
            Report(stdout, table.Profits, policy, parsed.GetValue(output)!, parsed.GetValue(format) == "json");
            return CausalCli.Success;
        });
        return command;
    }

    /// <summary>The profit matrix of the file and the <c>--id</c> column's values (null without it).</summary>
    internal sealed record ProfitTable(ProfitMatrix Profits, string? IdColumn, string[]? Ids);

    /// <summary>Reads the <c>profit_&lt;level&gt;</c> columns as numbers (every cell must be one) and the id column as text.</summary>
    internal static ProfitTable Load(CausalContext ctx, string path, string? idColumn)
    {
        var header = DataOptions.Header(ctx, path);
        var columns = header.Where(c => c.StartsWith(ProfitPrefix, StringComparison.Ordinal)).ToList();
        if (columns.Count == 0)
            throw new CliInputException($"{path}: no column is named {ProfitPrefix}<level>; give one column of expected incremental profit per treatment level (e.g. {ProfitPrefix}0, {ProfitPrefix}10), as 'causal profit' writes. Columns: {string.Join(", ", header)}.");
        if (columns.FirstOrDefault(c => c.Length == ProfitPrefix.Length) is { } bare)
            throw new CliInputException($"{path}: column '{bare}' names no level; name it {ProfitPrefix}<level>.");
        if (idColumn is not null && !header.Contains(idColumn, StringComparer.Ordinal))
            throw new CliInputException($"{path}: --id names column '{idColumn}', which the file does not have. Columns: {string.Join(", ", header)}.");
        if (idColumn is not null && columns.Contains(idColumn, StringComparer.Ordinal))
            throw new CliInputException($"{path}: --id names '{idColumn}', which is a profit column; name the column that identifies the rows.");
        var types = columns.ToDictionary(c => c, _ => ColumnType.Double, StringComparer.Ordinal);
        if (idColumn is not null)
            types[idColumn] = ColumnType.Text;
        ICausalDataView raw;
        try
        {
            raw = ctx.Data.LoadFromTextFile(path, new CsvLoadOptions { ColumnTypes = types });
        }
        catch (DataLoadException e) when (e.ColumnName is { } name && columns.Contains(name) && e.Message.Contains(" is not a Double.", StringComparison.Ordinal))
        {
            // The loader's fix (declare the column as text) is not the CLI's: a profit must be a number.
            var value = e.Message[(e.Message.IndexOf("': '", StringComparison.Ordinal) + 3)..e.Message.IndexOf(" is not a Double.", StringComparison.Ordinal)];
            throw new CliInputException($"{path}, line {e.Line}, column '{name}': {value} is not a number; every profit must be a number with '.' as the decimal point.", e);
        }
        var n = raw.RowCount;
        if (n == 0)
            throw new CliInputException($"{path}: the file has a header but no rows; give one row per person.");
        var m = columns.Count;
        var values = new double[(long)n * m];
        for (var j = 0; j < m; j++)
        {
            var column = raw.GetColumn<double>(columns[j]).Span;
            for (var i = 0; i < n; i++)
            {
                if (!double.IsFinite(column[i]))
                {
                    throw new CliInputException(string.Create(CultureInfo.InvariantCulture,
                        $"{path}, line {i + 2}, column '{columns[j]}': the profit is {(double.IsNaN(column[i]) ? "missing" : column[i])}; every profit must be a finite number (fill the cell or drop the row)."));
                }
                values[(long)i * m + j] = column[i];
            }
        }
        var matrix = new ProfitMatrix(values, n, m, [.. columns.Select(c => c[ProfitPrefix.Length..])]);
        var ids = idColumn is null ? null : raw.GetColumn<string>(idColumn).ToArray();
        return new ProfitTable(matrix, idColumn, ids);
    }

    /// <summary>
    /// The <c>--capacity</c> bounds LEVEL=SHARE,... in order, or null (with <paramref name="error"/>) when malformed;
    /// null text gives null with no error.
    /// </summary>
    internal static List<(string Level, double Share)>? ParseCapacity(string? text, out string? error)
    {
        error = null;
        if (text is null)
            return null;
        var bounds = new List<(string, double)>();
        foreach (var item in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var at = item.LastIndexOf('=');
            if (at <= 0 || !double.TryParse(item[(at + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture, out var share))
            {
                error = $"--capacity: '{item}' is not LEVEL=SHARE (e.g. 50=0.2: at most 20 % of rows get level 50).";
                return null;
            }
            var level = item[..at].Trim();
            if (!(share >= 0 && share <= 1))
            {
                error = $"--capacity: the share of level '{level}' is {item[(at + 1)..]}; a share is a fraction in [0, 1] (0.2 for 20 %).";
                return null;
            }
            if (bounds.Any(b => b.Item1 == level))
            {
                error = $"--capacity names level '{level}' twice.";
                return null;
            }
            bounds.Add((level, share));
        }
        if (bounds.Count == 0)
        {
            error = "--capacity names no level; give LEVEL=SHARE,...";
            return null;
        }
        return bounds;
    }

    internal static CoarsePolicy Solve(string path, ProfitMatrix profits, int k, List<(string Level, double Share)> bounds, bool fixedShares,
        int restarts, int seed, int threads)
    {
        var m = profits.LevelCount;
        if (k > m)
            throw new CliInputException($"{path}: --k is {k}, but the file has only {m} {ProfitPrefix}<level> column{(m == 1 ? "" : "s")} ({string.Join(", ", profits.LevelNames)}); offer at most {m} levels.");
        var indices = new int[bounds.Count];
        for (var b = 0; b < bounds.Count; b++)
        {
            indices[b] = IndexOf(profits.LevelNames, bounds[b].Level);
            if (indices[b] < 0)
                throw new CliInputException($"{path}: --capacity names level '{bounds[b].Level}', but the file has no column {ProfitPrefix}{bounds[b].Level}. Levels: {string.Join(", ", profits.LevelNames)}.");
        }
        try
        {
            if (fixedShares)
            {
                var total = bounds.Sum(b => b.Share);
                if (Math.Abs(total - 1) > 1e-9)
                    throw new CliInputException(string.Create(CultureInfo.InvariantCulture,
                        $"{path}: --capacity: with --fixed-shares the shares of the offered levels must add up to 1; they add up to {total:G6}. Change them so every row gets a level."));
                var shares = bounds.Select(b => b.Share).ToArray();
                return CapacitatedAssignment.Solve(profits, indices, shares, shares);
            }
            double[]? maximum = null;
            if (bounds.Count > 0)
            {
                maximum = new double[m];
                Array.Fill(maximum, 1.0);
                for (var b = 0; b < bounds.Count; b++)
                    maximum[indices[b]] = bounds[b].Share;
            }
            var options = new LloydOptions { Restarts = restarts, Seed = seed, MaximumShares = maximum, MaxDegreeOfParallelism = threads == 0 ? -1 : threads };
            return new LloydSolver(options).Solve(profits, k);
        }
        catch (ArgumentException e)
        {
            // Share bounds no set of K levels can meet: the solvers name the bounds and the fix.
            throw new CliInputException($"{path}: --capacity cannot be met: {e.Message.Split(" (Parameter", 2)[0]}", e);
        }
    }

    private static int IndexOf(IReadOnlyList<string> names, string name)
    {
        for (var j = 0; j < names.Count; j++)
        {
            if (names[j] == name)
                return j;
        }
        return -1;
    }

    private static void Write(string path, ProfitTable table, CoarsePolicy policy)
    {
        var profits = table.Profits;
        var header = table.IdColumn is null ? new[] { "level", "profit" } : [table.IdColumn, "level", "profit"];
        using var writer = CsvOutput.Create(path, header);
        var line = new StringBuilder();
        for (var i = 0; i < profits.RowCount; i++)
        {
            line.Clear();
            if (table.Ids is { } ids)
                line.Append(CsvOutput.Quote(ids[i])).Append(',');
            var level = policy.LevelOf(i);
            line.Append(CsvOutput.Quote(profits.LevelNames[level])).Append(',').Append(CsvOutput.Number(profits[i, level]));
            writer.WriteLine(line);
        }
    }

    private static void Report(TextWriter stdout, ProfitMatrix profits, CoarsePolicy policy, string outPath, bool json)
    {
        var score = CoarseEvaluation.Score(profits, policy);
        var shares = policy.Shares;
        if (json)
        {
            JsonOutput.Write(stdout, w =>
            {
                w.WriteStartObject();
                w.WriteStartArray("levels");
                foreach (var level in policy.LevelNames)
                    w.WriteStringValue(level);
                w.WriteEndArray();
                w.WriteStartArray("shares");
                foreach (var share in shares)
                    w.WriteNumberValue(share);
                w.WriteEndArray();
                w.WriteNumber("profit", score.Profit);
                w.WriteNumber("full_profit", score.FullProfit);
                w.WriteNumber("recovery", score.Recovery);
                w.WriteNumber("ratio", score.Ratio);
                w.WriteEndObject();
            });
            return;
        }
        var console = ConsoleOutput.For(stdout);
        console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{policy.LevelNames.Count} of {profits.LevelCount} levels offered to {profits.RowCount:N0} rows ({policy.Method}) → {outPath}"));
        var table = new Table().AddColumns("level", "share", "rows", "profit");
        var totals = new double[policy.LevelNames.Count];
        for (var i = 0; i < profits.RowCount; i++)
            totals[policy.Segments[i]] += profits[i, policy.Levels[policy.Segments[i]]];
        for (var s = 0; s < policy.LevelNames.Count; s++)
        {
            table.AddRow(Markup.Escape(policy.LevelNames[s]), shares[s].ToString("P1", CultureInfo.InvariantCulture),
                policy.Counts[s].ToString(CultureInfo.InvariantCulture), ConsoleOutput.Format(totals[s]));
        }
        console.Write(table);
        console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"profit {ConsoleOutput.Format(score.Profit)}; full personalization {ConsoleOutput.Format(score.FullProfit)}; best single level {ConsoleOutput.Format(score.BestSingleProfit)}"));
        console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"recovery {score.Recovery:P2}, ratio {score.Ratio:P2}"));
    }
}
