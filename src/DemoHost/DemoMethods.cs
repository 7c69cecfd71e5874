using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;

namespace ActorRpc.DemoHost;

/// <summary>
/// The methods the default host ships, so a fresh server can be tried (and tested) at once:
/// each one shows one behaviour of the protocol.
/// </summary>
public sealed class DemoMethods(ITopicPublisher publisher, IOptions<ActorRpcOptions> options)
{
    /// <summary>The demo topic clients publish to with <see cref="Publish"/>.</summary>
    public const string NewsTopic = "news";

    /// <summary>The demo topic the server's clock ticker feeds.</summary>
    public const string ClockTopic = "clock";

    /// <summary>The demo topic only callers with the permission <see cref="DemoPolicies.AdminPermission"/> may subscribe to.</summary>
    public const string AdminTopic = "admin";

    /// <summary>The error code of <see cref="ComputerSaysNo"/>, a server-defined one.</summary>
    public const int ComputerSaysNoCode = -32050;

    /// <summary>
    /// The code of <see cref="AskClientAsync"/> when the client answered with a code the specification
    /// reserves (-32768..-32000, such as its own -32601), which a server's error may not repeat; its data
    /// is <c>{"clientCode": ..., "clientData": ...}</c>. Other codes pass through as the client sent them.
    /// </summary>
    public const int ClientErrorCode = -32070;

    /// <summary>The code of <see cref="AskClientAsync"/> when the client did not answer within ActorRpc:Limits:ClientCallTimeout.</summary>
    public const int ClientTimeoutCode = -32071;

    /// <summary>The code of <see cref="AskClientAsync"/> when the client cannot be called: gone, over HTTP POST, or too many calls waiting on it.</summary>
    public const int ClientUnavailableCode = -32072;

    /// <summary>The longest <see cref="SleepAsync"/> accepts, so a client cannot park a handler for ever.</summary>
    public const int MaxSleepMilliseconds = 600_000;

    /// <summary>Answers <c>"pong"</c>.</summary>
    [RpcMethod]
    public static string Ping() => "pong";

    /// <summary>Returns its params unchanged (null when there are none).</summary>
    [RpcMethod]
    public static JsonElement? Echo([RpcParams] JsonElement? parameters) => parameters;

    /// <summary>
    /// Adds two numbers. Integers stay integers (exactly, up to 64 bits); anything else is summed as a double.
    /// </summary>
    /// <param name="a">The first number.</param>
    /// <param name="b">The second number.</param>
    /// <returns>The sum: an integer when both are integers, else a number.</returns>
    [RpcMethod]
    [ProducesRpcError((int)JsonRpcErrorCode.InvalidParams, "Invalid params: a parameter is not a number, or the sum is not finite.")]
    public static object Add(JsonElement a, JsonElement b)
    {
        RequireNumber(a, nameof(a));
        RequireNumber(b, nameof(b));
        if (a.TryGetInt64(out var x) && b.TryGetInt64(out var y))
        {
            var sum = x + y;

            // Overflow iff both operands have the same sign and the sum's sign differs.
            if (((x ^ sum) & (y ^ sum)) >= 0)
            {
                return sum;
            }

            return (decimal)x + y;
        }

        var result = a.GetDouble() + b.GetDouble();
        if (!double.IsFinite(result))
        {
            throw new RpcInvalidParamsException("Invalid params: the sum of 'a' and 'b' is not a finite number.");
        }

        return result;
    }

    /// <summary>Integer division; dividing by zero throws inside the handler and so shows an internal error.</summary>
    /// <param name="a">The dividend.</param>
    /// <param name="b">The divisor; zero fails.</param>
    /// <returns>The quotient, rounded toward zero.</returns>
    /// <remarks>The error is declared with <see cref="ProducesRpcErrorAttribute"/>, so <c>rpc.discover</c> lists it:
    /// <b>-32603</b> <c>Internal error</c>.</remarks>
    [RpcMethod]
    [ProducesRpcError((int)JsonRpcErrorCode.InternalError, "Internal error: division by zero.")]
    public static long Divide(long a, long b) => a / b;

    /// <summary>Always fails with the server-defined error -32050.</summary>
    [RpcMethod]
    [ProducesRpcError(ComputerSaysNoCode, "Computer says no.")]
    public static void ComputerSaysNo() => throw new RpcException(ComputerSaysNoCode, "Computer says no.");

    /// <summary>Waits <paramref name="ms"/> milliseconds, then returns it; cancelled with its connection.</summary>
    /// <param name="ms">How long to wait, in milliseconds (0 to 600000).</param>
    /// <param name="cancellationToken">Cancelled with the call (injected).</param>
    /// <returns>The milliseconds waited.</returns>
    [RpcMethod]
    public static async Task<int> SleepAsync(int ms, CancellationToken cancellationToken)
    {
        if (ms is < 0 or > MaxSleepMilliseconds)
        {
            throw new RpcInvalidParamsException($"Invalid params: parameter 'ms' must be between 0 and {MaxSleepMilliseconds}.");
        }

        await Task.Delay(ms, cancellationToken).ConfigureAwait(false);
        return ms;
    }

