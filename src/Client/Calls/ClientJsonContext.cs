using System.Text.Json.Serialization;

namespace ActorRpc.Client;

/// <summary>The client's own JSON (topic lists), source-generated so it works whatever serializer options the application sets.</summary>
[JsonSerializable(typeof(string[]))]
internal sealed partial class ClientJsonContext : JsonSerializerContext;
