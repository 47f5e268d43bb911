using DurableTask.AzureStorage;

namespace MeterToCash.LocalHost.Durable;

/// <summary>
/// The gRPC sidecar hands sub-orchestration tags to the Azure Storage provider as a protobuf <c>MapField</c>, and the
/// provider writes queue messages with Json.NET type names it later resolves without the protobuf assembly, so the
/// message can never be read back. Writing (and reading) such maps as a plain dictionary keeps them readable.
/// </summary>
internal sealed class ProtobufTagsTypeBinder : ICustomTypeBinder
{
    const string MapFieldName = "Google.Protobuf.Collections.MapField`2";

    public void BindToName(Type serializedType, out string? assemblyName, out string? typeName)
    {
        if (serializedType.IsGenericType && serializedType.GetGenericTypeDefinition().FullName == MapFieldName)
        {
            serializedType = typeof(Dictionary<,>).MakeGenericType(serializedType.GetGenericArguments());
        }

        assemblyName = null;
        typeName = serializedType.FullName;
    }

    public Type BindToType(string? assemblyName, string typeName) =>
        typeName.StartsWith(MapFieldName, StringComparison.Ordinal)
            ? typeof(Dictionary<string, string>)
            : Type.GetType(typeName, throwOnError: true)!;
}
