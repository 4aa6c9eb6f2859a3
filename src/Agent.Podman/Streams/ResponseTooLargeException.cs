namespace UpdateAgent.Podman.Streams;

/// <summary>A response body or stream line went past the limit set for it.</summary>
internal sealed class ResponseTooLargeException(string message) : IOException(message);
