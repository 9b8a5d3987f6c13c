namespace Microsoft.ML.Causal.Segmentation.GroupLasso;

/// <summary>
/// The predicted response of one creative among the people assigned to one segment, with its interval (see
/// <see cref="GroupLassoResponses"/>).
/// </summary>
/// <param name="Segment">The segment the people are assigned to (argmaxⱼ γⱼᵀx under the model).</param>
/// <param name="SegmentName">Its name.</param>
/// <param name="Creative">The creative (global index).</param>
/// <param name="CreativeName">Its name.</param>
/// <param name="DesignedFor">The segment the creative was designed for.</param>
/// <param name="People">The number of people in the segment (the mean is over them).</param>
/// <param name="Response">The mean predicted response probability of the creative over those people, from the refit.</param>
/// <param name="StandardError">Its delta-method standard error.</param>
/// <param name="Lower">The interval's lower end (in (0, 1)).</param>
/// <param name="Upper">The interval's upper end (in (0, 1)).</param>
public sealed record SegmentCreativeResponse(int Segment, string SegmentName, int Creative, string CreativeName, int DesignedFor, int People,
    double Response, double StandardError, double Lower, double Upper);
