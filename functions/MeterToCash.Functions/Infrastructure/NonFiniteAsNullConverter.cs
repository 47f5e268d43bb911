using System.Text.Json;
using System.Text.Json.Serialization;

namespace MeterToCash.Functions.Infrastructure;

/// <summary>
/// Writes a <see cref="double"/> that is NaN or infinite as JSON <c>null</c> ("not computable": a forecast accuracy with
/// no scorable point, a ratio over zero), where System.Text.Json would throw and the answer would be a 500 with no body.
/// Reading is unchanged: a request's number must be a number.
/// </summary>
public sealed class NonFiniteAsNullConverter : JsonConverter<double>
{
    /// <inheritdoc />
    public override double Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.GetDouble();

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, double value, JsonSerializerOptions options)
    {
        if (double.IsFinite(value))
        {
            writer.WriteNumberValue(value);
        }
        else
        {
            writer.WriteNullValue();
        }
    }
}
