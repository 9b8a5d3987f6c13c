// Creative segmentation: a concert promoter believes its audience splits into fans of the artist, fans of the genre
// and fans of big-venue energy. It designed four ads for each of these segments and showed one ad, at random, to each
// person. One group-lasso logistic model per ad, fused toward its segment's centre, says which ads really speak to
// their segment, and the centres say which segment each person belongs to.
using System.Diagnostics;
using System.Globalization;
using Microsoft.ML.Causal;
using Microsoft.ML.Causal.Data;
using Microsoft.ML.Causal.Segmentation;
using Microsoft.ML.Causal.Segmentation.GroupLasso;
using Microsoft.ML.Causal.Simulation;

CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
var clock = Stopwatch.StartNew();
var ctx = new CausalContext(seed: 2025);

// 1. Simulate the experiment (CreativeExperimentSimulation, formulas in its XML docs): five standardized covariates,
//    three segments of four ads each, ticket purchase ~ Bernoulli(σ(γⱼ₀ + δⱼₖ₀ + (γⱼ + δⱼₖ)ᵀx)). Segment j's centre is
//    about covariate j (artist fans buy more the more they play the artist, ...); age and distance carry nothing.
//    In each segment one ad, picked at random, deviates from its centre (‖δ‖ = 1.5): it does not do what it was
//    designed to. 30,000 people were in the experiment; 10,000 more people of the same population are the audience
//    to segment.
string[] covariates = ["artist_plays", "genre_plays", "stadium_shows", "age", "distance"];
string[] segments = ["artist fans", "genre fans", "big-venue energy"];
string[] ads =
[
    "tour poster with the artist", "new album teaser", "acoustic session clip", "fan-club presale",
    "festival line-up", "if you like this genre", "genre playlist tie-in", "new voices night",
    "stadium light show", "pyrotechnics trailer", "crowd singalong", "VIP pit upgrade",
];
const int Train = 30_000, Audience = 10_000;
var experiment = CreativeExperimentSimulation.Generate(Train + Audience, segments: 3, creativesPerSegment: 4, features: 5, deviatingPerSegment: 1,
    deviation: 1.5, signal: 1, baseRate: 0.1, seed: 7);
var train = experiment.ToDataView(0, Train, covariates, segments, ads);
var audience = experiment.ToDataView(Train, Audience, covariates, segments, ads);
var bought = experiment.Responses.Span[..Train].ToArray().Average();
Console.WriteLine($"Experiment: {Train:N0} people, each shown one of {ads.Length} ads at random; {bought:P1} bought a ticket.");
Console.WriteLine($"Covariates: {string.Join(", ", covariates)} (standardized). Segments the ads were designed for: {string.Join(", ", segments)}.");

// 2. Featurize and fit the group-lasso segmenter in one pipeline. Without a λ the trainer chooses (α, λ) by 5-fold
//    cross-validation (folds stratified by ad and response, held-out binomial deviance) over α ∈ {0.05, …, 0.45} and
//    a 15-value λ path per α; the one-standard-error rule takes the largest λ within one SE of the best deviance,
//    which favours fusing an ad to its segment unless the data insist.
var options = new GroupLassoTrainerOptions
{
    ResponseColumnName = "Response",
    SegmentColumnName = "DesignedSegment",
    CreativeColumnName = "Creative",
    Solver = new GroupLassoOptions { PathLength = 15, Rule = GroupLassoSelectionRule.OneStandardError },
};
var pipeline = ctx.Transforms.Featurize("Features", covariates).Append(ctx.Segmentation.GroupLasso(options));
var model = pipeline.Fit(train);
var segmenter = model.LastTransformer;
var fitted = segmenter.Model;
var cv = segmenter.CrossValidation!;
Console.WriteLine($"\nFitted in {clock.Elapsed.TotalSeconds:F0} s: {cv.Curve.Count} (α, λ) points cross-validated in {cv.Folds} folds.");
Console.WriteLine($"Chosen (one-SE rule): α = {cv.Selected.Alpha:0.00}, λ = {cv.Selected.Lambda:G3}, held-out deviance {cv.Selected.MeanDeviance:F4} ± {cv.Selected.StandardError:F4}");
Console.WriteLine($"Smallest deviance:    α = {cv.Minimum.Alpha:0.00}, λ = {cv.Minimum.Lambda:G3}, held-out deviance {cv.Minimum.MeanDeviance:F4} ± {cv.Minimum.StandardError:F4}");

