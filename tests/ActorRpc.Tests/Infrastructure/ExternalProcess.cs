using System.Diagnostics;

namespace ActorRpc.Tests.Infrastructure;

/// <summary>Runs a command to its end (npm, node, dotnet) and finds the repository the tests were built from.</summary>
public static class ExternalProcess
{
    /// <summary>Runs <paramref name="command"/> and returns its exit code with stdout and stderr; kills it past <paramref name="timeout"/>. <paramref name="environment"/> sets (or, with null, removes) variables.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(
        string command,
        IEnumerable<string> arguments,
        string workingDirectory,
        TimeSpan timeout,
        IReadOnlyDictionary<string, string?>? environment = null)
    {
        var start = new ProcessStartInfo(command)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            // Null removes a variable the test host would otherwise pass on.
            if (value is null)
            {
                start.Environment.Remove(name);
            }
            else
            {
                start.Environment[name] = value;
            }
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{command} {string.Join(' ', arguments)} did not finish within {timeout}.");
        }

        return (process.ExitCode, await stdout + await stderr);
    }

    /// <summary>The folder holding ActorRpc.sln, above the test binaries.</summary>
    public static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "ActorRpc.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("ActorRpc.sln not found above the test binaries.");
    }
}
