using BenchmarkDotNet.Attributes;

namespace Microsoft.ML.Causal.Benchmarks;

/// <summary>CSV load of 100 000 rows × 20 numeric columns: CsvHelper into double[] against our loader.</summary>
[MemoryDiagnoser]
public class CsvLoadBenchmarks
{
    private const int Columns = 20;
    private string _path = "";

    [GlobalSetup]
    public void Setup() => _path = CsvVariants.Generate(Path.Combine(Path.GetTempPath(), "causal-bench", $"numeric-100000x{Columns}.csv"), 100_000, Columns);

    [Benchmark(Baseline = true)]
    public double CsvHelperIntoArrays() => CsvVariants.Baseline(_path, Columns);

    [Benchmark]
    public double LoadFromTextFile() => CsvVariants.Run("load", _path, Columns);

    [Benchmark]
    public double LoadFromTextFileTyped() => CsvVariants.Run("load-typed", _path, Columns);
}
