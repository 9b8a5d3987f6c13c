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
    ["harness", "cate-accuracy", .. var rest] => CateAccuracyHarness.Run(rest),
    ["child", "cate-accuracy", .. var rest] => CateAccuracyHarness.RunChild(rest),
    ["harness", "cate-coverage", .. var rest] => CateCoverageHarness.Run(rest),
    ["child", "cate-coverage", .. var rest] => CateCoverageHarness.RunChild(rest),
    ["harness", "cate-speed", .. var rest] => CateSpeedHarness.Run(rest),
    ["harness", "cate-csv", .. var rest] => CateCsvHarness.Run(rest),
    ["harness", "cate-nuisance", .. var rest] => CateNuisanceHarness.Run(rest),
    ["child", "cate-nuisance", .. var rest] => CateNuisanceHarness.RunChild(rest),
    ["harness", "prop-curve", .. var rest] => CateNuisanceHarness.Curve(rest),
    ["harness", "forest-speed", .. var rest] => ForestSpeedHarness.Run(rest),
    ["child", "forest-speed", .. var rest] => ForestSpeedHarness.RunChild(rest),
    ["harness", "forest-coverage", .. var rest] => ForestCoverageHarness.Run(rest),
    ["child", "forest-coverage", .. var rest] => ForestCoverageHarness.RunChild(rest),
    ["harness", "forest-predict", .. var rest] => ForestPredictHarness.Run(rest),
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
          harness cate-accuracy [--designs A,B,C,D,WA] [--sizes 2000,10000] [--methods s,t,x,r,dr,linear-dml] [--p 10] [--test 5000] [--threads 2]
          harness cate-accuracy --paper [--reps 10] [--methods ...]   the R-learner paper's setting (n = 500, d = 6, MSE)
          harness cate-coverage [--reps 200] [--rows 2000] [--p 10] [--test 1000] [--variants learned,known-e] [--threads 2]
          harness cate-speed [--sizes 2000,10000,100000] [--methods dr,dr:2,x] [--big 1000000] [--big-p 20] [--threads 2]
          harness cate-csv [--design WA] [--rows 100000] [--p 10] [--test 5000] [--out DIR]   the speed harness's draw as CSV (x1..xp, w, y, tau)
          harness forest-coverage [--rows 5000] [--d 2,3,4,5,6,8] [--reps 40] [--trees 2000] [--min-node 5] [--honesty-fraction 0.5] [--alpha 0.05] [--group-size 2] [--known-e] [--threads 2]   Wager–Athey Table 2: MSE and coverage per d
          harness forest-predict [--rows N] [--p P] [--trees T] [--threads K] [--repeats R] [--profile ROWS] [--variants row,batch] [--model FILE]
          harness cate-nuisance [--settings A:2000,C:10000] [--reps 30] [--threads 2]   AIPW bias with learned or true nuisances
          bdn [BenchmarkDotNet arguments]                        micro-benchmarks (e.g. bdn --filter '*Csv*' --job short)
        """);
    return 2;
}
