using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;

namespace ActorRpc.Tests.Security;

/// <summary>One method per kind of guard on a class registered with <c>AddMethods&lt;T&gt;()</c>.</summary>
public sealed class GuardedMethods
{
    /// <summary>RequireAssertion: Django's <c>user_passes_test</c>, here "a staff address".</summary>
    public const string PassesTestPolicy = "passes-test";

    /// <summary>RequireClaim("badge", "gold").</summary>
    public const string GoldBadgePolicy = "gold-badge";

    public static void AddPolicies(AuthorizationOptions options)
    {
        options.AddPolicy(PassesTestPolicy, policy => policy.RequireAssertion(
            context => context.User.Identity?.Name?.EndsWith("@staff.test", StringComparison.Ordinal) == true));
        options.AddPolicy(GoldBadgePolicy, policy => policy.RequireClaim("badge", "gold"));
    }

    private static int _countedCalls;

    /// <summary>How many times <see cref="Counted"/> ran (only one test calls it).</summary>
    public static int CountedCalls => Volatile.Read(ref _countedCalls);

    [RpcMethod]
    public static string Open() => "open";

    [RpcMethod]
    [Authorize]
    public static int Counted() => Interlocked.Increment(ref _countedCalls);

    [RpcMethod]
    [Authorize]
    public static string SignedIn(RpcContext context) => context.User.Identity?.Name ?? "?";

    [RpcMethod]
    [Authorize(Policy = PassesTestPolicy)]
    public static string PassesTest() => "passed";

    [RpcMethod]
    [Authorize(Policy = GoldBadgePolicy)]
    public static string Gold() => "gold";

    [RpcMethod]
    [Authorize(Roles = "admin")]
    public static string AdminOnly() => "admin";

    [RpcMethod]
    [RequirePermission("orders.write")]
    public static string WriteOrder() => "written";

    [RpcMethod]
    [RequirePermission("orders.write")]
    [RequirePermission("orders.approve")]
    public static string ApproveOrder() => "approved";

    [RpcMethod]
    [Authorize]
    public static long Add(long a, long b) => a + b;

    [RpcMethod]
    [RequirePermission("orders.write")]
    public static long Scale(long value, long factor) => value * factor;

    /// <summary>What the handler sees of its caller.</summary>
    [RpcMethod]
    public static object WhoAmI(RpcContext context) => new
    {
        hasUser = context.User is not null,
        authenticated = context.User?.Identity?.IsAuthenticated == true,
        name = context.User?.Identity?.Name,
        roles = context.User?.FindAll(ClaimTypes.Role).Select(c => c.Value).ToArray() ?? [],
        permissions = context.User?.FindAll("permission").Select(c => c.Value).ToArray() ?? [],
        badge = context.User?.FindFirst("badge")?.Value,
        isAdmin = context.User?.IsInRole("admin") == true,
    };
}

/// <summary>[Authorize] on the class, with one method open to anyone.</summary>
[Authorize]
public sealed class ClassGuardedMethods
{
    [RpcMethod]
    public static string Secret() => "secret";

    [RpcMethod]
    [AllowAnonymous]
    public static string Lobby() => "lobby";
}

/// <summary>[RequirePermission] on the class, and another on one method: that method needs both.</summary>
[RequirePermission("reports")]
public sealed class ReportMethods
{
    [RpcMethod]
    public static string List() => "list";

    [RpcMethod]
    [RequirePermission("reports.export")]
    public static string Export() => "export";
}
