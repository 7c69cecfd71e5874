using System.Text.Json;

namespace ActorRpc.Actors.Topics;

/// <summary>
/// Reads the topics of <c>subscribe</c> / <c>unsubscribe</c> params, in every form aiohttp-json-rpc
/// clients send: <c>["a"]</c>, <c>["a","b"]</c>, <c>[["a","b"]]</c>, <c>{"topics":"a"}</c>, <c>{"topics":["a","b"]}</c>,
/// and, under the aiohttp-json-rpc compatibility profile only (the parser refuses it otherwise), <c>"a"</c>.
/// </summary>
internal static class TopicParams
{
    public static bool TryParse(ReadOnlyMemory<byte> rawParams, out IReadOnlyList<string> topics, out string? error)
    {
        topics = [];
        error = null;
        if (rawParams.IsEmpty)
        {
            error = "Invalid params: expected a topic name or a list of them.";
            return false;
        }

        // The whole message already passed the MaxJsonDepth check, so its params need no second limit.
        using var document = JsonDocument.Parse(rawParams, new JsonDocumentOptions { MaxDepth = int.MaxValue });
        var root = document.RootElement;
        JsonElement value;
        if (root.ValueKind == JsonValueKind.Object)
        {
            if (!root.TryGetProperty("topics", out value))
            {
                error = "Invalid params: missing required parameter 'topics'.";
                return false;
            }
        }
        else if (root.ValueKind == JsonValueKind.Array && root.GetArrayLength() == 1 && root[0].ValueKind == JsonValueKind.Array)
        {
            value = root[0];
        }
        else
        {
            value = root;
        }

        var names = new List<string>();
        if (value.ValueKind == JsonValueKind.String)
        {
            if (!TryGetString(value, out var name, out error))
            {
                return false;
            }

            names.Add(name);
        }
        else if (value.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in value.EnumerateArray())
            {
                if (item.ValueKind != JsonValueKind.String)
                {
                    error = "Invalid params: parameter 'topics' must hold only strings.";
                    return false;
                }

                if (!TryGetString(item, out var name, out error))
                {
                    return false;
                }

                names.Add(name);
            }
        }
        else
        {
            error = "Invalid params: parameter 'topics' must be a string or an array of strings.";
            return false;
        }

        if (names.Count == 0)
        {
            error = "Invalid params: parameter 'topics' is empty.";
            return false;
        }

        topics = names;
        return true;
    }

    // A lone surrogate escape ("\uD800") is valid JSON but no .NET string: it cannot name a topic.
    private static bool TryGetString(JsonElement element, out string value, out string? error)
    {
        try
        {
            value = element.GetString()!;
            error = null;
            return true;
        }
        catch (InvalidOperationException)
        {
            value = string.Empty;
            error = "Invalid params: a topic name must be valid Unicode text.";
            return false;
        }
    }
}
