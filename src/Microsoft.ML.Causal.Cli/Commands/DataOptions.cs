using System.CommandLine;
using System.Globalization;
using System.CommandLine.Parsing;
using Microsoft.ML.Causal.Data;
using Microsoft.ML.Causal.Trainers;
using Microsoft.ML.Causal.Transforms;

namespace Microsoft.ML.Causal.Cli.Commands;

/// <summary>
/// The common data flags of every command that analyses a CSV (docs/cli.md): <c>--data</c>, <c>--outcome</c>,
/// <c>--treatment</c>, <c>--features</c> (default: every column no other flag names), <c>--categorical</c>,
/// <c>--weight</c>, <c>--cluster</c>, <c>--control</c>, <c>--seed</c> (42) and <c>--threads</c> (all cores).
/// A command adds them with <see cref="AddTo"/> and reads the file with <see cref="Load"/>: categorical columns
/// load as Text, and the features become one vector through <c>ctx.Transforms.Featurize</c> (numbers pass
/// through, Text columns are one-hot encoded). A command that is not a treatment-effect analysis declares only the
/// flags it uses (<see cref="DataFlags"/>) and reads the file with <see cref="LoadTable"/>.
/// </summary>
internal sealed class DataOptions
{
    private readonly DataFlags _flags;

    /// <summary>The feature vector's column name (another when the file already has a column of that name).</summary>
    private const string FeaturesColumn = "Features";

    public Option<string> Data { get; } = new("--data") { Description = "The CSV file (header row required; '.' decimal point).", Required = true };

    public Option<string> Outcome { get; } = new("--outcome") { Description = "The outcome column (numeric or true/false).", Required = true };

    public Option<string> Treatment { get; } = new("--treatment") { Description = "The treatment column; its distinct values are the arms.", Required = true };

    public Option<string> Features { get; } = new("--features") { Description = "Feature columns, COL,COL,... (default: every column no other flag names)." };

    public Option<string> Categorical { get; } = new("--categorical") { Description = "Columns read as categories (one-hot encoded when features), COL,..." };

    public Option<string> Weight { get; } = new("--weight") { Description = "A non-negative row weight column." };

    public Option<string> Cluster { get; } = new("--cluster") { Description = "A cluster column: standard errors are cluster-robust." };

    public Option<string> Control { get; } = new("--control") { Description = "The control arm's value (default 0, or the first value in sorted order)." };

    public Option<int> Seed { get; } = new("--seed") { Description = "The seed of folds and learners.", DefaultValueFactory = _ => 42 };

    public Option<int> Threads { get; } = new("--threads") { Description = "Most threads to use (0: all cores).", DefaultValueFactory = _ => 0 };

    /// <summary>Declares the flags; a command needs its own instance.</summary>
    /// <param name="flags">The groups of flags the command takes (default: all of them).</param>
    public DataOptions(DataFlags flags = DataFlags.All)
    {
        _flags = flags | DataFlags.File;
        Threads.Validators.Add(result =>
        {
            // A value that is not a number is the parser's error; only a parsed one is checked here.
            if (result.Tokens is [var token] && int.TryParse(token.Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var threads) && threads < 0)
                result.AddError("--threads must be a positive number of threads (or 0 for all cores).");
        });
    }

    /// <summary>The flags of the groups this instance declares, in the order of the documentation.</summary>
    private IEnumerable<Option> Declared()
    {
        yield return Data;
        if (_flags.HasFlag(DataFlags.Effect))
        {
            yield return Outcome;
            yield return Treatment;
        }
        if (_flags.HasFlag(DataFlags.Features))
        {
            yield return Features;
            yield return Categorical;
        }
        if (_flags.HasFlag(DataFlags.Weight))
            yield return Weight;
        if (_flags.HasFlag(DataFlags.Effect))
        {
            yield return Cluster;
            yield return Control;
        }
        yield return Seed;
        yield return Threads;
    }

