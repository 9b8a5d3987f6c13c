using Xunit;

namespace Microsoft.ML.Causal.TestFramework;

/// <summary>
/// Locates the shared datasets (<c>../shared/data</c> beside the repository). Tests never copy them into the
/// repository; a test that needs them uses <see cref="SharedDataFactAttribute"/> and is skipped, with a message
/// saying why, where the folder is absent.
/// </summary>
public static class SharedData
{
    /// <summary>The shared data folder, or null when it is not beside the repository.</summary>
    public static string? Root { get; } = Find();

    /// <summary>The full path of a shared file.</summary>
    /// <exception cref="InvalidOperationException">The shared folder is absent (use <see cref="SharedDataFactAttribute"/>).</exception>
    public static string Path(params string[] parts)
    {
        if (Root is null)
            throw new InvalidOperationException("../shared/data is absent; mark the test [SharedDataFact] so it is skipped.");
        var path = System.IO.Path.Combine([Root, .. parts]);
        return File.Exists(path) ? path : throw new FileNotFoundException($"The shared data folder has no {string.Join('/', parts)}.", path);
    }

    private static string? Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var isRepository = Directory.Exists(System.IO.Path.Combine(dir.FullName, ".git")) || File.Exists(System.IO.Path.Combine(dir.FullName, ".git"));
            var sibling = System.IO.Path.GetFullPath(System.IO.Path.Combine(dir.FullName, "..", "shared", "data"));
            if (isRepository)
                return Directory.Exists(sibling) ? sibling : null;
        }
        return null;
    }
}

/// <summary>A fact that needs <c>../shared/data</c>: skipped, with the reason, where the folder is absent.</summary>
public sealed class SharedDataFactAttribute : FactAttribute
{
    /// <summary>Marks the test; sets <see cref="FactAttribute.Skip"/> when the shared data are absent.</summary>
    public SharedDataFactAttribute()
    {
        if (SharedData.Root is null)
            Skip = "Needs ../shared/data (IHDP, Hillstrom) beside the repository; it is absent on this machine.";
    }
}
