using System.Text.Json;
using System.Text.Json.Serialization;
using MeterToCash.Domain.Common;

namespace MeterToCash.Functions.Infrastructure;

/// <summary>
/// JSON enums by name, read with <see cref="EnumNames"/>: the declared name exactly, never a number or a comma-joined
/// flags value (System.Text.Json's <see cref="JsonStringEnumConverter"/> reads "A, B" as a flags combination and so
/// stored "Residential, Commercial" as Commercial). Written as the name. Every request body options instance uses it.
/// </summary>
public sealed class StrictEnumConverter : JsonConverterFactory
{
    public override bool CanConvert(Type typeToConvert) => typeToConvert.IsEnum;

    public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
        (JsonConverter)Activator.CreateInstance(typeof(Converter<>).MakeGenericType(typeToConvert))!;

    sealed class Converter<T> : JsonConverter<T>
        where T : struct, Enum
    {
        public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            reader.TokenType == JsonTokenType.String && EnumNames.TryParse(reader.GetString(), out T value)
                ? value
                : throw new JsonException($"Expected one of {EnumNames.List<T>()}.");

        public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) => writer.WriteStringValue(Enum.GetName(value) ?? value.ToString());

        public override T ReadAsPropertyName(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            EnumNames.TryParse(reader.GetString(), out T value) ? value : throw new JsonException($"Expected one of {EnumNames.List<T>()}.");

        public override void WriteAsPropertyName(Utf8JsonWriter writer, T value, JsonSerializerOptions options) => writer.WritePropertyName(Enum.GetName(value) ?? value.ToString());
    }
}
