using System.CommandLine;
using System.Globalization;

namespace Microsoft.ML.Causal.Cli.Commands;

/// <summary>Flags several commands share, with the checks that make a bad value a usage error (exit code 2).</summary>
internal static class CliOptions
{
    /// <summary><c>--format table|json</c> (default table).</summary>
    public static Option<string> Format()
    {
        var format = new Option<string>("--format") { Description = "table (default) or json.", DefaultValueFactory = _ => "table" };
        format.AcceptOnlyFromAmong("table", "json");
        return format;
    }

    /// <summary><c>--level</c>: an interval's level, strictly between 0 and 1 (default 0.95).</summary>
    public static Option<double> Level(string description)
    {
        var level = new Option<double>("--level") { Description = description, DefaultValueFactory = _ => 0.95 };
        level.Validators.Add(r =>
        {
            var v = r.GetValueOrDefault<double>();
            if (!(v > 0 && v < 1))
                r.AddError($"--level must lie strictly between 0 and 1; got {v.ToString(CultureInfo.InvariantCulture)}.");
        });
        return level;
    }

    /// <summary>Requires a given integer flag to be at least <paramref name="least"/>; <paramref name="why"/> is appended to the message.</summary>
    public static void AtLeast<T>(Option<T> option, int least, string why = "") =>
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<T>() is int value && value < least)
                result.AddError(FormattableString.Invariant($"{option.Name} must be at least {least}{why}; got {value}."));
        });
}
