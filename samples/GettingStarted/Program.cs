// Getting started with Microsoft.ML.Causal: load a CSV, featurize, save and reload a pipeline.
using Microsoft.ML.Causal;
using Microsoft.ML.Causal.Data;
using Microsoft.ML.Causal.Transforms;

var ctx = new CausalContext(seed: 1);

// 1. Load: a header row, ',' separators, '.' decimals whatever the OS culture; types are inferred.
var dataPath = Path.Combine(AppContext.BaseDirectory, "data", "customers.csv");
var data = ctx.Data.LoadFromTextFile(dataPath);
Console.WriteLine($"Loaded {data.RowCount} rows from {Path.GetFileName(dataPath)}:");
foreach (var column in data.Schema)
    Console.WriteLine($"  {column.Name,-15} {column.Type}");

// 2. Split, keeping the share of promoted customers equal in both parts.
var split = ctx.Data.TrainTestSplit(data, testFraction: 0.2, stratificationColumnName: "promo_email");
Console.WriteLine($"\nTrain {split.TrainSet.RowCount} rows, test {split.TestSet.RowCount} rows.");

// 3. Featurize in two steps: missing spend replaced by the training median (plus a 0/1 indicator column);
//    then numbers pass through standardized and region and plan are one-hot encoded into one vector.
var pipeline = ctx.Transforms.ReplaceMissingValues("monthly_spend", mode: ReplacementMode.Median, addIndicator: true)
    .Append(ctx.Transforms.Featurize(new FeaturizeOptions
    {
        OutputColumnName = "Features",
        InputColumnNames = ["age", "tenure_months", "region", "plan", "monthly_spend", "monthly_spend_IsMissing", "support_calls"],
        Normalize = NormalizeMode.MeanVariance,
    }));
var schema = pipeline.GetOutputSchema(split.TrainSet.Schema); // a bad schema fails here, before any training
Console.WriteLine($"The pipeline will add: {string.Join(", ", schema.Skip(data.Schema.Count).Select(c => $"{c.Name} ({c.Type})"))}");

var model = pipeline.Fit(split.TrainSet);
var features = model.Transform(split.TestSet);
var slots = features.Schema["Features"];
Console.WriteLine($"\nFeature vector: {slots.Type.Size} slots");
Console.WriteLine("  " + string.Join(", ", slots.SlotNames));

// 4. Save to one zip, load back as the exact chain type, and check the scores are identical.
var modelPath = Path.Combine(Path.GetTempPath(), "customers-features.zip");
ctx.Model.Save(model, split.TrainSet.Schema, modelPath);
var reloaded = ctx.Model.Load<CausalTransformerChain<FeaturizeTransformer>>(modelPath, out var inputSchema);
var again = reloaded.Transform(split.TestSet);
var same = features.GetColumn<double>("Features").Span.SequenceEqual(again.GetColumn<double>("Features").Span);
Console.WriteLine($"\nSaved {new FileInfo(modelPath).Length:N0} bytes to {modelPath}; reloaded as {reloaded.GetType().Name.Split('`')[0]}<{reloaded.LastTransformer.GetType().Name}>.");
Console.WriteLine($"Input schema in the file: {inputSchema.Count} columns. Reloaded scores identical: {same}");
if (!same)
    return 1;

// 5. Score one new customer; the engine is thread-safe, so one instance can serve a whole web app.
var engine = ctx.Model.CreatePredictionEngine<Customer, CustomerFeatures>(reloaded);
var scored = engine.Predict(new Customer { age = 34, tenure_months = 5, region = "east", plan = "plus", monthly_spend = double.NaN, support_calls = 2 });
Console.WriteLine("\nA new customer (spend unknown) becomes:");
for (var j = 0; j < scored.Features.Length; j++)
    Console.WriteLine($"  {slots.SlotNames[j],-28} {scored.Features[j],8:F3}");
return 0;

/// <summary>A customer as the model expects it (property names are the CSV's column names).</summary>
internal sealed class Customer
{
    public string customer_id { get; set; } = "";
    public double age { get; set; }
    public double tenure_months { get; set; }
    public string region { get; set; } = "";
    public string plan { get; set; } = "";
    public double monthly_spend { get; set; }
    public double support_calls { get; set; }
    public bool promo_email { get; set; }
}

/// <summary>The featurized customer.</summary>
internal sealed class CustomerFeatures
{
    public double[] Features { get; set; } = [];
}
