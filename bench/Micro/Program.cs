using ActorRpc.Bench.Micro;
using BenchmarkDotNet.Running;

// dotnet run -c Release --project bench/Micro -- --filter '*'            every benchmark, default job
// dotnet run -c Release --project bench/Micro -- --filter '*Dispatch*' --job short
// dotnet run -c Release --project bench/Micro -- alloc-profile [pings]  where a ping's bytes go, by type
if (args is ["alloc-profile" or "alloc-profile-run", ..])
{
    return AllocationProfile.Run(args);
}

BenchmarkSwitcher.FromAssembly(typeof(DispatchBenchmarks).Assembly).Run(args);
return 0;
