namespace ActorRpc.Methods.Authorization;

/// <summary>What a guard decided about a caller.</summary>
internal enum RpcAccess
{
    /// <summary>The caller may go on.</summary>
    Allowed,

    /// <summary>The caller has no user (or its token expired): -32010, as HTTP's 401.</summary>
    AuthenticationRequired,

    /// <summary>The caller's user lacks what the guard asks: -32011, as HTTP's 403.</summary>
    NotPermitted,
}
