using System.Globalization;

namespace ActorRpc.Actors.ClientCalls;

/// <summary>
/// Makes session ids that say which node holds the session: <c>&lt;node&gt;-&lt;guid&gt;</c>, where
/// node is the cluster member's <c>UniqueAddress.Uid</c> as 8 hex digits and guid 32 hex digits
/// (41 characters). <see cref="IRpcClients"/> reads the node back to find the session's owner among
/// the cluster's members; a node that restarts at the same address has a new uid, so the ids of its
/// old sessions name no member any more. One per node (a DI singleton).
/// </summary>
internal sealed class SessionIds
{
    private const int NodeDigits = 8;
    private const int GuidDigits = 32;
    private const int Length = NodeDigits + 1 + GuidDigits;

    private string _nodePrefix = "00000000-";

    /// <summary>Called once the node's actor system runs, with its cluster uid.</summary>
    public void NodeStarted(int uid) =>
        Volatile.Write(ref _nodePrefix, ((uint)uid).ToString("x8", CultureInfo.InvariantCulture) + "-");

    /// <summary>A new, unique session id of this node.</summary>
    public string NewId() => string.Concat(Volatile.Read(ref _nodePrefix), Guid.NewGuid().ToString("N"));

    /// <summary>
    /// Reads the node uid from a session id this node or another made. False for anything else (ids
    /// come from users of <see cref="IRpcClients"/>; only this exact shape ever becomes an actor path).
    /// </summary>
    public static bool TryParseNode(string sessionId, out int uid)
    {
        uid = 0;
        if (sessionId.Length != Length || sessionId[NodeDigits] != '-')
        {
            return false;
        }

        foreach (var c in sessionId.AsSpan(NodeDigits + 1))
        {
            if (!char.IsAsciiHexDigitLower(c) && !char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        if (!uint.TryParse(sessionId.AsSpan(0, NodeDigits), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var node))
        {
            return false;
        }

        uid = unchecked((int)node);
        return true;
    }
}
