using Microsoft.ML.Causal.Cli;

return CausalCli.Run(args, Console.Out, Console.Error);
