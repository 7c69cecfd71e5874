using System.Globalization;
using System.Net.WebSockets;
using System.Text;

namespace ActorRpc.Tests.Robustness;

/// <summary>
/// Makes random and mutated JSON-RPC messages from a seed: the examples of section 7 of the
/// JSON-RPC 2.0 specification, calls to the demo methods with random params, batches, and
/// mutations of all of them (byte flips, truncation, invalid UTF-8, duplicated keys, wrong member
/// types, deep nesting, huge numbers and long strings). Deterministic for a given seed.
/// </summary>
/// <remarks>
/// <c>sleep</c> and <c>publish</c> are left out so the run stays bounded and no topic traffic
/// reaches other tests; the <c>clock</c> topic is left out so no ticks interleave with replies.
/// </remarks>
public sealed class FuzzCaseGenerator(int seed, int maxMessageSize, int maxBatchSize)
{
    /// <summary>The request examples of section 7 of the specification, verbatim.</summary>
    public static readonly string[] SpecificationExamples =
    [
        """{"jsonrpc": "2.0", "method": "subtract", "params": [42, 23], "id": 1}""",
        """{"jsonrpc": "2.0", "method": "subtract", "params": [23, 42], "id": 2}""",
        """{"jsonrpc": "2.0", "method": "subtract", "params": {"subtrahend": 23, "minuend": 42}, "id": 3}""",
        """{"jsonrpc": "2.0", "method": "subtract", "params": {"minuend": 42, "subtrahend": 23}, "id": 4}""",
        """{"jsonrpc": "2.0", "method": "update", "params": [1,2,3,4,5]}""",
        """{"jsonrpc": "2.0", "method": "foobar"}""",
        """{"jsonrpc": "2.0", "method": "foobar", "id": "1"}""",
        """{"jsonrpc": "2.0", "method": "foobar, "params": "bar", "baz]""",
        """{"jsonrpc": "2.0", "method": 1, "params": "bar"}""",
        """[{"jsonrpc": "2.0", "method": "sum", "params": [1,2,4], "id": "1"},{"jsonrpc": "2.0", "method"]""",
        """[]""",
        """[1]""",
        """[1,2,3]""",
        """
        [
            {"jsonrpc": "2.0", "method": "sum", "params": [1,2,4], "id": "1"},
            {"jsonrpc": "2.0", "method": "notify_hello", "params": [7]},
            {"jsonrpc": "2.0", "method": "subtract", "params": [42,23], "id": "2"},
            {"foo": "boo"},
            {"jsonrpc": "2.0", "method": "foo.get", "params": {"name": "myself"}, "id": "5"},
            {"jsonrpc": "2.0", "method": "get_data", "id": "9"}
        ]
        """,
        """
        [
            {"jsonrpc": "2.0", "method": "notify_sum", "params": [1,2,4]},
            {"jsonrpc": "2.0", "method": "notify_hello", "params": [7]}
        ]
        """,
    ];

    private static readonly string[] Methods =
    [
        "ping", "echo", "add", "divide", "computer_says_no", "get_topics", "get_subscriptions", "subscribe", "unsubscribe",
        "get_methods", "no_such_method", "Ping", "rpc.ping", "",
    ];

    private static readonly string[] Names = ["a", "b", "topics", "parameters", "x", "A", "topic", "data", "ms", "\\u0061", "é"];

    private static readonly string[] Strings =
    [
        "", "x", "news", "pong", "héllo wörld", "日本語", "🚀", "\\\"quoted\\\"", "\\n\\t\\u0000", "\\ud83d\\ude80", "\\uD800", "\\uDC00x",
        "\\u00e9", "1", "null",
    ];

    private static readonly string[] Numbers =
    [
        "0", "-0", "1", "-1", "42", "2.5", "-0.0", "1e3", "1E-7", "1e308", "-1e308", "1e400", "-1e400", "1e-400",
        "9223372036854775807", "9223372036854775808", "-9223372036854775808", "-9223372036854775809",
        "18446744073709551616", "0.1", "123456789.123456789", "4294967296",
    ];

