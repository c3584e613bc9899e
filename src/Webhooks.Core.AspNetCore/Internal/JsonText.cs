using System.Text.Json;

namespace Webhooks.Core.AspNetCore.Internal;

/// <summary>
/// Finds text in a parsed document that cannot be read: the parser accepts a lone surrogate escape (<c>"\ud800"</c>)
/// and bytes that are not UTF-8 inside a string, and reading such a string or property name throws later.
/// </summary>
internal static class JsonText
{
    /// <summary>Returns the path of the first string or property name that is not valid Unicode (<c>body</c> for the root), or <see langword="null"/>.</summary>
    public static string? FindUndecodable(JsonElement root) => Find(root, string.Empty);

    private static string? Find(JsonElement element, string path)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                return Decodes(element) ? null : Named(path);
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    string name;
                    try
                    {
                        name = property.Name;
                    }
                    catch (InvalidOperationException)
                    {
                        return Named(path);
                    }

                    if (Find(property.Value, path.Length == 0 ? name : $"{path}.{name}") is { } found)
                    {
                        return found;
                    }
                }

                return null;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    if (Find(item, $"{Named(path)}[{index++}]") is { } found)
                    {
                        return found;
                    }
                }

                return null;
            default:
                return null;
        }
    }

    private static bool Decodes(JsonElement text)
    {
        try
        {
            _ = text.GetString();
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private static string Named(string path) => path.Length == 0 ? "body" : path;
}