// 3. Which ads fit their segment? Fused (δ = 0): the ad responds exactly as its segment's centre; ‖δ‖ is its
//    deviation on the standardized scale. The truth is known because this is a simulation.
Console.WriteLine("\nAds by segment:");
Console.WriteLine($"  {"segment",-17} {"ad",-28} {"fits its segment",-17} {"‖δ‖",6}   {"truth",-10}");
int right = 0;
foreach (var s in fitted.Segments)
{
    foreach (var c in s.Creatives.Select(k => fitted.Creatives[k]))
    {
        var truth = experiment.Deviates[Array.IndexOf(ads, c.Name)];
        right += c.Fused != truth ? 1 : 0;
        Console.WriteLine($"  {s.Name,-17} {c.Name,-28} {(c.Fused ? "yes" : "NO"),-17} {c.Deviation,6:F3}   {(truth ? "deviates" : "fits"),-10}");
    }
}
Console.WriteLine($"{right} of {ads.Length} ads classified as the truth has them.");

// 4. The audience's segment mix: each person goes to the segment whose centre scores them highest,
//    argmaxⱼ (γⱼ₀ + γⱼᵀx). The true segment uses the true centres.
var scored = model.Transform(audience);
var assigned = scored.GetColumn<int>(GroupLassoTransformer.SegmentColumn).ToArray();
var trueSegments = experiment.TrueSegments.Skip(Train).ToArray();
Console.WriteLine($"\nSegment mix of the {Audience:N0}-person audience:");
Console.WriteLine($"  {"segment",-17} {"assigned",9} {"true",9}");
for (var j = 0; j < segments.Length; j++)
{
    var name = segmenter.SegmentNames[j];
    var trueIndex = Array.IndexOf(segments, name);
    Console.WriteLine($"  {name,-17} {assigned.Count(a => a == j) / (double)Audience,9:P1} {trueSegments.Count(t => t == trueIndex) / (double)Audience,9:P1}");
}
var accuracy = Enumerable.Range(0, Audience).Count(i => segmenter.SegmentNames[assigned[i]] == segments[trueSegments[i]]) / (double)Audience;
Console.WriteLine($"Assigned to their true segment: {accuracy:P1} of the audience.");

// 5. Which ad to show each segment: the predicted purchase rate of every ad among the experiment's people assigned
//    to each segment, from a refit of the model on its selected support (no shrinkage), with 95 % delta-method
//    intervals (GroupLassoResponses). The three best ads per segment, beside their true rates.
var trainScored = model.Transform(train);
var rates = GroupLassoResponses.Estimate(trainScored, options, fitted);
var trainAssigned = trainScored.GetColumn<int>(GroupLassoTransformer.SegmentColumn).ToArray();
Console.WriteLine("\nBest ads per segment (purchase rate among the segment's people in the experiment):");
Console.WriteLine($"  {"segment",-17} {"ad",-28} {"designed for",-17} {"rate [95 % CI]",-22} {"true",6}");
foreach (var group in rates.GroupBy(r => r.Segment))
{
    var members = Enumerable.Range(0, Train).Where(i => trainAssigned[i] == group.Key).ToArray();
    foreach (var r in group.OrderByDescending(r => r.Response).Take(3))
    {
        var rate = $"{r.Response:P1} [{r.Lower:P1}, {r.Upper:P1}]";
        Console.WriteLine($"  {r.SegmentName,-17} {r.CreativeName,-28} {fitted.Segments[r.DesignedFor].Name,-17} {rate,-22} {TrueRate(Array.IndexOf(ads, r.CreativeName), members),6:P1}");
    }
}

// 6. Save the pipeline (featurization and segmenter) to one zip, load it back as its exact type, and check that
//    it scores the audience identically.
var path = Path.Combine(Path.GetTempPath(), "creative-segmentation.zip");
ctx.Model.Save(model, train.Schema, path);
var reloaded = ctx.Model.Load<CausalTransformerChain<GroupLassoTransformer>>(path, out _);
var again = reloaded.Transform(audience);
var same = again.GetColumn<double>(GroupLassoTransformer.ScoresColumn).Span.SequenceEqual(scored.GetColumn<double>(GroupLassoTransformer.ScoresColumn).Span)
    && again.GetColumn<int>(GroupLassoTransformer.SegmentColumn).Span.SequenceEqual(assigned);
Console.WriteLine($"\nSaved the pipeline ({new FileInfo(path).Length:N0} bytes) to {path}; reloaded, it segments the audience identically: {same}");
Console.WriteLine($"\nDone in {clock.Elapsed.TotalSeconds:F0} s.");
return same ? 0 : 1;

// The true mean purchase probability of ad c over the given people of the experiment (known in a simulation).
double TrueRate(int c, int[] people)
{
    var p = covariates.Length;
    return people.Average(i => experiment.TrueResponseProbability(experiment.Features.Span.Slice(i * p, p), c));
}