    // Tokens that are not JSON, and bytes that are not UTF-8.
    private static readonly string[] NotJson = ["NaN", "Infinity", "-Infinity", "undefined", "0x10", "01", "+1", "1.", ".5", "'x'", "True", "nul", "--1"];
    private static readonly byte[][] InvalidUtf8 = [[0x80], [0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xE2, 0x82], [0xFF], [0xF4, 0x90, 0x80, 0x80], [0xC3, 0x28], [0xFE]];

    private readonly Random _random = new(seed);
    private readonly int _maxMessageSize = maxMessageSize;
    private readonly int _maxBatchSize = maxBatchSize;

    public FuzzCase Next()
    {
        var origin = new StringBuilder();
        var text = _random.Next(10) switch
        {
            0 => Tag(origin, "spec", SpecificationExamples[_random.Next(SpecificationExamples.Length)]),
            1 or 2 => Tag(origin, "batch", Batch(origin)),
            3 => Tag(origin, "value", Value(3)),
            _ => Tag(origin, "call", Request(origin)),
        };

        var payload = Encoding.UTF8.GetBytes(text);
        var mutations = _random.Next(10) switch
        {
            < 5 => 0,
            < 8 => 1,
            _ => 1 + _random.Next(4),
        };
        for (var i = 0; i < mutations; i++)
        {
            payload = Mutate(payload, origin);
        }

        var type = _random.Next(100) < 1 ? WebSocketMessageType.Binary : WebSocketMessageType.Text;
        var fragments = _random.Next(100) < 20 ? Fragment(payload.Length) : [];
        if (type == WebSocketMessageType.Binary)
        {
            origin.Append(" binary");
        }

        if (fragments.Length > 0)
        {
            origin.Append(CultureInfo.InvariantCulture, $" in {fragments.Length} frames");
        }

        return new FuzzCase(origin.ToString(), payload, type, fragments);
    }

    private static string Tag(StringBuilder origin, string tag, string text)
    {
        origin.Insert(0, tag);
        return text;
    }

    /// <summary>A request or notification as a list of members, then possibly reshaped before it is written.</summary>
    private string Request(StringBuilder origin)
    {
        var method = Methods[_random.Next(Methods.Length)];
        var members = new List<(string Key, string Value)> { ("jsonrpc", "\"2.0\""), ("method", Quote(method)) };
        if (_random.Next(5) > 0)
        {
            members.Add(("params", Params(method)));
        }

        if (_random.Next(5) > 0)
        {
            members.Add(("id", Id()));
        }

        if (_random.Next(3) == 0)
        {
            origin.Append(" reshaped");
            Reshape(members);
        }

        Shuffle(members);
        return "{" + string.Join(",", members.Select(m => $"{Quote(m.Key)}:{m.Value}")) + "}";
    }

    private string Params(string method)
    {
        var positional = _random.Next(2) == 0;
        string[] names = method switch
        {
            "add" or "divide" => ["a", "b"],
            "subscribe" or "unsubscribe" => ["topics"],
            _ => [],
        };
        var count = names.Length > 0 && _random.Next(4) > 0 ? names.Length : _random.Next(4);
        var values = Enumerable.Range(0, count).Select(_ => method is "add" or "divide" && _random.Next(3) > 0 ? Number() : Value(2)).ToList();
        if (method is "subscribe" or "unsubscribe" && _random.Next(2) == 0)
        {
            values = [_random.Next(2) == 0 ? "\"news\"" : "[\"news\",\"" + Strings[_random.Next(Strings.Length)] + "\"]"];
        }

        if (positional)
        {
            return "[" + string.Join(",", values) + "]";
        }

        return "{" + string.Join(",", values.Select((v, i) => $"{Quote(i < names.Length && _random.Next(4) > 0 ? names[i] : Names[_random.Next(Names.Length)])}:{v}")) + "}";
    }

