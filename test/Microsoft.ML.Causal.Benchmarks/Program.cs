// Benchmarks: BenchmarkDotNet micro-benchmarks ("bdn ...") and whole-run harnesses ("harness NAME ...").
// Not part of CI's test run; figures go to RESULTS.md with machine and date.
using BenchmarkDotNet.Running;
using Microsoft.ML.Causal.Benchmarks;

return args switch
{
    ["bdn", .. var rest] => RunBenchmarkDotNet(rest),
    ["harness", "csv-load", .. var rest] => CsvLoadHarness.Run(rest),
    ["child", "csv-load", .. var rest] => CsvLoadHarness.RunChild(rest),
    ["harness", "boosting", .. var rest] => BoostingHarness.Run(rest),
    ["harness", "coarse", .. var rest] => CoarseHarness.Run(rest),
    ["harness", "group-lasso", .. var rest] => GroupLassoHarness.Run(rest),
    _ => Usage(),
};

static int RunBenchmarkDotNet(string[] args)
{
    BenchmarkSwitcher.FromAssembly(typeof(CsvLoadHarness).Assembly).Run(args);
    return 0;
}

static int Usage()
{
    Console.Error.WriteLine("""
        usage:
          harness csv-load [--rows N] [--cols K] [--repeats R]   CSV load and featurize vs CsvHelper into double[]
          harness boosting [--rows N] [--trees T] [--threads K] [--task regression|binary] [--csv DIR]
          harness coarse [--rows N] [--levels M] [--k K] [--restarts R] [--threads T] [--pot-rows N] [--pot-out PREFIX]
          harness group-lasso [--rows N] [--features P] [--segments M] [--creatives K] [--path L] [--folds F] [--alpha-percent A] [--no-cv]
          bdn [BenchmarkDotNet arguments]                        micro-benchmarks (e.g. bdn --filter '*Csv*' --job short)
        """);
    return 2;
}