    /// <summary>Adds the flags to <paramref name="command"/>, with checks that make a bad value a usage error (exit code 2).</summary>
    /// <param name="command">The command.</param>
    /// <param name="otherColumns">The command's own column flags (e.g. <c>--propensity</c>), which the default features leave out too.</param>
    public void AddTo(Command command, params Option<string>[] otherColumns)
    {
        foreach (var option in Declared())
            command.Options.Add(option);
        command.Validators.Add(result =>
        {
            var roles = Roles(result.GetValue, otherColumns);
            var duplicate = roles.GroupBy(r => r.Column, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
            if (duplicate is not null)
                result.AddError($"Column '{duplicate.Key}' is named by both {string.Join(" and ", duplicate.Select(r => r.Flag))}.");
            var features = List(result.GetValue(Features));
            if (result.GetValue(Features) is not null && features.Count == 0)
                result.AddError("--features names no column.");
            foreach (var name in features.GroupBy(f => f, StringComparer.Ordinal).Where(g => g.Count() > 1))
                result.AddError($"--features names '{name.Key}' twice.");
            foreach (var role in roles.Where(r => features.Contains(r.Column, StringComparer.Ordinal)))
                result.AddError($"--features names '{role.Column}', which is the {role.Flag} column.");
        });
    }

    /// <summary>
    /// Loads the CSV, featurizes it and names the columns of the analysis. <paramref name="otherColumns"/> are the
    /// command's own column flags as in <see cref="AddTo"/>; the treatment is read as <paramref name="treatmentKind"/>.
    /// </summary>
    /// <exception cref="CliInputException">A named column is not in the file, or no column is left for the features.</exception>
    public LoadedData Load(ParseResult parsed, TreatmentKind treatmentKind, params Option<string>[] otherColumns)
    {
        var table = LoadTable(parsed, [], otherColumns);
        var columns = new CateColumns(parsed.GetValue(Outcome)!, parsed.GetValue(Treatment)!, table.FeatureVector)
        {
            TreatmentKind = treatmentKind,
            ControlArm = parsed.GetValue(Control),
            Weight = parsed.GetValue(Weight),
            Cluster = parsed.GetValue(Cluster),
        };
        return new LoadedData(table.Path, table.Context, table.Raw, table.Featurizer, columns, table.FeatureColumns, table.Threads);
    }

    /// <summary>
    /// Loads the CSV (the <c>--categorical</c> columns and <paramref name="textColumns"/> as Text), checks that every
    /// column a flag names is in it, and sets up the featurization of the features (the default features leave out
    /// every column a declared flag or <paramref name="otherColumns"/> names).
    /// </summary>
    /// <exception cref="CliInputException">A named column is not in the file, or no column is left for the features.</exception>
    public FeaturizedTable LoadTable(ParseResult parsed, IReadOnlyList<string> textColumns, params Option<string>[] otherColumns)
    {
        var path = parsed.GetValue(Data)!;
        var ctx = new CausalContext(parsed.GetValue(Seed));
        var text = List(parsed.GetValue(Categorical)).Concat(textColumns).Distinct(StringComparer.Ordinal).ToList();
        var header = Header(ctx, path);
        var roles = Roles(parsed.GetValue, otherColumns);
        foreach (var (flag, column) in roles)
        {
            if (!header.Contains(column, StringComparer.Ordinal))
                throw new CliInputException($"{path}: {flag} names column '{column}', which the file does not have. Columns: {string.Join(", ", header)}.");
        }
        var missingText = text.FirstOrDefault(c => !header.Contains(c, StringComparer.Ordinal));
        if (missingText is not null)
            throw new CliInputException($"{path}: --categorical names column '{missingText}', which the file does not have. Columns: {string.Join(", ", header)}.");
        var raw = ctx.Data.LoadFromTextFile(path, new CsvLoadOptions { ColumnTypes = text.ToDictionary(c => c, _ => ColumnType.Text) });
        var named = List(parsed.GetValue(Features));
        var features = named.Count > 0
            ? named
            : raw.Schema.Select(c => c.Name).Where(n => !roles.Any(r => r.Column == n)).ToList();
        if (features.Count == 0)
            throw new CliInputException($"{path}: no column is left for the features; the file has only the columns the other flags name. Add covariates or pass --features.");
        var missing = features.FirstOrDefault(f => !raw.Schema.TryGetColumn(f, out _));
        if (missing is not null)
            throw new CliInputException($"{path}: --features names column '{missing}', which the file does not have. Columns: {string.Join(", ", raw.Schema.Select(c => c.Name))}.");

        var vector = FeaturesColumn;
        for (var i = 1; raw.Schema.TryGetColumn(vector, out _); i++)
            vector = $"{FeaturesColumn}{i}";
        var featurizer = ctx.Transforms.Featurize(vector, [.. features]);
        return new FeaturizedTable(path, ctx, raw, featurizer, vector, features, parsed.GetValue(Threads));
    }

    /// <summary>The column names of the CSV's header row, in file order (the file's other rows are not read).</summary>
    /// <exception cref="CliInputException">The header is malformed (an empty or repeated name, bad quoting).</exception>
    public static IReadOnlyList<string> Header(CausalContext ctx, string path)
    {
        string header;
        using (var reader = new StreamReader(path, System.Text.Encoding.UTF8, detectEncodingFromByteOrderMarks: true))
            header = reader.ReadLine() ?? "";
        try
        {
            return [.. ctx.Data.LoadFromText(header + "\n").Schema.Select(c => c.Name)];
        }
        catch (DataLoadException e)
        {
            // The loader names its source "text": name the file instead.
            throw new CliInputException(path + e.Message[e.SourceName.Length..], e);
        }
    }

    /// <summary>
    /// Runs <paramref name="work"/> on the data of <paramref name="path"/>, turning an error in the data (a bad value,
    /// a missing or mistyped column, too few clusters) into bad input whose one-line message starts with the file.
    /// </summary>
    public static T OnFile<T>(string path, Func<T> work)
    {
        try
        {
            return work();
        }
        catch (Exception e) when (e is DataValidationException or SchemaMismatchException or InvalidOperationException)
        {
            throw new CliInputException($"{path}: {e.Message}", e);
        }
    }

    /// <summary>The comma-separated names of a list flag (empty without the flag).</summary>
    public static List<string> List(string? value) =>
        value is null ? [] : [.. value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)];

    /// <summary>Every column a flag other than --features and --categorical names, with its flag.</summary>
    private List<(string Flag, string Column)> Roles(Func<Option<string>, string?> value, Option<string>[] otherColumns) =>
        new[] { Outcome, Treatment, Weight, Cluster }.Where(o => Declared().Contains(o)).Concat(otherColumns)
            .Select(o => (Flag: o.Name, Column: value(o)))
            .Where(r => !string.IsNullOrEmpty(r.Column))
            .Select(r => (r.Flag, r.Column!))
            .ToList();
}
