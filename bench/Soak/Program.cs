using ActorRpc.Bench.Soak;

// The soak run: see README.md beside this file. Not part of CI; loopback only; bounded.
SoakOptions options;
try
{
    options = SoakOptions.Parse(args);
}
catch (ArgumentException ex)
{
    Console.Error.WriteLine(ex.Message);
    return 2;
}

return await new SoakRun(options).RunAsync().ConfigureAwait(false);
