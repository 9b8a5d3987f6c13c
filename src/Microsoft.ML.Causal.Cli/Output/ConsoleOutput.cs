using Spectre.Console;

namespace Microsoft.ML.Causal.Cli.Output;

/// <summary>A Spectre console over a text writer: colours and a wide layout on a terminal, plain text when redirected.</summary>
internal static class ConsoleOutput
{
    /// <summary>Whether <paramref name="writer"/> is the process's standard output on a terminal.</summary>
    public static bool IsTerminal(TextWriter writer) => ReferenceEquals(writer, Console.Out) && !Console.IsOutputRedirected;

    /// <summary>
    /// Runs long <paramref name="work"/>: on a terminal, under a status line showing the context's latest log
    /// message (progress of the fits); otherwise (redirected output, tests) it just runs, printing nothing extra.
    /// </summary>
    public static T WithProgress<T>(TextWriter writer, CausalContext context, string title, Func<T> work)
    {
        if (!IsTerminal(writer))
            return work();
        return For(writer).Status().Start(title, status =>
        {
            void Show(object? sender, CausalLogEventArgs e) => status.Status($"{Markup.Escape(title)}: {Markup.Escape(e.Source)}: {Markup.Escape(e.Message)}");
            context.Log += Show;
            try
            {
                return work();
            }
            finally
            {
                context.Log -= Show;
            }
        });
    }

    public static IAnsiConsole For(TextWriter writer)
    {
        var terminal = IsTerminal(writer);
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(writer),
            Ansi = terminal ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = terminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = terminal ? InteractionSupport.Detect : InteractionSupport.No,
        });
        if (!terminal)
            console.Profile.Width = 160;
        return console;
    }

    /// <summary>A number for a table: invariant culture, at most 6 significant digits.</summary>
    public static string Format(double? value) => value is { } v ? v.ToString("G6", System.Globalization.CultureInfo.InvariantCulture) : "";
}