    /// <summary>
    /// Calls <paramref name="method"/> on the caller's own client (a request from the server to the
    /// client, with <paramref name="params"/> as they are) and returns what it answered. An error the
    /// client answered comes back with its code, message and data, except that a code the
    /// specification reserves becomes <see cref="ClientErrorCode"/>; no answer within
    /// ActorRpc:Limits:ClientCallTimeout is <see cref="ClientTimeoutCode"/>; a client that cannot be
    /// called (over HTTP POST, or gone) is <see cref="ClientUnavailableCode"/>.
    /// </summary>
    /// <param name="method">The client's method to call.</param>
    /// <param name="context">The call's context (injected).</param>
    /// <param name="cancellationToken">Cancelled with the call (injected).</param>
    /// <param name="params">The params to call it with: an array, an object, or none.</param>
    /// <returns>What the client's method returned.</returns>
    [RpcMethod("ask_client")]
    [ProducesRpcError(ClientErrorCode, "The client answered with an error of a reserved code.")]
    [ProducesRpcError(ClientTimeoutCode, "The client did not answer in time.")]
    [ProducesRpcError(ClientUnavailableCode, "The client cannot be called.")]
    public static async Task<JsonElement> AskClientAsync(string method, RpcContext context, CancellationToken cancellationToken, JsonElement? @params = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (@params is { ValueKind: not (JsonValueKind.Array or JsonValueKind.Object or JsonValueKind.Null) })
        {
            throw new RpcInvalidParamsException("Invalid params: parameter 'params' must be an array or an object.");
        }

        object? args = @params is { ValueKind: JsonValueKind.Array or JsonValueKind.Object } value ? value : null;
        try
        {
            return await context.Client.CallAsync(method, args, cancellationToken).ConfigureAwait(false);
        }
        catch (RpcClientException ex) when (RpcException.IsApplicationCode(ex.Code))
        {
            throw new RpcException(ex.Code, ex.Message, ex.ErrorData);
        }
        catch (RpcClientException ex)
        {
            throw new RpcException(
                ClientErrorCode, $"The client answered '{method}' with error {ex.Code}: {ex.Message}", new { clientCode = ex.Code, clientData = ex.ErrorData });
        }
        // Fixed texts: the exceptions' own messages name sessions and settings, which are the server's business.
        catch (TimeoutException)
        {
            throw new RpcException(ClientTimeoutCode, $"The client did not answer '{method}' in time.");
        }
        catch (RpcClientGoneException)
        {
            throw new RpcException(ClientUnavailableCode, "The client cannot be called: its connection closed.");
        }
        catch (NotSupportedException)
        {
            throw new RpcException(ClientUnavailableCode, "The client cannot be called: calls to the client need a WebSocket.");
        }
        catch (InvalidOperationException)
        {
            throw new RpcException(ClientUnavailableCode, "The client cannot be called now: too many calls wait for it, or it reads too slowly.");
        }
    }

    /// <summary>
    /// Notifies every subscriber of <paramref name="topic"/>, on every node, with <paramref name="data"/>
    /// (an object or array); with <paramref name="retain"/> the data becomes the topic's state.
    /// Returns true once the notification is handed to the node. On a node that authenticates, the
    /// caller needs the permission <c>publish</c> (<see cref="DemoPolicies.Publish"/>); writing to
    /// <see cref="AdminTopic"/> needs what reading it does, the permission <c>admin</c> (-32011 otherwise).
    /// </summary>
    /// <param name="topic">A declared topic, or a name a declared pattern covers.</param>
    /// <param name="data">The notification's params: an object or an array.</param>
    /// <param name="context">The call's context (injected).</param>
    /// <param name="retain">Whether the data becomes the topic's state.</param>
    /// <returns>True once the notification is handed to the node.</returns>
    [RpcMethod]
    [Authorize(Policy = DemoPolicies.Publish)]
    [ProducesRpcError((int)JsonRpcErrorCode.NotPermitted, "Not permitted")]
    public bool Publish(string topic, JsonElement data, RpcContext context, bool retain = false)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (topic == AdminTopic && !context.User.HasClaim(options.Value.Authorization.PermissionClaimType, DemoPolicies.AdminPermission))
        {
            // A topic guarded for its readers is guarded for its writers too: no one without the right spoofs what admins read.
            throw new RpcException((int)JsonRpcErrorCode.NotPermitted, "Not permitted");
        }

        try
        {
            publisher.Publish(topic, data, retain);
            return true;
        }
        catch (ArgumentException ex)
        {
            throw new RpcInvalidParamsException($"Invalid params: {ex.Message}");
        }
    }

    /// <summary>
    /// Who the caller is: the user's name (its identity's name, else its <c>name</c> or <c>sub</c>
    /// claim) and its permissions (the values of its claims of the type
    /// <c>ActorRpc:Authorization:PermissionClaimType</c>), sorted. Anonymous callers get -32010.
    /// </summary>
    [RpcMethod("whoami")]
    [Authorize]
    public WhoAmIResult WhoAmI(RpcContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var user = context.User;

        // JwtBearer maps `sub` to NameIdentifier when it reads a token (MapInboundClaims).
        var name = user.Identity?.Name
            ?? user.FindFirst("name")?.Value
            ?? user.FindFirst("sub")?.Value
            ?? user.FindFirst(ClaimTypes.NameIdentifier)?.Value;
        var permissionClaimType = options.Value.Authorization.PermissionClaimType;
        string[] permissions = [.. user.FindAll(permissionClaimType).Select(claim => claim.Value).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
        return new WhoAmIResult(name, permissions);
    }

    private static void RequireNumber(JsonElement value, string name)
    {
        if (value.ValueKind != JsonValueKind.Number)
        {
            throw new RpcInvalidParamsException($"Invalid params: parameter '{name}' must be a number.");
        }
    }
}

/// <summary>The answer of <see cref="DemoMethods.WhoAmI"/>: <c>{"name": ..., "permissions": [...]}</c>.</summary>
/// <param name="Name">The caller's name, or null when its token names no one.</param>
/// <param name="Permissions">The caller's permissions, sorted (ordinal).</param>
public sealed record WhoAmIResult(string? Name, IReadOnlyList<string> Permissions);
