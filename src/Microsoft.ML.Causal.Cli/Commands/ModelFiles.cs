using System.Runtime.CompilerServices;
using Microsoft.ML.Causal.Data;
using Microsoft.ML.Causal.Persistence;
using Microsoft.ML.Causal.Segmentation.GroupLasso;
using Microsoft.ML.Causal.Trainers;

namespace Microsoft.ML.Causal.Cli.Commands;

/// <summary>
/// Loads the model zips the commands write. The segmentation assembly registers its loaders in a module initializer,
/// which runs only once one of its types is touched, so it is run here first; a file of the wrong kind (a
/// segmentation model given to <c>predict</c>, a CATE model to <c>assign</c>) is bad input naming the command that
/// scores it.
/// </summary>
internal static class ModelFiles
{
    /// <summary>Loads <paramref name="path"/> as <typeparamref name="T"/>.</summary>
    /// <exception cref="ModelFileException">The file is not a model, or holds a model another command scores (the message names it).</exception>
    public static T Load<T>(CausalContext ctx, string path, out DataSchema inputSchema) where T : class, ICausalTransformer
    {
        RuntimeHelpers.RunModuleConstructor(typeof(GroupLassoTransformer).Module.ModuleHandle);
        try
        {
            return ctx.Model.Load<T>(path, out inputSchema);
        }
        catch (ModelFileException) when (Kind(ctx, path) is { } kind)
        {
            throw new ModelFileException($"{path} holds {kind}.");
        }
    }

    /// <summary>What the file holds and which command scores it, for a model the caller did not ask for; null otherwise.</summary>
    private static string? Kind(CausalContext ctx, string path)
    {
        ICausalTransformer model;
        try
        {
            model = ctx.Model.Load<ICausalTransformer>(path, out _);
        }
        catch (ModelFileException)
        {
            return null;
        }
        var last = model is ITransformerSequence { Transformers: [.., var step] } ? step : model;
        return last switch
        {
            GroupLassoTransformer => "a group-lasso segmentation model (written by 'causal segment'); score people with it by 'causal assign --model ... --data ... --out ...'",
            CateTransformer => "a CATE model (written by 'causal fit'); score it by 'causal predict --model ... --data ... --out ...'",
            _ => null,
        };
    }
}
