using YamlDotNet.RepresentationModel;

namespace PictureBook.Monitoring.Tests;

/// <summary>Reads YAML files of the repository and walks them, with failures that name the file and the key.</summary>
public static class YamlFile
{
    /// <summary>The single document of <paramref name="relativePath"/> (relative to the repository) as a mapping.</summary>
    public static YamlMappingNode Load(string relativePath) => LoadAll(relativePath).Single();

    /// <summary>Every document of <paramref name="relativePath"/> (a multi-document stream: Kubernetes manifests).</summary>
    public static IReadOnlyList<YamlMappingNode> LoadAll(string relativePath) =>
        Parse(File.ReadAllText(Path.Combine(RepositoryPaths.Root, relativePath)), relativePath);

    /// <summary>Every document of <paramref name="text"/>; <paramref name="name"/> names it in failures.</summary>
    public static IReadOnlyList<YamlMappingNode> Parse(string text, string name)
    {
        var stream = new YamlStream();
        using var reader = new StringReader(text);
        stream.Load(reader);
        return [.. stream.Documents
            .Where(d => d.RootNode is not YamlScalarNode { Value: null or "" })
            .Select(d => d.RootNode as YamlMappingNode ?? throw new InvalidOperationException($"{name}: a document is not a mapping ({d.RootNode.Start}).")),];
    }

    public static YamlNode? Find(this YamlMappingNode map, string key) =>
        map.Children.FirstOrDefault(kv => kv.Key is YamlScalarNode { Value: var k } && k == key).Value;

    public static YamlNode Get(this YamlMappingNode map, string key) =>
        map.Find(key) ?? throw new InvalidOperationException($"Missing key '{key}' at {map.Start}.");

    public static YamlMappingNode Map(this YamlMappingNode map, string key) =>
        map.Get(key) as YamlMappingNode ?? throw new InvalidOperationException($"'{key}' at {map.Start} is not a mapping.");

    public static IReadOnlyList<YamlNode> Seq(this YamlMappingNode map, string key) =>
        map.Get(key) as YamlSequenceNode is { } seq ? seq.Children.ToList() : throw new InvalidOperationException($"'{key}' at {map.Start} is not a list.");

    public static string Scalar(this YamlMappingNode map, string key) => map.Get(key).AsString();

    public static string? OptionalScalar(this YamlMappingNode map, string key) => map.Find(key) is { } node ? node.AsString() : null;

    public static string AsString(this YamlNode node) =>
        (node as YamlScalarNode)?.Value ?? throw new InvalidOperationException($"Expected a scalar at {node.Start}.");

    /// <summary>A mapping of scalars as a dictionary (labels, annotations, environment); empty when absent.</summary>
    public static Dictionary<string, string> StringMap(this YamlMappingNode map, string key) =>
        map.Find(key) is YamlMappingNode children
            ? children.Children.Where(kv => kv.Key.AsString() != "<<").ToDictionary(kv => kv.Key.AsString(), kv => kv.Value.AsString())
            : [];

    /// <summary>
    /// A compose-style mapping with YAML merge keys applied (<c>&lt;&lt;: *anchor</c>): the anchored entries, then the
    /// mapping's own, which win.
    /// </summary>
    public static Dictionary<string, string> MergedStringMap(this YamlMappingNode map, string key)
    {
        var result = new Dictionary<string, string>();
        if (map.Find(key) is not YamlMappingNode children)
        {
            return result;
        }

        if (children.Find("<<") is YamlMappingNode merged)
        {
            foreach (var (k, v) in merged.Children)
            {
                result[k.AsString()] = v.AsString();
            }
        }

        foreach (var (k, v) in children.Children.Where(kv => kv.Key.AsString() != "<<"))
        {
            result[k.AsString()] = v.AsString();
        }

        return result;
    }
}
