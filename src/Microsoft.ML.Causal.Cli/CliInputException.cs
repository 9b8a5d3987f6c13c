namespace Microsoft.ML.Causal.Cli;

/// <summary>Bad input found by a command (exit code 1): the message is one line naming the file, column and row where relevant.</summary>
internal sealed class CliInputException(string message, Exception? inner = null) : Exception(message, inner);