    private string Id() => _random.Next(8) switch
    {
        0 => "null",
        1 => Number(),
        2 => Quote(Strings[_random.Next(Strings.Length)]),
        3 => Quote("id-" + _random.Next(1000).ToString(CultureInfo.InvariantCulture)),
        _ => _random.Next(100_000).ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>Duplicates, drops, retypes or renames members: every way a request object can be wrong.</summary>
    private void Reshape(List<(string Key, string Value)> members)
    {
        var index = _random.Next(members.Count);
        var (key, _) = members[index];
        switch (_random.Next(7))
        {
            case 0:
                members.Add((key, _random.Next(2) == 0 ? members[index].Value : Value(1)));
                break;
            case 1:
                members.RemoveAt(index);
                break;
            case 2:
                members[index] = (key, Value(2)); // Often the wrong type: a number for "method", a string for "params"...
                break;
            case 3:
                members[index] = (_random.Next(2) == 0 ? key.ToUpperInvariant() : key + " ", members[index].Value);
                break;
            case 4:
                // The same name, escaped: a JSON parser must treat "\u006d..." as "m...".
                members[index] = ("\\u" + ((int)key[0]).ToString("x4", CultureInfo.InvariantCulture) + key[1..], members[index].Value);
                break;
            case 5:
                members.Add((Names[_random.Next(Names.Length)], Value(2)));
                break;
            default:
                members[index] = (key, _random.Next(2) == 0 ? "\"1.0\"" : "2.0");
                break;
        }
    }

    private string Batch(StringBuilder origin)
    {
        var count = _random.Next(20) switch
        {
            0 => 0,
            1 => _maxBatchSize + 1 + _random.Next(5),
            2 => _maxBatchSize,
            _ => 1 + _random.Next(8),
        };
        var entries = new List<string>(count);
        for (var i = 0; i < count; i++)
        {
            entries.Add(_random.Next(6) switch
            {
                0 => Value(1),
                1 => SpecificationExamples[_random.Next(5)],
                _ => Request(origin),
            });
        }

        return "[" + string.Join(",", entries) + "]";
    }

    private string Value(int depth)
    {
        var pick = _random.Next(depth > 0 ? 9 : 6);
        return pick switch
        {
            0 => "null",
            1 => _random.Next(2) == 0 ? "true" : "false",
            2 or 3 => Number(),
            4 or 5 => Quote(Strings[_random.Next(Strings.Length)]),
            6 or 7 => "[" + string.Join(",", Enumerable.Range(0, _random.Next(4)).Select(_ => Value(depth - 1))) + "]",
            _ => "{" + string.Join(",", Enumerable.Range(0, _random.Next(4)).Select(_ => $"{Quote(Names[_random.Next(Names.Length)])}:{Value(depth - 1)}")) + "}",
        };
    }

    private string Number() => _random.Next(10) switch
    {
        0 => new string('9', 1 + _random.Next(500)),
        1 => "1e" + _random.Next(-1000, 1000).ToString(CultureInfo.InvariantCulture),
        2 => (_random.NextDouble() * 1e6 - 5e5).ToString("R", CultureInfo.InvariantCulture),
        3 => _random.NextInt64(long.MinValue, long.MaxValue).ToString(CultureInfo.InvariantCulture),
        _ => Numbers[_random.Next(Numbers.Length)],
    };

    private byte[] Mutate(byte[] payload, StringBuilder origin)
    {
        if (payload.Length == 0)
        {
            return Encoding.UTF8.GetBytes(Value(1));
        }

        var at = _random.Next(payload.Length + 1);
        // Closing mutations (invalid UTF-8, over the size limit) are rarer: each costs a reconnect.
        switch (_random.Next(16))
        {
            case 0:
                origin.Append(" flip");
                var flipped = (byte[])payload.Clone();
                flipped[Math.Min(at, payload.Length - 1)] ^= (byte)(1 << _random.Next(8));
                return flipped;
            case 1:
                origin.Append(" truncate");
                return payload[..at];
            case 2:
                origin.Append(" random-bytes");
                var noise = new byte[1 + _random.Next(4)];
                _random.NextBytes(noise);
                return [.. payload[..at], .. noise, .. payload[at..]];
            case 3 when _random.Next(2) == 0:
                origin.Append(" invalid-utf8");
                return [.. payload[..at], .. InvalidUtf8[_random.Next(InvalidUtf8.Length)], .. payload[at..]];
            case 4:
                origin.Append(" delete");
                var end = Math.Min(payload.Length, at + 1 + _random.Next(8));
                return [.. payload[..at], .. payload[end..]];
            case 5:
                origin.Append(" json-punctuation");
                var punctuation = "{}[],:\"\\ "u8;
                return [.. payload[..at], punctuation[_random.Next(punctuation.Length)], .. payload[at..]];
            case 6:
                origin.Append(" not-json-token");
                return [.. payload[..at], .. Encoding.UTF8.GetBytes(NotJson[_random.Next(NotJson.Length)]), .. payload[at..]];
            case 7:
                var depth = _random.Next(3) == 0 ? 50 + _random.Next(20) : 1 + _random.Next(_random.Next(2) == 0 ? 100 : 5000);
                origin.Append(CultureInfo.InvariantCulture, $" nest-{depth}");
                return _random.Next(2) == 0
                    ? [.. Encoding.UTF8.GetBytes(new string('[', depth)), .. payload, .. Encoding.UTF8.GetBytes(new string(']', depth))]
                    : Encoding.UTF8.GetBytes(Replace(payload, "\"params\":", "\"params\":" + new string('[', depth) + "1" + new string(']', depth)));
            case 8:
                origin.Append(" huge-number");
                return Encoding.UTF8.GetBytes(Replace(payload, "1", new string('7', 300 + _random.Next(2000))));
            case 9:
                // Around the size limit: just under, or over (which must close with 1009).
                var length = _random.Next(3) > 0 ? _maxMessageSize - payload.Length - 16 : _maxMessageSize + _random.Next(1000);
                origin.Append(CultureInfo.InvariantCulture, $" long-string-{length}");
                return Encoding.UTF8.GetBytes(Replace(payload, "\"2.0\"", "\"2.0\",\"pad\":\"" + new string('x', Math.Max(0, length)) + "\""));
            case 10:
                origin.Append(" duplicate-tail");
                return [.. payload, .. payload[at..]];
            default:
                origin.Append(" insert-value");
                return [.. payload[..at], .. Encoding.UTF8.GetBytes(Value(2)), .. payload[at..]];
        }
    }

    /// <summary>Replaces the first occurrence of <paramref name="find"/>, if any (the text may not be UTF-8; replacement chars are fine here).</summary>
    private static string Replace(byte[] payload, string find, string with)
    {
        var text = Encoding.UTF8.GetString(payload);
        var index = text.IndexOf(find, StringComparison.Ordinal);
        return index < 0 ? text : string.Concat(text.AsSpan(0, index), with, text.AsSpan(index + find.Length));
    }

    private int[] Fragment(int length)
    {
        if (length < 2)
        {
            return [length];
        }

        var pieces = new List<int>();
        var oneByte = _random.Next(10) == 0 && length < 2000;
        var left = length;
        while (left > 0)
        {
            var size = oneByte ? 1 : Math.Min(left, 1 + _random.Next(Math.Max(1, length / 2)));
            pieces.Add(size);
            left -= size;
        }

        return [.. pieces];
    }

    private void Shuffle(List<(string Key, string Value)> members)
    {
        if (_random.Next(4) > 0)
        {
            return; // Mostly in the usual order.
        }

        for (var i = members.Count - 1; i > 0; i--)
        {
            var j = _random.Next(i + 1);
            (members[i], members[j]) = (members[j], members[i]);
        }
    }

    private static string Quote(string raw) => "\"" + raw + "\"";
}
