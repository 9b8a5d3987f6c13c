using System.CommandLine;
using System.CommandLine.Parsing;
using Microsoft.ML.Causal.Cli.Commands;
using Microsoft.ML.Causal.Data;
using Microsoft.ML.Causal.Persistence;

namespace Microsoft.ML.Causal.Cli;

/// <summary>
/// The <c>causal</c> command. Exit codes: 0 success, 1 bad input (one line on stderr naming the file, column and
/// row), 2 bad usage (unknown command or flag, missing required flag).
/// </summary>
internal static class CausalCli
{
    public const int Success = 0;
    public const int BadInput = 1;
    public const int BadUsage = 2;

    /// <summary>Runs the command line <paramref name="args"/>, writing to the given streams.</summary>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var root = new RootCommand("causal: causal machine learning from the command line (Microsoft.ML.Causal).");
        root.Subcommands.Add(DescribeCommand.Create(stdout));
        root.Subcommands.Add(PredictCommand.Create(stdout));
        root.Subcommands.Add(AteCommand.Create(stdout));
        root.Subcommands.Add(FitCommand.Create(stdout));
        root.Subcommands.Add(ProfitCommand.Create(stdout));
        root.Subcommands.Add(CoarseCommand.Create(stdout));
        root.Subcommands.Add(SegmentCommand.Create(stdout));
        root.Subcommands.Add(AssignCommand.Create(stdout));

        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var error in parsed.Errors)
                stderr.WriteLine($"error: {Describe(error)}");
            stderr.WriteLine("Run 'causal --help' for usage.");
            return BadUsage;
        }
        try
        {
            return parsed.Invoke(new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false });
        }
        catch (Exception e) when (e is CliInputException or DataLoadException or SchemaMismatchException or DataValidationException
                                      or ModelFileException or FileNotFoundException or DirectoryNotFoundException or UnauthorizedAccessException)
        {
            stderr.WriteLine($"error: {OneLine(e.Message)}");
            return BadInput;
        }
    }

    /// <summary>A parse error's message, prefixed with its flag when the message does not name it (e.g. a value not among the allowed ones).</summary>
    private static string Describe(ParseError error)
    {
        var option = error.SymbolResult switch
        {
            OptionResult o => o.Option,
            ArgumentResult { Parent: OptionResult o } => o.Option,
            _ => null,
        };
        return option is null || error.Message.Contains(option.Name, StringComparison.Ordinal) ? error.Message : $"{option.Name}: {error.Message}";
    }

    private static string OneLine(string message) => message.ReplaceLineEndings(" ");
}
