using System.CommandLine;
using Microsoft.ML.Causal.Cli.Output;
using Spectre.Console;

namespace Microsoft.ML.Causal.Cli.Commands;

/// <summary>
/// <c>causal describe --data f.csv [--format table|json] [--separator C]</c>: the schema, row count, missing
/// counts and a per-column summary. JSON: <c>{"file":..,"rows":..,"columns":[{"name":..,"type":..,"missing":..,
/// "mean":..,"sd":..,"min":..,"max":..,"distinct":..,"top":..,"top_count":..}]}</c>; keys that do not apply to a
/// column's type, or have no value (all missing), are left out.
/// </summary>
internal static class DescribeCommand
{
    public static Command Create(TextWriter stdout)
    {
        var data = new Option<string>("--data") { Description = "The CSV file (header row required; '.' decimal point).", Required = true };
        var format = new Option<string>("--format") { Description = "table (default) or json.", DefaultValueFactory = _ => "table" };
        format.AcceptOnlyFromAmong("table", "json");
        var separator = new Option<char>("--separator") { Description = "The field separator (default ',').", DefaultValueFactory = _ => ',' };
        var command = new Command("describe", "Describe a CSV file: schema, row count, missing values and a summary per column.") { data, format, separator };
        command.SetAction(parsed => Run(parsed.GetValue(data)!, parsed.GetValue(format)!, parsed.GetValue(separator), stdout));
        return command;
    }

    private static int Run(string path, string format, char separator, TextWriter stdout)
    {
        var ctx = new CausalContext(seed: 42);
        var view = ctx.Data.LoadFromTextFile(path, new Data.CsvLoadOptions { Separator = separator });
        var summaries = view.Schema.Select(c => ColumnSummary.Of(view, c)).ToList();
        if (format == "json")
        {
            JsonOutput.Write(stdout, json =>
            {
                json.WriteStartObject();
                json.WriteString("file", path);
                json.WriteNumber("rows", view.RowCount);
                json.WriteStartArray("columns");
                foreach (var s in summaries)
                {
                    json.WriteStartObject();
                    json.WriteString("name", s.Name);
                    json.WriteString("type", s.Type);
                    json.WriteNumber("missing", s.Missing);
                    JsonOutput.Number(json, "mean", s.Mean);
                    JsonOutput.Number(json, "sd", s.StandardDeviation);
                    JsonOutput.Number(json, "min", s.Min);
                    JsonOutput.Number(json, "max", s.Max);
                    if (s.Distinct is { } d)
                        json.WriteNumber("distinct", d);
                    if (s.Top is { } top)
                    {
                        json.WriteString("top", top);
                        json.WriteNumber("top_count", s.TopCount!.Value);
                    }
                    json.WriteEndObject();
                }
                json.WriteEndArray();
                json.WriteEndObject();
            });
            return CausalCli.Success;
        }

        var console = ConsoleOutput.For(stdout);
        console.WriteLine($"{path}: {view.RowCount:N0} rows, {view.Schema.Count} columns");
        var table = new Table().AddColumns("column", "type", "missing", "mean", "sd", "min", "max", "distinct", "most frequent");
        foreach (var s in summaries)
        {
            table.AddRow(Markup.Escape(s.Name), Markup.Escape(s.Type), s.Missing.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ConsoleOutput.Format(s.Mean), ConsoleOutput.Format(s.StandardDeviation), ConsoleOutput.Format(s.Min), ConsoleOutput.Format(s.Max),
                s.Distinct?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "",
                s.Top is null ? "" : Markup.Escape($"{s.Top} ({s.TopCount})"));
        }
        console.Write(table);
        return CausalCli.Success;
    }
}
