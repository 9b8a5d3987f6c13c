using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.ML.Causal.Data;
using Microsoft.ML.Causal.Persistence;
using Microsoft.ML.Causal.TestFramework;
using Microsoft.ML.Causal.Transforms;

namespace Microsoft.ML.Causal.Tests.Persistence;

/// <summary>Damaged, altered, foreign and newer model files are all rejected with <see cref="ModelFileException"/>.</summary>
public class ModelFileAttackTests
{
    private static readonly CausalContext Ctx = new(7);
    private static readonly InMemoryDataView Data = TestTables.Mixed(200);

    private static readonly byte[] Saved = SaveModel();

    private static byte[] SaveModel()
    {
        var model = Ctx.Transforms.ReplaceMissingValues("Age", addIndicator: true)
            .Append(Ctx.Transforms.Featurize("Features", "Age", "Age_IsMissing", "Region", "Arm", "Scores"))
            .Fit(Data);
        using var stream = new MemoryStream();
        Ctx.Model.Save(model, Data.Schema, stream);
        return stream.ToArray();
    }

    private static void Rejected(byte[] file, string? messagePart = null)
    {
        var e = Assert.Throws<ModelFileException>(() => Ctx.Model.Load<ICausalTransformer>(new MemoryStream(file), out _));
        if (messagePart is not null)
            Assert.Contains(messagePart, e.Message);
    }

    [Fact]
    public void TheIntactFileLoads()
    {
        var model = Ctx.Model.Load<CausalTransformerChain<FeaturizeTransformer>>(new MemoryStream(Saved), out var schema);
        Assert.True(schema.Equals(Data.Schema));
        Assert.Equal(2, model.Transformers.Length);
    }

    [Theory]
    [InlineData(1)] [InlineData(2)] [InlineData(3)] [InlineData(4)] [InlineData(5)] [InlineData(6)] [InlineData(7)] [InlineData(8)]
    [InlineData(9)] [InlineData(10)] [InlineData(11)] [InlineData(12)] [InlineData(13)] [InlineData(14)] [InlineData(15)] [InlineData(0)]
    public void TruncationAtEverySixteenthIsRejected(int sixteenths) =>
        Rejected(Saved.AsSpan(0, Saved.Length * sixteenths / 16).ToArray());

    [Fact]
    public void ChangingAByteInsideAnyEntryIsRejected()
    {
        foreach (var name in EntryNames(Saved))
        {
            var altered = Rewrite(Saved, (entry, content) =>
            {
                if (entry != name || content.Length == 0)
                    return content;
                var copy = content.ToArray();
                copy[copy.Length / 2] ^= 0x20;
                return copy;
            });
            Rejected(altered);
        }
    }

    [Fact]
    public void FlippingARawByteInEachEntrysStoredDataIsRejected()
    {
        var regions = StoredDataRegions(Saved);
        Assert.Equal(EntryNames(Saved).Count, regions.Count);
        foreach (var (start, length) in regions)
        {
            foreach (var at in new[] { start, start + length / 2, start + length - 1 })
            {
                var copy = Saved.ToArray();
                copy[at] ^= 0x55;
                Rejected(copy);
            }
        }
    }

    /// <summary>Where each entry's stored bytes lie, read from the zip's local file headers.</summary>
    private static List<(int Start, int Length)> StoredDataRegions(byte[] file)
    {
        var regions = new List<(int, int)>();
        var at = 0;
        while (at + 30 <= file.Length && BitConverter.ToUInt32(file, at) == 0x04034b50)
        {
            var compressed = (int)BitConverter.ToUInt32(file, at + 18);
            var nameLength = BitConverter.ToUInt16(file, at + 26);
            var extraLength = BitConverter.ToUInt16(file, at + 28);
            var start = at + 30 + nameLength + extraLength;
            regions.Add((start, compressed));
            at = start + compressed;
        }
        return regions;
    }

    [Fact]
    public void AForeignZipIsRejected()
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            using var s = zip.CreateEntry("hello.txt").Open();
            s.Write("not a model"u8);
        }
        Rejected(buffer.ToArray(), "no manifest.json");
        Rejected(Encoding.UTF8.GetBytes("just text, not even a zip"));
    }

    [Fact]
    public void ANewerFormatVersionIsRejectedWithTheUpgradeHint()
    {
        var newer = RewriteManifest(Saved, m => m["formatVersion"] = ModelArchive.FormatVersion + 1);
        Rejected(newer, "newer");
    }

    [Fact]
    public void ANewerComponentVersionIsRejected()
    {
        var newer = RewriteManifest(Saved, m => m["components"]![1]!["version"] = 99);
        Rejected(newer, "version 99");
    }

    [Fact]
    public void AnUnknownComponentNameIsRejected()
    {
        var unknown = RewriteManifest(Saved, m => m["components"]![0]!["name"] = "System.IO.File");
        Rejected(unknown, "no registered loader");
    }

    [Fact]
    public void AnExtraEntryIsRejected()
    {
        using var buffer = new MemoryStream();
        buffer.Write(Saved);
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Update, leaveOpen: true))
        {
            using var s = zip.CreateEntry("payload.exe").Open();
            s.Write([1, 2, 3]);
        }
        Rejected(buffer.ToArray(), "entries");
    }

    [Fact]
    public void SavingTwiceGivesIdenticalBytes() => Assert.Equal(Saved, SaveModel());

    private static IReadOnlyList<string> EntryNames(byte[] file)
    {
        using var zip = new ZipArchive(new MemoryStream(file), ZipArchiveMode.Read);
        return zip.Entries.Select(e => e.FullName).ToList();
    }

    /// <summary>Rebuilds the zip with each entry's content passed through <paramref name="change"/>.</summary>
    private static byte[] Rewrite(byte[] file, Func<string, byte[], byte[]> change)
    {
        var entries = new List<(string Name, byte[] Content)>();
        using (var zip = new ZipArchive(new MemoryStream(file), ZipArchiveMode.Read))
        {
            foreach (var e in zip.Entries)
            {
                using var s = e.Open();
                using var m = new MemoryStream();
                s.CopyTo(m);
                entries.Add((e.FullName, change(e.FullName, m.ToArray())));
            }
        }
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, content) in entries)
            {
                using var s = zip.CreateEntry(name).Open();
                s.Write(content);
            }
        }
        return buffer.ToArray();
    }

    /// <summary>Edits the manifest and writes a matching manifest checksum, as a deliberate forger would.</summary>
    private static byte[] RewriteManifest(byte[] file, Action<JsonObject> edit)
    {
        byte[]? manifest = null;
        var withManifest = Rewrite(file, (name, content) =>
        {
            if (name != "manifest.json")
                return content;
            var json = JsonNode.Parse(content)!.AsObject();
            edit(json);
            return manifest = Encoding.UTF8.GetBytes(json.ToJsonString());
        });
        return Rewrite(withManifest, (name, content) => name == "manifest.sha256"
            ? Encoding.ASCII.GetBytes(Convert.ToHexStringLower(SHA256.HashData(manifest!)))
            : content);
    }
}
