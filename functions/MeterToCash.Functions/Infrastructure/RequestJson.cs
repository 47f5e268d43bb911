using System.Buffers;
using System.Text.Json;
using MeterToCash.Domain.Common;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace MeterToCash.Functions.Infrastructure;

/// <summary>Reads a JSON request body, turning every way it can be wrong into a problem response, never a 500.</summary>
public static class RequestJson
{
    public const long DefaultMaxBytes = 1024 * 1024;

    public static async Task<(T? Value, ObjectResult? Problem)> ReadAsync<T>(HttpRequest request, JsonSerializerOptions options, long maxBytes = DefaultMaxBytes)
        where T : class
    {
        if (request.ContentLength > maxBytes)
        {
            return (null, Problems.Validation("body", "max-size", $"The body may be at most {maxBytes:N0} bytes.", StatusCodes.Status413PayloadTooLarge));
        }

        if (request.ContentType is { } type && !type.Contains("json", StringComparison.OrdinalIgnoreCase))
        {
            return (null, Problems.Validation("Content-Type", "json-required", "Send the body as application/json.", StatusCodes.Status415UnsupportedMediaType));
        }

        try
        {
            using MemoryStream buffer = new();
            await CopyBoundedAsync(request.Body, buffer, maxBytes, request.HttpContext.RequestAborted);
            if (buffer.Length == 0)
            {
                return (null, Problems.Validation("body", "required", "The request body is empty."));
            }

            buffer.Position = 0;
            T? value = await JsonSerializer.DeserializeAsync<T>(buffer, options, request.HttpContext.RequestAborted);
            return value is null
                ? (null, Problems.Validation("body", "required", "The request body is null."))
                : (value, null);
        }
        catch (JsonException e)
        {
            string field = string.IsNullOrEmpty(e.Path) || e.Path == "$" ? "body" : e.Path.TrimStart('$', '.');
            string message = field == "body"
                ? $"The body is not valid JSON (line {e.LineNumber + 1})."
                : $"'{field}' has a value of the wrong type, or a name that is not allowed (line {e.LineNumber + 1}).";
            return (null, Problems.Validation(field, "json", message));
        }
        catch (BodyTooLargeException)
        {
            return (null, Problems.Validation("body", "max-size", $"The body may be at most {maxBytes:N0} bytes.", StatusCodes.Status413PayloadTooLarge));
        }
    }

    public static ObjectResult Invalid(IReadOnlyList<ValidationError> errors, int status = StatusCodes.Status400BadRequest) => Problems.Validation(errors, status);

    /// <summary>Copies at most <paramref name="maxBytes"/>; a chunked body gives no Content-Length to check first.</summary>
    public static async Task CopyBoundedAsync(Stream source, Stream destination, long maxBytes, CancellationToken cancellationToken)
    {
        byte[] chunk = new byte[81920];
        long total = 0;
        int read;
        while ((read = await source.ReadAsync(chunk, cancellationToken)) > 0)
        {
            total += read;
            if (total > maxBytes)
            {
                throw new BodyTooLargeException();
            }

            await destination.WriteAsync(chunk.AsMemory(0, read), cancellationToken);
        }
    }
}

/// <summary>
/// A request body read into an <see cref="ArrayPool{T}"/> buffer, returned on dispose: the memory it hands out is only
/// valid until then.
/// </summary>
public sealed class PooledBody : IDisposable
{
    byte[]? buffer;

    /// <summary>Reads the whole body, at most <paramref name="maxBytes"/> (else <see cref="BodyTooLargeException"/>).</summary>
    public async Task<ReadOnlyMemory<byte>> ReadAsync(Stream source, long? contentLength, int maxBytes, CancellationToken cancellationToken)
    {
        buffer = ArrayPool<byte>.Shared.Rent((int)Math.Clamp((contentLength ?? 0) + 1, 4096, (long)maxBytes + 1));
        int length = 0;
        while (true)
        {
            if (length == buffer.Length)
            {
                if (length > maxBytes)
                {
                    throw new BodyTooLargeException();
                }

                byte[] larger = ArrayPool<byte>.Shared.Rent((int)Math.Min((long)buffer.Length * 2, (long)maxBytes + 1));
                buffer.AsSpan(0, length).CopyTo(larger);
                ArrayPool<byte>.Shared.Return(buffer);
                buffer = larger;
            }

            int read = await source.ReadAsync(buffer.AsMemory(length), cancellationToken);
            if (read == 0)
            {
                break;
            }

            length += read;
            if (length > maxBytes)
            {
                throw new BodyTooLargeException();
            }
        }

        return buffer.AsMemory(0, length);
    }

    public void Dispose()
    {
        if (buffer is not null)
        {
            ArrayPool<byte>.Shared.Return(buffer);
            buffer = null;
        }
    }
}

/// <summary>The body exceeded its limit while being read.</summary>
public sealed class BodyTooLargeException : Exception
{
    public BodyTooLargeException()
        : base("The request body is too large.")
    {
    }
}
