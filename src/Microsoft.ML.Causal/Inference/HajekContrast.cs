using Microsoft.ML.Causal.Trainers;

namespace Microsoft.ML.Causal.Inference;

/// <summary>
/// The difference of two normalized (Hájek) weighted means, arm a against control c, with row weights vᵢ:
/// θ̂ = Σ_{W=a} vY / Σ_{W=a} v − Σ_{W=c} vY / Σ_{W=c} v. With vᵢ the row weight this is the difference in means; with
/// vᵢ = ωᵢ·h(xᵢ)/ê_{Wᵢ}(xᵢ) (h the estimand's target weight) it is the Hájek IPW estimate. The standard error is
/// that of the influence function treating v as given, ψᵢ = vᵢ[1{Wᵢ=a}(Yᵢ − Ȳₐ)/Σₐv − 1{Wᵢ=c}(Yᵢ − Ȳ_c)/Σ_c v],
/// summed within clusters (<see cref="RatioEstimator.StandardError"/>).
/// </summary>
internal static class HajekContrast
{
    /// <param name="data">The rows.</param>
    /// <param name="arm">The arm compared with control.</param>
    /// <param name="weight">vᵢ of a matrix row in arm a or c (finite, non-negative).</param>
    /// <param name="estimand">Recorded on the result.</param>
    /// <param name="method">Recorded on the result.</param>
    /// <param name="component">Names the estimator in errors.</param>
    public static AverageEffect Estimate(CateData data, int arm, Func<int, double> weight, Estimand estimand, string method, string component)
    {
        var rows = data.RowIndices();
        var y = data.Outcome.Span;
        var w = data.Treatment.Arms;
        var control = data.Treatment.Control;
        var v = new double[rows.Length];
        double sumArm = 0, sumControl = 0, totalArm = 0, totalControl = 0;
        var count = 0;
        for (var i = 0; i < rows.Length; i++)
        {
            var r = rows[i];
            if (w[r] != arm && w[r] != control)
                continue;
            v[i] = weight(r);
            count++;
            if (w[r] == arm)
            {
                sumArm += v[i];
                totalArm += v[i] * y[r];
            }
            else
            {
                sumControl += v[i];
                totalControl += v[i] * y[r];
            }
        }
        CheckWeight(data, arm, sumArm, component);
        CheckWeight(data, control, sumControl, component);
        double meanArm = totalArm / sumArm, meanControl = totalControl / sumControl;
        var influence = new double[rows.Length];
        for (var i = 0; i < rows.Length; i++)
        {
            var r = rows[i];
            if (w[r] == arm)
                influence[i] = v[i] * (y[r] - meanArm) / sumArm;
            else if (w[r] == control)
                influence[i] = -v[i] * (y[r] - meanControl) / sumControl;
        }
        var se = RatioEstimator.StandardError(influence, data.ClustersOf(rows));
        return new AverageEffect(data.Treatment.ArmNames[arm], estimand, method, meanArm - meanControl, se, count);
    }

    private static void CheckWeight(CateData data, int arm, double sum, string component)
    {
        if (!(sum > 0))
        {
            throw new DataValidationException(component, data.WeightColumnName, null,
                $"the rows of arm '{data.Treatment.ArmNames[arm]}' carry no weight, so the arm has no mean.", "Give some rows of every arm a positive weight.");
        }
    }
}
